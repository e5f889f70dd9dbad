/**
 * Fuzzing the file loaders: contract documents (`contractFromFile`, and `loadContractTree` on a temporary
 * directory) and Glue table documents (`parseGlueTableDocument`). Malformed input is an InputError /
 * InputErrors naming the source; accepted input is modelled faithfully. Never an untyped exception.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contract, contractFromFile, contractToFile } from '../../functions/core/contracts/contract.js';
import { loadContractTree } from '../../functions/core/contracts/contract-repository.js';
import { InputError, InputErrors, parseJsonText } from '../../functions/core/errors.js';
import { STORAGE_FORMATS } from '../../functions/core/schema/storage-format.js';
import { MAX_TYPE_DEPTH } from '../../functions/core/schema/glue-type.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { tableSchema } from '../support/arbitraries.js';
import {
  SUITE_TIMEOUT,
  TYPE_TOKENS,
  acceptedTableViolations,
  acceptedTypeViolations,
  anyJson,
  anyValue,
  applyMutations,
  applyStringEdit,
  attempt,
  attemptAsync,
  avoiding,
  contractDocumentFor,
  contractFor,
  defineOwn,
  describeThrown,
  fuzzParameters,
  inputErrorViolations,
  isRecord,
  jsonText,
  materialize,
  mutationPlan,
  ordersContractDocument,
  reshaped,
  skipKnownDefects,
  slowness,
  stringEdit,
  tableDocuments,
} from './support.js';

const CONTRACT_SOURCE = 'contracts/sales/orders/v1.json';
const TABLE_SOURCE = 'tables/ünïcode orders.json';

const TABLES = tableDocuments();
const ORDERS = ordersContractDocument();
const FIXTURE_CONTRACTS = TABLES.map(({ name, document }) => contractDocumentFor(parseGlueTableDocument(name, document).schema));

/** Base contract documents: the repository's real one, and one per table fixture. */
const contractBase: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(ORDERS) },
  { weight: 2, arbitrary: fc.constantFrom(...FIXTURE_CONTRACTS) },
  { weight: 1, arbitrary: tableSchema.map(contractDocumentFor) },
);

/** Base table documents: every fixture, wrapped (`{"Table": ...}`, as get-table prints it) or bare. */
const tableBase: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...TABLES), fc.boolean())
  .map(([{ document }, bare]) => (bare ? document.Table : document));

/** What an accepted contract promises: nothing silently dropped, types canonical, a lossless round trip. */
function acceptedContractViolations(document: unknown, contract: Contract): string[] {
  const problems: string[] = [];
  const properties = isRecord(document) ? document.properties : undefined;
  const declared = isRecord(properties) ? Reflect.ownKeys(properties).length : 0;
  const modelled = contract.schema.columns.length + contract.schema.partitionKeys.length;
  if (declared !== modelled) problems.push(`${declared} properties in the document, ${modelled} columns in the contract (${isRecord(properties) ? Object.keys(properties).map((k) => JSON.stringify(k)).join(', ') : ''})`);
  const formats: readonly string[] = STORAGE_FORMATS;
  if (!formats.includes(contract.schema.storage.format)) problems.push(`storage format ${contract.schema.storage.format}`);
  for (const column of [...contract.schema.columns, ...contract.schema.partitionKeys]) {
    problems.push(...acceptedTypeViolations(column.type).map((p) => `column ${column.name}: ${p}`));
  }
  const again = attempt(() => contractFromFile(CONTRACT_SOURCE, JSON.parse(JSON.stringify(contractToFile(contract)))));
  if (!again.ok) problems.push(`the contract, written back, is rejected: ${describeThrown(again.error)}`);
  else if (!isDeepStrictEqual(again.value, contract)) problems.push('the contract, written back and read again, differs');
  return problems;
}

function contractViolations(document: unknown, source = CONTRACT_SOURCE): string[] {
  const outcome = attempt(() => contractFromFile(source, document));
  const slow = slowness(outcome, 'contractFromFile');
  return [...slow, ...(outcome.ok ? acceptedContractViolations(document, outcome.value) : inputErrorViolations(outcome.error, source))];
}

function tableViolations(document: unknown): string[] {
  const outcome = attempt(() => parseGlueTableDocument(TABLE_SOURCE, document));
  const slow = slowness(outcome, 'parseGlueTableDocument');
  return [...slow, ...(outcome.ok ? acceptedTableViolations(document, outcome.value) : inputErrorViolations(outcome.error, TABLE_SOURCE))];
}

/** JSON text, then edited character by character (truncated, unbalanced, unicode, tokens of the type grammar). */
const editedText = (base: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.tuple(base, fc.array(stringEdit, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([doc, edits, pretty]) =>
    edits.reduce(applyStringEdit, JSON.stringify(doc, null, pretty ? 2 : undefined)),
  );

describe('fuzz: contract loader', { timeout: SUITE_TIMEOUT }, () => {
  it('property: the base documents are valid (the fuzzers start near something real)', () => {
    fc.assert(
      fc.property(contractBase, (document) => {
        expect(attempt(() => contractFromFile(CONTRACT_SOURCE, document)).ok).toBe(true);
        expect(contractViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: arbitrary values are a contract or InputErrors naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, anyJson), (document) => {
        expect(contractViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated contracts (deleted, retyped, huge, unicode, deep, "__proto__" / "constructor" keys) are a contract or InputErrors naming the file', () => {
    fc.assert(
      fc.property(contractBase, mutationPlan, (base, plan) => {
        const document = applyMutations(base, plan);
        expect(contractViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: top-level keys replaced by arbitrary values are a contract or InputErrors naming the file', () => {
    fc.assert(
      fc.property(contractBase.chain(reshaped), (document) => {
        expect(contractViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: edited contract text is a contract or an InputError naming the file', () => {
    fc.assert(
      fc.property(editedText(contractBase), (text) => {
        const parsed = attempt(() => parseJsonText(CONTRACT_SOURCE, text));
        expect(parsed.ok ? contractViolations(parsed.value) : inputErrorViolations(parsed.error, CONTRACT_SOURCE)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: x-glue-type fuzzed with the type grammar is accepted only in canonical spelling, else reported at that property', () => {
    const glueTypeText = fc.oneof(
      fc.array(fc.constantFrom(...TYPE_TOKENS), { maxLength: 12 }).map((t) => t.join('')),
      fc.tuple(fc.constantFrom('bigint', 'array<struct<sku:string,quantity:int>>', 'decimal(10,2)', 'map<string,int>'), fc.array(stringEdit, { maxLength: 3 })).map(([t, e]) => e.reduce(applyStringEdit, t)),
    );
    fc.assert(
      fc.property(glueTypeText, fc.constantFrom('order_id', 'items', 'dt'), (text, column) => {
        const document = structuredClone(ORDERS);
        const properties = document.properties;
        const property = isRecord(properties) ? properties[column] : undefined;
        if (isRecord(property)) property['x-glue-type'] = text;
        const outcome = attempt(() => contractFromFile(CONTRACT_SOURCE, document));
        expect(outcome.ok ? acceptedContractViolations(document, outcome.value) : inputErrorViolations(outcome.error, CONTRACT_SOURCE)).toEqual([]);
        const fields = outcome.ok ? [] : outcome.error instanceof InputErrors ? outcome.error.errors.map((e) => e.field) : outcome.error instanceof InputError ? [outcome.error.field] : [];
        // contract.ts names a property `properties["items"]`, zod's paths name it `properties.items`: either will do.
        const named = fields.some((f) => f.startsWith(`properties["${column}"]`) || f.startsWith(`properties.${column}`));
        expect(outcome.ok || named, `fields reported: ${fields.join(', ')}`).toBe(true);
      }),
      fuzzParameters(),
    );
  });
});

/** Type text nested `wrappers` deep, innermost last. */
function nestedTypeText(wrappers: readonly ('array' | 'struct' | 'map' | 'union')[]): string {
  return wrappers.reduceRight((inner, w) => {
    switch (w) {
      case 'array':
        return `array<${inner}>`;
      case 'struct':
        return `struct<f:${inner},g:string>`;
      case 'map':
        return `map<string,${inner}>`;
      case 'union':
        return `uniontype<int,${inner}>`;
    }
  }, 'decimal(12,2)');
}

describe('fuzz: contracts written by the guard', { timeout: SUITE_TIMEOUT }, () => {
  it('property: the contract written for any table the parser accepts loads back unchanged (also deeply nested types)', () => {
    // Beyond 20 levels a struct chain hits D7 (see support.ts); MAX_TYPE_DEPTH is the parser's own limit.
    const maxWrappers = avoiding('D7') ? 20 : MAX_TYPE_DEPTH - 1;
    const wrappers = fc.array(fc.constantFrom('array' as const, 'struct' as const, 'map' as const, 'union' as const), { maxLength: maxWrappers, size: 'max' });
    fc.assert(
      fc.property(fc.constantFrom(...TABLES), wrappers, ({ document }, chain) => {
        const doc = structuredClone(document);
        const sd = isRecord(doc.Table) ? doc.Table.StorageDescriptor : undefined;
        if (isRecord(sd) && Array.isArray(sd.Columns)) sd.Columns.push({ Name: 'fuzz_nested', Type: nestedTypeText(chain) });
        const table = attempt(() => parseGlueTableDocument(TABLE_SOURCE, doc));
        expect(table.ok ? [] : [describeThrown(table.error)]).toEqual([]);
        const contract = table.ok ? contractFor(table.value.schema) : undefined;
        const text = contract === undefined ? 'null' : JSON.stringify(contractToFile(contract), null, 2);
        const back = attempt(() => contractFromFile(CONTRACT_SOURCE, parseJsonText(CONTRACT_SOURCE, text)));
        expect(back.ok ? back.value : describeThrown(back.error)).toEqual(contract);
      }),
      fuzzParameters(),
    );
  });

  it('fixed defect D7: the deepest type a table may have (30 levels) makes a contract that reads back; one level more is refused up front', () => {
    const deep = (levels: number): unknown => ({
      Table: { Name: 't', DatabaseName: 'd', StorageDescriptor: { Columns: [{ Name: 'c', Type: `${'struct<a:'.repeat(levels)}int${'>'.repeat(levels)}` }] } },
    });
    const schema = parseGlueTableDocument(TABLE_SOURCE, deep(29)).schema; // 29 structs and the leaf: 30 levels
    const back = attempt(() => contractFromFile(CONTRACT_SOURCE, JSON.parse(JSON.stringify(contractToFile(contractFor(schema))))));
    expect(back.ok ? [] : [describeThrown(back.error)]).toEqual([]);
    const tooDeep = attempt(() => parseGlueTableDocument(TABLE_SOURCE, deep(30)));
    expect(tooDeep.ok ? 'accepted' : tooDeep.error instanceof Error ? tooDeep.error.message : 'untyped').toMatch(/nested at most 30 levels deep/);
  });
});

describe('fuzz: contract tree on disk', { timeout: SUITE_TIMEOUT }, () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'drift-guard-fuzz-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('property: a tree holding one fuzzed file loads: one history, or InputErrors naming the file, never a rejection', async () => {
    const fileName = fc.constantFrom('v1.json', 'v1.json', 'v2.json', 'v01.json', 'V1.json', 'v1.json.bak', 'orders.json');
    const text = fc.oneof(
      editedText(contractBase),
      fc.tuple(contractBase, mutationPlan).map(([base, plan]) => jsonText(applyMutations(base, plan))),
      contractBase.map((doc) => JSON.stringify(doc)),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fileName, text, fc.constantFrom('sales/orders', 'SALES/Orders', 'sales/other'), async (name, content, place) => {
        run += 1;
        const tree = join(root, String(run));
        const directory = join(tree, ...place.split('/'));
        await mkdir(directory, { recursive: true });
        await writeFile(join(directory, name), content);
        const outcome = await attemptAsync(() => loadContractTree(tree));
        await rm(tree, { recursive: true, force: true });
        const violations = outcome.ok
          ? outcome.value.errors.flatMap((e) => inputErrorViolations(e, (s) => s.includes(name) || s.includes(tree)))
          : [`loadContractTree rejected: ${describeThrown(outcome.error)}`];
        expect(violations).toEqual([]);
        const histories = outcome.ok ? outcome.value.histories.length : -1;
        const errors = outcome.ok ? outcome.value.errors.length : -1;
        // A version file is either loaded as the table's history or reported; anything else is ignored silently.
        const isVersionFile = /^v[1-9]\d*\.json$/.test(name);
        expect(isVersionFile ? histories + Math.min(errors, 1) : histories).toBe(isVersionFile ? 1 : 0);
      }),
      fuzzParameters({ timeout: 10_000 }),
    );
  });
});

describe('fuzz: Glue table document parser', { timeout: SUITE_TIMEOUT }, () => {
  it('property: every fixture, wrapped or bare, parses faithfully (the fuzzers start near something real)', () => {
    fc.assert(
      fc.property(tableBase, (document) => {
        expect(attempt(() => parseGlueTableDocument(TABLE_SOURCE, document)).ok).toBe(true);
        expect(tableViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: arbitrary values are a table or InputErrors naming the source', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, anyJson, anyJson.map((Table) => ({ Table }))), (document) => {
        skipKnownDefects(document);
        expect(tableViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated fixtures (deleted, retyped, huge, unicode, deep, "__proto__" / "constructor" keys) are a faithful table or InputErrors', () => {
    fc.assert(
      fc.property(tableBase, mutationPlan, (base, plan) => {
        const document = applyMutations(base, plan);
        skipKnownDefects(document);
        expect(tableViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: Table keys replaced by arbitrary values are a faithful table or InputErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLES).chain(({ document }) => (isRecord(document.Table) ? reshaped(document.Table) : fc.constant(document))), (document) => {
        skipKnownDefects(document);
        expect(tableViolations({ Table: document })).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: column types, parameters and formats fuzzed with hostile strings are a faithful table or InputErrors', () => {
    const hostile = fc.oneof(
      fc.array(fc.constantFrom(...TYPE_TOKENS), { maxLength: 12 }).map((t) => t.join('')),
      fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'PARQUET', 'Iceberg', 'delta', ''),
    );
    const target = fc.constantFrom('column-type', 'classification', 'table_type', 'provider', 'serde', 'input-format', 'parameter-key', 'serde-key');
    fc.assert(
      fc.property(fc.constantFrom(...TABLES), target, hostile, fc.nat(), ({ document }, where, value, pick) => {
        const doc = structuredClone(document);
        const table = isRecord(doc.Table) ? doc.Table : {};
        const sd = isRecord(table.StorageDescriptor) ? table.StorageDescriptor : (table.StorageDescriptor = {});
        const serde = isRecord(sd.SerdeInfo) ? sd.SerdeInfo : (sd.SerdeInfo = {});
        const parameters = isRecord(table.Parameters) ? table.Parameters : (table.Parameters = {});
        const serdeParameters = isRecord(serde.Parameters) ? serde.Parameters : (serde.Parameters = {});
        const columns = Array.isArray(sd.Columns) ? (sd.Columns as unknown[]) : [];
        const column: unknown = columns[pick % Math.max(1, columns.length)];
        const edits: Record<typeof where, () => void> = {
          'column-type': () => {
            if (isRecord(column)) column.Type = value;
          },
          classification: () => {
            delete serde.SerializationLibrary;
            delete sd.InputFormat;
            parameters.classification = value;
          },
          table_type: () => (parameters.table_type = value),
          provider: () => (parameters['spark.sql.sources.provider'] = value),
          serde: () => (serde.SerializationLibrary = value),
          'input-format': () => (sd.InputFormat = value),
          'parameter-key': () => Object.defineProperty(parameters, value, { value: 'x', enumerable: true, writable: true, configurable: true }),
          'serde-key': () => Object.defineProperty(serdeParameters, value, { value: 'x', enumerable: true, writable: true, configurable: true }),
        };
        edits[where]();
        skipKnownDefects(doc);
        expect(tableViolations(doc)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });
});

describe('fuzz findings: contract and table loaders', () => {
  const parquet = TABLES.find((t) => t.name === 'crawler-parquet-nested.json')?.document ?? {};

  /** The parquet fixture's Table, edited in place on a copy. */
  function editedTable(edit: (table: Record<string, unknown>) => void): Record<string, unknown> {
    const document = structuredClone(parquet);
    if (isRecord(document.Table)) edit(document.Table);
    return document;
  }

  function ordersWith(edit: (properties: Record<string, unknown>) => void): Record<string, unknown> {
    const document = structuredClone(ORDERS);
    if (isRecord(document.properties)) edit(document.properties);
    return document;
  }

  const deepArray = (): unknown => materialize({ deep: 5_000, shape: 'array', leaf: null });

  it('regression D3: a contract property holding 5,000-deep JSON is an InputError (was a RangeError from normalise)', () => {
    const document = ordersWith((properties) => {
      if (isRecord(properties.status)) properties.status.enum = deepArray();
    });
    expect(contractViolations(document)).toEqual([]);
  });

  it('regression D3: that file is reported by loadContractTree (it used to reject for the whole tree)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drift-guard-fuzz-'));
    const directory = join(root, 'sales', 'orders');
    await mkdir(directory, { recursive: true });
    const document = ordersWith((properties) => {
      if (isRecord(properties.status)) properties.status.enum = deepArray();
    });
    await writeFile(join(directory, 'v1.json'), jsonText(document));
    const outcome = await attemptAsync(() => loadContractTree(root));
    await rm(root, { recursive: true, force: true });
    expect(outcome.ok ? [] : [describeThrown(outcome.error)]).toEqual([]);
  });

  it('regression D4: a contract property named "__proto__" is an InputError (it was accepted unvalidated and dropped)', () => {
    const document = ordersWith((properties) => defineOwn(properties, '__proto__', 42));
    expect(contractViolations(document)).toEqual([]);
  });

  it('regression D4: a table parameter "__proto__" holding an object is an InputError (it was accepted and dropped)', () => {
    const document = editedTable((table) => (table.Parameters = defineOwn({ classification: 'parquet' }, '__proto__', { nested: 1 })));
    expect(tableViolations(document)).toEqual([]);
  });

  it('regression D5: classification "constructor" is an unknown storage format (it was the Object function)', () => {
    const document = editedTable((table) => {
      const sd = table.StorageDescriptor;
      if (isRecord(sd)) {
        delete sd.SerdeInfo;
        delete sd.InputFormat;
      }
      table.Parameters = { classification: 'constructor' };
    });
    expect(tableViolations(document)).toEqual([]);
  });

  it('fixed defect D6: a column typed foo(1000000000000000000000) is accepted as foo(1e+21), which does not parse', () => {
    const document = editedTable((table) => {
      const sd = table.StorageDescriptor;
      if (isRecord(sd) && Array.isArray(sd.Columns)) sd.Columns.push({ Name: 'big', Type: 'foo(1000000000000000000000)' });
    });
    expect(tableViolations(document)).toEqual([]);
  });
});
