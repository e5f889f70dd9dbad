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
import { type Contract, contractFromFile, contractToFile } from '../../functions/core/contract.js';
import { loadContractTree } from '../../functions/core/contract-repository.js';
import { InputErrors, parseJsonText } from '../../functions/core/errors.js';
import { STORAGE_FORMATS } from '../../functions/core/storage-format.js';
import { parseGlueTableDocument } from '../../functions/core/table-schema.js';
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
  contractDocumentFor,
  describeThrown,
  fuzzParameters,
  inputErrorViolations,
  isRecord,
  jsonText,
  mutationPlan,
  ordersContractDocument,
  reshaped,
  slowness,
  stringEdit,
  tableDocuments,
} from './support.js';

const CONTRACT_SOURCE = 'contracts/sales/orders/v1.json';
const TABLE_SOURCE = 'tables/ünïcode orders.json';

const TABLES = tableDocuments();
const ORDERS = ordersContractDocument();

/** Base contract documents: the repository's real one, and one per table fixture. */
const contractBase: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(ORDERS) },
  { weight: 2, arbitrary: fc.constantFrom(...TABLES.map((t) => t.document)).map((doc) => contractDocumentFor(parseGlueTableDocument('fixture', doc).schema)) },
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
        expect(contractViolations(applyMutations(base, plan))).toEqual([]);
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
        const fields = !outcome.ok && outcome.error instanceof InputErrors ? outcome.error.errors.map((e) => e.field) : [];
        // contract.ts names a property `properties["items"]`, zod's paths name it `properties.items`: either will do.
        const named = fields.some((f) => f.startsWith(`properties["${column}"]`) || f.startsWith(`properties.${column}`));
        expect(outcome.ok || named, `fields reported: ${fields.join(', ')}`).toBe(true);
      }),
      fuzzParameters(),
    );
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
        expect(tableViolations(document)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated fixtures (deleted, retyped, huge, unicode, deep, "__proto__" / "constructor" keys) are a faithful table or InputErrors', () => {
    fc.assert(
      fc.property(tableBase, mutationPlan, (base, plan) => {
        expect(tableViolations(applyMutations(base, plan))).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: Table keys replaced by arbitrary values are a faithful table or InputErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLES).chain(({ document }) => (isRecord(document.Table) ? reshaped(document.Table) : fc.constant(document))), (document) => {
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
        expect(tableViolations(doc)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });
});
