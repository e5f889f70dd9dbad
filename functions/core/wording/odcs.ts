/**
 * What `drift-guard export/import --format odcs` says: what an ODCS document must hold, and what an import from
 * another tool's ODCS (datacontract-cli's `import glue`) could not recover.
 */

/** One thing a foreign ODCS document does not say, and what the imported contract holds instead. */
export interface Unrecovered {
  /** Where: `orders.amount`, `orders (table)`. */
  readonly where: string;
  /** What is missing, e.g. "decimal precision and scale". */
  readonly what: string;
  /** What the contract holds instead, or why nothing was written. */
  readonly instead: string;
}

export function unrecoveredLine(u: Unrecovered): string {
  return `  ✖ ${u.where}: ${u.what} — ${u.instead}`;
}

export const ODCS_EXPECTATIONS = {
  document: 'an ODCS v3.0.x data contract (JSON: apiVersion v3.0.x, kind DataContract, id, version, status, one schema object)',
  oneObject: 'exactly one schema object (a contract guards one Glue table; found {n})',
  physicalType: 'the full Glue column type (e.g. decimal(10,2), array<struct<a:int>>)',
  derived: 'the ODCS fields drift-guard derives from physicalType {type}: {expected} (regenerate with drift-guard export, do not edit by hand)',
  partitionPositions: 'partition keys numbered partitionKeyPosition 1..{n} without gaps or repeats (found {found})',
  partitionedPosition: 'partitionKeyPosition only on a property with partitioned: true',
  driftGuardTerms: 'the drift-guard terms drift-guard export writes (customProperties driftGuard)',
  version: 'a version "<n>.0.0" (the contract version drift-guard wrote; found "{found}")',
  databaseName: 'the Glue database (a servers entry of type glue with a database, or --database)',
} as const;

export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replaceAll(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export const UNRECOVERED = {
  decimal: { what: 'decimal precision and scale (physicalType "decimal" without them)', instead: 'no contract written: a guessed decimal(10,0) would judge every change wrongly' },
  map: { what: 'map key and value types (physicalType "map")', instead: 'no contract written: the key and value types are not in the document' },
  varchar: { what: 'varchar length (physicalType "varchar" without logicalTypeOptions.maxLength)', instead: 'no contract written' },
  noType: { what: 'a column type (no physicalType drift-guard can read, and no nested properties to rebuild it from)', instead: 'no contract written' },
  partitions: {
    what: 'which columns are partition keys (datacontract-cli marks Glue partition keys required: true, without partitioned)',
    instead: 'kept as ordinary columns, in document order; mark them partitioned: true with partitionKeyPosition to recover them',
  },
  storageFormat: { what: 'the storage format, InputFormat, OutputFormat, SerDe library and parameters', instead: 'storage format "unknown" (the guard matches its columns by position, the strict reading)' },
  tableType: { what: 'the Glue TableType', instead: 'none recorded' },
  terms: { what: 'the drift-guard terms (compatibility, enforcement, workflows, approval)', instead: 'defaults: consumer-safe, enforce, no workflows, status proposed (approve it with drift-guard approve)' },
} as const;

export function importWrittenText(path: string, version: number, status: string, unrecovered: readonly Unrecovered[]): string {
  const head = `wrote ${path} (v${version}, ${status})`;
  if (unrecovered.length === 0) return `${head}: everything recovered`;
  return [`${head}; not recovered from the document:`, ...unrecovered.map(unrecoveredLine)].join('\n');
}

export function importRefusedExpectation(unrecovered: readonly Unrecovered[]): string {
  return ['a document from which every column type can be recovered; nothing written. Not recovered:', ...unrecovered.map(unrecoveredLine)].join('\n');
}

export function exportNoContractExpectation(table: string, dir: string, version: number | undefined): string {
  return version === undefined
    ? `a table with an approved contract version in ${dir}/ (found none for ${table}; create one with drift-guard snapshot)`
    : `an existing contract version (found no v${version} for ${table} in ${dir}/)`;
}

export function importNotJsonExpectation(): string {
  return 'an ODCS document in JSON (YAML is not read: convert it first, e.g. yq -o=json contract.odcs.yaml > contract.odcs.json)';
}
