/**
 * Fuzzing the judge on stored table documents: `judgeDocument` never calls a document compliant unless
 * it parsed and matches the contract, judges every unparseable document SCHEMA_UNREADABLE, and never
 * throws anything but the project's typed errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Contract, contractFromFile } from '../../functions/core/contracts/contract.js';
import { glueTypesEqual } from '../../functions/core/schema/glue-type.js';
import { type DocumentJudgement, judge, judgeDocument } from '../../functions/core/judging/judge.js';
import { RuleIds } from '../../functions/core/judging/rule-ids.js';
import { COMPATIBILITY_MODES, type CompatibilityMode } from '../../functions/core/judging/rules.js';
import { type CatalogTable, type TableSchema, parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import {
  SUITE_TIMEOUT,
  TYPE_TOKENS,
  anyJson,
  anyValue,
  applyMutations,
  attempt,
  contractDocumentFor,
  describeThrown,
  fuzzParameters,
  inputErrorViolations,
  isRecord,
  mutationPlan,
  defineOwn,
  ordersContractDocument,
  skipKnownDefects,
  slowness,
  tableDocuments,
  type Outcome,
} from './support.js';

const SOURCE = 'tables/fuzzed.json';
const TABLES = tableDocuments();

/** Each fixture with the contract approved from it (read back through the contract loader). */
const CASES = TABLES.map(({ name, document }) => {
  const schema = parseGlueTableDocument(name, document).schema;
  return { name, document, contract: contractFromFile(`${name} contract`, contractDocumentFor(schema)) };
});
const ORDERS_CONTRACT = contractFromFile('contracts/sales/orders/v1.json', ordersContractDocument());

function withMode(contract: Contract, compatibility: CompatibilityMode): Contract {
  return { ...contract, compatibility };
}

const mode = fc.constantFrom(...COMPATIBILITY_MODES);

/** A fixture, the contract to judge it against (its own, or the repository's orders contract) and a mode. */
const setting = fc.record({ index: fc.nat({ max: CASES.length - 1 }), own: fc.boolean(), mode, bare: fc.boolean() }).map(({ index, own, mode: m, bare }) => {
  const c = CASES[index] ?? CASES[0];
  if (c === undefined) throw new Error('no table fixtures');
  const base: unknown = bare ? c.document.Table : c.document;
  return { name: c.name, base, contract: withMode(own ? c.contract : ORDERS_CONTRACT, m) };
});

/** Why two canonical schemas differ, from outside the diff; [] when they are the same schema. */
function schemaDifferences(contract: TableSchema, table: TableSchema): string[] {
  const problems: string[] = [];
  const sameMembers = (what: string, a: TableSchema['columns'], b: TableSchema['columns']): void => {
    if (a.length !== b.length) problems.push(`${what}: ${a.length} in the contract, ${b.length} in the table`);
    a.forEach((column, i) => {
      const other = b[i];
      if (other === undefined) return;
      if (column.name.toLowerCase() !== other.name.toLowerCase()) problems.push(`${what}[${i}]: ${column.name} vs ${other.name}`);
      else if (!glueTypesEqual(column.type, other.type)) problems.push(`${what}[${i}] ${column.name}: types differ`);
      else if ((column.comment ?? '') !== (other.comment ?? '')) problems.push(`${what}[${i}] ${column.name}: comments differ`);
    });
  };
  sameMembers('columns', contract.columns, table.columns);
  sameMembers('partition keys', contract.partitionKeys, table.partitionKeys);
  const sameRecord = (what: string, a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): void => {
    const keys = new Set([...Reflect.ownKeys(a), ...Reflect.ownKeys(b)]);
    for (const key of keys) {
      if (typeof key !== 'string' || a[key] !== b[key] || Object.hasOwn(a, key) !== Object.hasOwn(b, key)) problems.push(`${what} ${String(key)} differs`);
    }
  };
  sameRecord('table parameter', contract.parameters, table.parameters);
  sameRecord('SerDe parameter', contract.storage.serdeParameters, table.storage.serdeParameters);
  for (const key of ['format', 'location', 'inputFormat', 'outputFormat', 'serdeLibrary'] as const) {
    if (contract.storage[key] !== table.storage[key]) problems.push(`storage ${key} differs`);
  }
  if (contract.tableType !== table.tableType) problems.push('table type differs');
  return problems;
}

/** Every way `judgeDocument` misbehaved on `document`; [] when it behaved. */
function judgeViolations(contract: Contract, document: unknown): string[] {
  const parsed: Outcome<CatalogTable> = attempt(() => parseGlueTableDocument(SOURCE, document));
  const judged: Outcome<DocumentJudgement> = attempt(() => judgeDocument(contract, SOURCE, document));
  const problems = slowness(judged, 'judgeDocument');
  if (!judged.ok) return [...problems, `judgeDocument threw: ${describeThrown(judged.error)}`, ...inputErrorViolations(judged.error, SOURCE).filter((p) => !p.startsWith('untyped'))];
  const j = judged.value;
  if (j.verdict === 'compliant' && j.findings.length > 0) problems.push('compliant with findings');
  if (j.verdict !== 'compliant' && j.findings.length === 0) problems.push(`${j.verdict} without findings`);
  if ((j.verdict === 'breaking') !== (j.hasBreakingFindings && contract.compatibility !== 'observe')) problems.push(`verdict ${j.verdict} disagrees with hasBreakingFindings ${j.hasBreakingFindings} in ${contract.compatibility} mode`);
  if (j.findings.some((f) => f.path === '')) problems.push('a finding without a path');
  if (!parsed.ok) {
    if (j.verdict === 'compliant') problems.push('an unparseable document was judged compliant');
    if (j.table !== undefined) problems.push('an unparseable document came back with a table');
    if (j.findings.length === 0 || j.findings.some((f) => f.ruleId !== RuleIds.SCHEMA_UNREADABLE)) problems.push('an unparseable document was not judged SCHEMA_UNREADABLE');
    if (!j.hasBreakingFindings) problems.push('an unparseable document has no breaking finding');
    return problems;
  }
  if (j.table === undefined) problems.push('a parsed document came back without its table');
  if (j.verdict === 'compliant') problems.push(...schemaDifferences(contract.schema, parsed.value.schema).map((d) => `judged compliant, but ${d}`));
  const direct = attempt(() => judge(contract, parsed.value.schema));
  if (direct.ok && direct.value.verdict !== j.verdict) problems.push(`judge says ${direct.value.verdict}, judgeDocument says ${j.verdict}`);
  return problems;
}

describe('fuzz: judging stored table documents', { timeout: SUITE_TIMEOUT }, () => {
  it('property: every fixture judged against its own contract is compliant, in every mode', () => {
    fc.assert(
      fc.property(fc.nat({ max: CASES.length - 1 }), mode, fc.boolean(), (index, m, bare) => {
        const c = CASES[index];
        const document = bare ? c?.document.Table : c?.document;
        const judged = c === undefined ? undefined : judgeDocument(withMode(c.contract, m), SOURCE, document);
        expect(judged?.verdict).toBe('compliant');
      }),
      fuzzParameters(),
    );
  });

  it('property: arbitrary values are never compliant, always SCHEMA_UNREADABLE or judged, never an untyped exception', () => {
    fc.assert(
      fc.property(setting, fc.oneof(anyValue, anyJson, anyJson.map((Table) => ({ Table }))), ({ contract }, document) => {
        skipKnownDefects(document);
        expect(judgeViolations(contract, document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated fixtures are compliant only when they parse and match the contract; unparseable ones are breaking (allowed in observe)', () => {
    fc.assert(
      fc.property(setting, mutationPlan, ({ base, contract }, plan) => {
        const document = applyMutations(base, plan);
        skipKnownDefects(document);
        expect(judgeViolations(contract, document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: fixtures with a column type replaced by fuzzed type text are judged, never an untyped exception', () => {
    const typeText = fc.oneof(
      fc.array(fc.constantFrom(...TYPE_TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join('')),
      fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('array<', 'struct<a:', 'map<string,', 'uniontype<')).map(([n, open]) => `${open.repeat(n)}int${'>'.repeat(n)}`),
      fc.constantFrom('constructor', '__proto__', 'toString', 'decimal(39,0)', 'char(0)', 'varchar(65536)'),
    );
    fc.assert(
      fc.property(setting, typeText, fc.nat(), ({ base, contract }, text, pick) => {
        const document = structuredClone(base);
        const table = isRecord(document) && isRecord(document.Table) ? document.Table : document;
        const sd = isRecord(table) ? table.StorageDescriptor : undefined;
        const columns: unknown = isRecord(sd) ? sd.Columns : undefined;
        const column: unknown = Array.isArray(columns) ? columns[pick % Math.max(1, columns.length)] : undefined;
        if (isRecord(column)) column.Type = text;
        skipKnownDefects(document);
        expect(judgeViolations(contract, document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('regression D2: a column type nested 10,000 levels deep is judged unreadable, not a RangeError', () => {
    const c = CASES[0];
    const document = structuredClone(c?.document ?? {});
    const sd = isRecord(document.Table) ? document.Table.StorageDescriptor : undefined;
    if (isRecord(sd) && Array.isArray(sd.Columns)) sd.Columns.push({ Name: 'deep', Type: `${'struct<a:'.repeat(10_000)}int${'>'.repeat(10_000)}` });
    const judged = attempt(() => (c === undefined ? undefined : judgeDocument(c.contract, SOURCE, document)));
    expect(judged.ok ? judged.value?.findings.map((f) => f.ruleId) : describeThrown(judged.error)).toEqual([RuleIds.SCHEMA_UNREADABLE]);
  });

  it('regression D4: a table whose Parameters hold {"__proto__": {...}} (not a string) is not judged compliant', () => {
    const c = CASES[0];
    const document = structuredClone(c?.document ?? {});
    if (isRecord(document.Table)) document.Table.Parameters = defineOwn({ ...(isRecord(document.Table.Parameters) ? document.Table.Parameters : {}) }, '__proto__', { nested: 1 });
    const judged = attempt(() => (c === undefined ? undefined : judgeDocument(c.contract, SOURCE, document)));
    expect(judged.ok ? judged.value?.verdict : describeThrown(judged.error)).toBe('breaking');
  });
});
