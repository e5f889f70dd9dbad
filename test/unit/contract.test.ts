import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Contract, contractFromFile, contractToFile } from '../../functions/core/contracts/contract.js';
import { emptyTableProblem, nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { activeContract, loadContractTree, loadTableContracts, writeContractVersion } from '../../functions/core/contracts/contract-repository.js';
import { InputError, InputErrors } from '../../functions/core/errors.js';
import { judge } from '../../functions/core/judging/judge.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import type { TableSchema } from '../../functions/core/schema/table-schema.js';
import { tableSchema } from '../support/arbitraries.js';
import { tableFixture } from '../support/fixtures.js';

function contractOf(schema: TableSchema, version = 1, overrides: Partial<Contract> = {}): Contract {
  return {
    version,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: ['nightly-orders'],
    owners: ['data-platform@example.com'],
    approval: { reviewer: 'alice', approvedAt: '2026-11-21T09:30:00.000Z', reason: 'baseline', glueVersionId: '3', acknowledges: [] },
    schema,
    ...overrides,
  };
}

/** Problems reported for a contract document, as "field: expected" lines. */
function problemsOf(document: unknown): string[] {
  try {
    contractFromFile('v1.json', document);
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => `${e.field}: ${e.expected}`);
    if (error instanceof InputError) return [`${error.field}: ${error.expected}`];
    throw error;
  }
  return [];
}

function validFile(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(contractToFile(contractOf(tableFixture('crawler-parquet-nested.json').schema)))) as Record<string, unknown>;
}

describe('Contract files', () => {
  it('property: contract ⇄ canonical schema round-trips losslessly through JSON text', () => {
    fc.assert(
      fc.property(tableSchema, (schema) => {
        const text = JSON.stringify(contractToFile(contractOf(schema)));
        const back = contractFromFile('v1.json', JSON.parse(text));
        expect(back).toEqual(contractOf(schema));
      }),
      { numRuns: 300 },
    );
  });

  it('property: a table judged against its own snapshot is compliant', () => {
    fc.assert(
      fc.property(tableSchema, (schema) => {
        const contract = contractFromFile('v1.json', JSON.parse(JSON.stringify(contractToFile(contractOf(schema)))));
        const judgement = judge(contract, schema);
        expect(judgement.verdict).toBe('compliant');
      }),
      { numRuns: 200 },
    );
  });

  it('a column or struct field named after an Object.prototype member (__proto__, constructor, toString) round-trips and judges compliant', () => {
    const base = tableFixture('crawler-parquet-nested.json').schema;
    const struct = parseGlueType('struct<__proto__:int,constructor:string,toString:struct<__proto__:bigint>,hasOwnProperty:boolean>');
    const schema: TableSchema = { ...base, columns: [...base.columns, { name: '__proto__', type: struct }, { name: 'constructor', type: parseGlueType('string') }] };
    const text = JSON.stringify(contractToFile(contractOf(schema)));
    expect(text).toContain('"__proto__":{"type":["integer","null"]');
    const back = contractFromFile('v1.json', JSON.parse(text));
    expect(back).toEqual(contractOf(schema));
    expect(back.schema.columns.map((c) => c.name)).toContain('__proto__');
    expect(judge(back, schema).verdict).toBe('compliant');
  });

  it('still refuses a __proto__ key that is not a name: in parameters, or a stray one inside a column schema', () => {
    const withParameter = validFile();
    withParameter['x-table-parameters'] = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    expect(() => contractFromFile('v1.json', withParameter)).toThrow('v1.json: x-table-parameters.__proto__: a key other than "__proto__"');
    const stray = validFile();
    const properties = stray.properties as Record<string, Record<string, unknown>>;
    properties.total = { ...properties.total, ...(JSON.parse('{"__proto__": {"type": "string"}}') as Record<string, unknown>) };
    expect(() => contractFromFile('v1.json', stray)).toThrow('v1.json: properties.total.__proto__: a key other than "__proto__"');
  });

  it('is JSON Schema draft-07 with the Glue facts in x- keys', () => {
    const file = validFile();
    expect(file.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(file.properties).toMatchObject({
      total: { type: ['number', 'null'], 'x-glue-type': 'decimal(38,18)', 'x-position': 4 },
      items: { type: ['array', 'null'], items: { type: ['object', 'null'], additionalProperties: false } },
      year: { 'x-partition-key': true, 'x-position': 0 },
    });
  });

  describe('strict validation names the field and what was expected', () => {
    it('rejects an unknown top-level key', () => {
      expect(problemsOf({ ...validFile(), 'x-ownerz': ['bob'] })).toEqual([expect.stringMatching(/^: Unrecognized key: "x-ownerz"/)]);
    });

    it('rejects a bad enum value', () => {
      expect(problemsOf({ ...validFile(), 'x-compatibility': 'lenient' })).toEqual([
        expect.stringMatching(/^x-compatibility: Invalid option: expected one of "consumer-safe"\|"strict"\|"observe"/),
      ]);
    });

    it('x-stop-running-runs: a boolean, round-tripped, and carried over to the next version', () => {
      const schema = tableFixture('crawler-parquet-nested.json').schema;
      const file = contractToFile(contractOf(schema, 1, { stopRunningRuns: true }));
      expect(file['x-stop-running-runs']).toBe(true);
      expect(contractFromFile('v1.json', JSON.parse(JSON.stringify(file)))).toMatchObject({ stopRunningRuns: true });
      expect(validFile()).not.toHaveProperty('x-stop-running-runs');
      expect(problemsOf({ ...validFile(), 'x-stop-running-runs': 'yes' })).toEqual([
        'x-stop-running-runs: true or false (whether holding the workflows stops their RUNNING runs)',
      ]);
      const history = { database: schema.database, table: schema.name, directory: 'contracts', versions: [{ file: 'v1.json', contract: contractOf(schema, 1, { stopRunningRuns: false }) }] };
      const table = { schema: { ...schema, columns: schema.columns.slice(0, -1) }, versionId: '9' };
      const next = nextContractVersion(history, table, { reviewer: 'bob', reason: 'approved', approvedAt: new Date('2026-11-22T00:00:00Z') });
      expect(next.outcome === 'created' ? next.contract.stopRunningRuns : 'unchanged').toBe(false);
    });

    it('rejects an unknown x- key on a column', () => {
      const file = validFile();
      const properties = file.properties as Record<string, Record<string, unknown>>;
      properties.total = { ...properties.total, 'x-glue-typo': 'int' };
      expect(problemsOf(file)).toContain('properties["total"].x-glue-typo: one of x-glue-type, x-position, x-partition-key (unknown x- key)');
    });

    it('rejects a JSON Schema body edited apart from its x-glue-type', () => {
      const file = validFile();
      const properties = file.properties as Record<string, Record<string, unknown>>;
      properties.total = { ...properties.total, 'x-glue-type': 'string' };
      expect(problemsOf(file)).toEqual([
        expect.stringMatching(/^properties\["total"\]: the JSON Schema derived from x-glue-type "string": \{"type":\["string","null"\]\}/),
      ]);
    });

    it('rejects an unparseable x-glue-type with the column and position', () => {
      const file = validFile();
      const properties = file.properties as Record<string, Record<string, unknown>>;
      properties.total = { ...properties.total, 'x-glue-type': 'decimal(38,' };
      expect(problemsOf(file)).toEqual(['properties["total"].x-glue-type: column `total`: invalid type "decimal(38," at position 11: expected a decimal precision or scale']);
    });

    it('rejects gaps or repeats in column positions', () => {
      const file = validFile();
      const properties = file.properties as Record<string, Record<string, unknown>>;
      properties.total = { ...properties.total, 'x-position': 40 };
      expect(problemsOf(file)).toEqual([expect.stringMatching(/x-position: columns numbered 0\.\.10 without gaps or repeats/)]);
    });

    it('requires an approval record on an approved version', () => {
      const file = validFile();
      delete file['x-approval'];
      expect(problemsOf(file)).toEqual(['x-approval: an approval record (reviewer, approvedAt, reason) on an approved version']);
    });

    it('rejects an approval time that is not ISO 8601 and an acknowledgement of an unknown rule', () => {
      const file = validFile();
      file['x-approval'] = { reviewer: 'a', approvedAt: 'yesterday', reason: 'r', acknowledges: [{ ruleId: 'COLUMN_DELETED', path: 'columns.x' }] };
      const found = problemsOf(file);
      expect(found).toContainEqual(expect.stringMatching(/^x-approval\.approvedAt: an ISO 8601 date-time/));
      expect(found).toContainEqual(expect.stringMatching(/^x-approval\.acknowledges\[0\]\.ruleId: Invalid option/));
    });
  });
});

/** Names Glue accepts and drift-guard can file: mixed case, dots, spaces, dashes, __proto__ (never starting with "."). */
const glueNameArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_ .$-]{0,20}$/),
  fc.constantFrom('__proto__', 'constructor', 'Sales', 'café', '中文'),
);

describe('Contract repository', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contracts-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const orders = tableFixture('crawler-parquet-nested.json').schema;

  it('writes versions under <db>/<table>/v<N>.json and picks the latest approved as active', async () => {
    await writeContractVersion(dir, contractOf(orders, 1));
    await writeContractVersion(dir, contractOf(orders, 2));
    await writeContractVersion(dir, contractOf(orders, 3, { status: 'proposed' }));
    const history = await loadTableContracts(dir, orders.database, orders.name);
    expect(history?.versions.map((v) => v.contract.version)).toEqual([1, 2, 3]);
    expect(history === undefined ? undefined : activeContract(history)?.contract.version).toBe(2);
  });

  it('never overwrites an existing version and leaves no partial file', async () => {
    const path = await writeContractVersion(dir, contractOf(orders, 1));
    const before = await readFile(path, 'utf8');
    await expect(writeContractVersion(dir, contractOf(orders, 1, { owners: ['mallory'] }))).rejects.toThrow(/never overwritten/);
    expect(await readFile(path, 'utf8')).toBe(before);
    const tree = await loadContractTree(dir);
    expect(tree.errors).toEqual([]);
  });

  it('reports a gap in version numbers with the file and what is missing', async () => {
    await writeContractVersion(dir, contractOf(orders, 1));
    await writeContractVersion(dir, contractOf(orders, 3));
    const tree = await loadContractTree(dir);
    expect(tree.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/v3\.json: x-version: versions numbered 1, 2, 3, \.\.\. without gaps \(v2\.json is missing; found v1, v3\)$/),
    ]);
  });

  it('reports a contract filed under the wrong table or with a mismatched version', async () => {
    const path = await writeContractVersion(dir, contractOf(orders, 1));
    const other = join(dir, orders.database, 'customers');
    await mkdir(other);
    await writeFile(join(other, 'v2.json'), await readFile(path, 'utf8'));
    const tree = await loadContractTree(dir);
    const messages = tree.errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/customers\/v2\.json: x-version: 2 \(the file's name says v2\)/));
    expect(messages).toContainEqual(expect.stringMatching(/customers\/v2\.json: x-glue-table: "customers" \(the directory it is in\)/));
  });

  it('reports malformed JSON with the file', async () => {
    await mkdir(join(dir, 'sales', 'orders'), { recursive: true });
    await writeFile(join(dir, 'sales', 'orders', 'v1.json'), '{"x-version": 1,');
    const tree = await loadContractTree(dir);
    expect(tree.errors.map((e) => e.message)).toEqual([expect.stringMatching(/sales\/orders\/v1\.json: malformed JSON/)]);
  });

  it('no version is made from a table without columns (snapshot and approve both go through nextContractVersion)', () => {
    const empty = { schema: { ...orders, columns: [] }, versionId: '4' };
    const approval = { reviewer: 'bob', reason: 'r', approvedAt: new Date('2026-11-22T00:00:00Z') };
    expect(() => nextContractVersion(undefined, empty, approval)).toThrow(
      'sales_curated.orders: StorageDescriptor.Columns: a table with at least one column (found none: no StorageDescriptor, or an empty StorageDescriptor.Columns)',
    );
    expect(emptyTableProblem({ schema: orders })).toBeUndefined();
  });

  it('refuses to write a contract the loader would reject, naming the table and the field, and writes nothing', async () => {
    const error = await writeContractVersion(dir, contractOf(orders, 1, { owners: [] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputErrors);
    expect(String(error)).toMatch(/sales_curated\/orders\/v1\.json \(not written\): x-owners: at least one owner/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('property: every contract the writer accepts is one the loader (check, audit, the guard) accepts, whatever the names', async () => {
    await fc.assert(
      fc.asyncProperty(tableSchema, glueNameArb, glueNameArb, async (schema, database, name) => {
        const root = await mkdtemp(join(tmpdir(), 'contracts-prop-'));
        try {
          await writeContractVersion(root, contractOf({ ...schema, database, name }));
          const tree = await loadContractTree(root);
          expect(tree.errors).toEqual([]);
          expect(tree.histories.map((h) => h.versions[0]?.contract)).toEqual([contractOf({ ...schema, database: database.toLowerCase(), name: name.toLowerCase() })]);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['../escape', 'orders', /a Glue database name .*found "\.\.\/escape"/],
    ['sales', '../../etc', /a Glue table name .*found "\.\.\/\.\.\/etc"/],
    ['sales', 'a/b', /holds "\/" or "\\\\"/],
    ['sales', '..', /starts with "\."/],
    ['sales', '.hidden', /starts with "\."/],
    ['sales', 'tab\there', /control character/],
    ['', 'orders', /it is empty/],
    ['sales', 'x'.repeat(256), /longer than 255 bytes/],
  ])('never builds a path from an unsafe name: database %j, table %j is refused, nothing written', async (database, table, message) => {
    const parent = join(dir, 'inner');
    await mkdir(parent);
    const contract = contractOf({ ...orders, database, name: table });
    await expect(writeContractVersion(parent, contract)).rejects.toThrow(message);
    await expect(loadTableContracts(parent, database, table)).rejects.toThrow(message);
    expect(await readdir(dir)).toEqual(['inner']);
    expect(await readdir(parent)).toEqual([]);
  });

  it('lower-cases a mixed-case name once: written under the lower-case directory, found again by any spelling', async () => {
    const path = await writeContractVersion(dir, contractOf({ ...orders, database: 'Sales_Curated', name: 'ORDERS' }));
    expect(path).toBe(join(dir, 'sales_curated', 'orders', 'v1.json'));
    const file = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect([file['x-glue-database'], file['x-glue-table']]).toEqual(['sales_curated', 'orders']);
    expect((await loadTableContracts(dir, 'SALES_curated', 'Orders'))?.versions).toHaveLength(1);
    await expect(writeContractVersion(dir, contractOf({ ...orders, database: 'SALES_CURATED' }, 1))).rejects.toThrow(/never overwritten/);
  });

  it('reads a contract file that spells its table in mixed case as the lower-case table, and refuses an unsafe one', () => {
    expect(contractFromFile('v1.json', { ...validFile(), 'x-glue-database': 'Sales_Curated', 'x-glue-table': 'Orders' }).schema).toMatchObject({ database: 'sales_curated', name: 'orders' });
    expect(problemsOf({ ...validFile(), 'x-glue-table': '../orders' })).toEqual([expect.stringMatching(/^x-glue-table: a Glue table name .*found "\.\.\/orders"/)]);
  });

  it('refuses a contract directory not named as Glue stores the table (a second, disagreeing history), in the tree and for one table', async () => {
    await writeContractVersion(dir, contractOf(orders, 1));
    await mkdir(join(dir, 'sales_curated', 'Orders'));
    await writeFile(join(dir, 'sales_curated', 'Orders', 'v1.json'), await readFile(join(dir, 'sales_curated', 'orders', 'v1.json'), 'utf8'));
    const tree = await loadContractTree(dir);
    expect(tree.errors.map((e) => e.message)).toEqual([expect.stringMatching(/sales_curated\/Orders: a directory named as Glue stores the table, in lower case: "orders" \(found "Orders"/)]);
    await expect(loadTableContracts(dir, 'sales_curated', 'orders')).rejects.toThrow(/sales_curated\/Orders: a directory named as Glue stores the table/);
  });

  it('finds no contract for a table it does not know, and none in a missing directory', async () => {
    expect(await loadTableContracts(dir, 'sales', 'nothing')).toBeUndefined();
    expect(await loadTableContracts(join(dir, 'missing'), 'sales', 'orders')).toBeUndefined();
  });
});
