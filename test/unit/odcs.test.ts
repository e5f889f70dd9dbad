import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { activeContract, loadTableContracts } from '../../functions/core/contracts/contract-repository.js';
import { type OdcsDocument, contractToOdcs, odcsToContract } from '../../functions/core/contracts/odcs.js';
import { InputError, InputErrors } from '../../functions/core/errors.js';
import type { TableSchema } from '../../functions/core/schema/table-schema.js';
import { tableSchema } from '../support/arbitraries.js';
import { FIXTURES, readJsonFixture } from '../support/fixtures.js';
import { ROOT } from '../support/cli.js';

const FOREIGN = { version: 1, owners: ['alice'] };

function contractOf(schema: TableSchema, overrides: Partial<Contract> = {}): Contract {
  return {
    version: 3,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: ['nightly-orders'],
    owners: ['data-platform@example.com'],
    approval: { reviewer: 'alice', approvedAt: '2026-11-21T09:30:00.000Z', reason: 'baseline', glueVersionId: '3', acknowledges: [{ ruleId: 'COLUMN_REMOVED', path: 'x' }] },
    schema,
    ...overrides,
  };
}

/** Through JSON text, as a file would carry it. */
function viaText(doc: OdcsDocument): unknown {
  return JSON.parse(JSON.stringify(doc)) as unknown;
}

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => `${e.field}: ${e.expected}`);
    if (error instanceof InputError) return [`${error.field}: ${error.expected}`];
    throw error;
  }
  throw new Error('expected the document to be refused');
}

async function ordersV1(): Promise<Contract> {
  const history = await loadTableContracts(join(ROOT, 'contracts'), 'sales', 'orders');
  const active = history === undefined ? undefined : activeContract(history);
  if (active === undefined) throw new Error('contracts/sales/orders has no active version');
  return active.contract;
}

describe('ODCS export', () => {
  it('property: contract → ODCS → contract is lossless through JSON text', () => {
    const terms = fc.record({
      status: fc.constantFrom('approved' as const, 'proposed' as const),
      enforcement: fc.constantFrom('enforce' as const, 'observe' as const),
      stopRunningRuns: fc.option(fc.boolean(), { nil: undefined }),
      description: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(tableSchema, terms, (schema, { status, enforcement, stopRunningRuns, description }) => {
        const contract = contractOf(schema, {
          status,
          enforcement,
          ...(stopRunningRuns === undefined ? {} : { stopRunningRuns }),
          ...(description === undefined ? {} : { description }),
        });
        const back = odcsToContract('orders.odcs.json', viaText(contractToOdcs(contract)), FOREIGN);
        expect(back.origin).toBe('drift-guard');
        expect(back.unrecovered).toEqual([]);
        expect(back.contract).toEqual(contract);
      }),
      { numRuns: 200 },
    );
  });

  it('the repository contract exports the full Glue type, logical types, order, partitions and storage', async () => {
    const contract = await ordersV1();
    const doc = contractToOdcs(contract);
    expect(doc).toMatchObject({ apiVersion: 'v3.0.1', kind: 'DataContract', id: 'glue-drift-guard://sales/orders', version: '1.0.0', status: 'approved' });
    const [object] = doc.schema;
    expect(object?.properties.map((p) => p.name)).toEqual(['order_id', 'customer_id', 'order_ts', 'status', 'amount', 'currency', 'items', 'shipping', 'dt']);
    const byName = new Map(object?.properties.map((p) => [p.name, p]));
    expect(byName.get('order_id')).toEqual({ name: 'order_id', physicalType: 'bigint', logicalType: 'integer', logicalTypeOptions: { format: 'i64' } });
    expect(byName.get('amount')).toEqual({ name: 'amount', physicalType: 'decimal(10,2)', logicalType: 'number' });
    expect(byName.get('dt')).toMatchObject({ physicalType: 'string', partitioned: true, partitionKeyPosition: 1 });
    expect(byName.get('items')?.items?.properties?.map((p) => [p.name, p.physicalType])).toEqual([
      ['sku', 'string'],
      ['quantity', 'int'],
      ['unit_price', 'decimal(10,2)'],
    ]);
    expect(object?.customProperties).toEqual(
      expect.arrayContaining([
        { property: 'storageFormat', value: 'parquet' },
        { property: 'tableType', value: 'EXTERNAL_TABLE' },
        { property: 'serdeLibrary', value: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        { property: 'inputFormat', value: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' },
        { property: 'outputFormat', value: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat' },
      ]),
    );
    expect(odcsToContract('x', viaText(doc), FOREIGN).contract).toEqual(contract);
  });

  it('a derived field edited without its physicalType is refused, naming the property and what drift-guard derives', async () => {
    const doc = viaText(contractToOdcs(await ordersV1())) as { schema: { properties: Record<string, unknown>[] }[] };
    const amount = doc.schema[0]?.properties[4];
    if (amount === undefined) throw new Error('no amount');
    amount.logicalType = 'string';
    const found = problems(() => odcsToContract('orders.odcs.json', doc, FOREIGN));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^schema\[0\]\.properties\[4\]: the ODCS fields drift-guard derives from physicalType "decimal\(10,2\)"/);
  });

  it('partition keys must be numbered 1..n; a bad physicalType is a parse error at its path', async () => {
    const doc = viaText(contractToOdcs(await ordersV1())) as { schema: { properties: Record<string, unknown>[] }[] };
    const props = doc.schema[0]?.properties ?? [];
    const dt = props[8];
    const id = props[0];
    if (dt === undefined || id === undefined) throw new Error('missing properties');
    dt.partitionKeyPosition = 2;
    id.physicalType = 'bigint<';
    const found = problems(() => odcsToContract('orders.odcs.json', doc, FOREIGN));
    expect(found.some((p) => p.startsWith('schema[0].properties: partition keys numbered partitionKeyPosition 1..1 without gaps or repeats (found 2)'))).toBe(true);
    expect(found.some((p) => p.startsWith('schema[0].properties[0].physicalType:'))).toBe(true);
  });

  it('refuses a document that is not ODCS v3, or holds more than one table', () => {
    expect(problems(() => odcsToContract('x.json', { apiVersion: 'v2.2.2', kind: 'DataContract', id: 'a', version: '1', status: 'x', schema: [] }, FOREIGN))).toEqual([
      'apiVersion: an ODCS v3 apiVersion, e.g. v3.0.1',
    ]);
    expect(problems(() => odcsToContract('x.json', { apiVersion: 'v3.0.1', kind: 'DataContract', id: 'a', version: '1', status: 'x', schema: [{}, {}] }, FOREIGN))).toEqual([
      'schema: exactly one schema object (a contract guards one Glue table; found 2)',
    ]);
  });
});

describe("ODCS import of datacontract-cli's Glue output", () => {
  const fixture = (): { schema: { properties: Record<string, unknown>[] }[] } =>
    readJsonFixture(join(FIXTURES, 'odcs', 'datacontract-cli-glue-orders.json')) as { schema: { properties: Record<string, unknown>[] }[] };

  it('recovers decimal precision from custom properties, varchar length, nested types; says what it could not recover', () => {
    const result = odcsToContract('dc.json', fixture(), FOREIGN);
    expect(result.origin).toBe('foreign');
    const columns = result.contract.schema.columns.map((c) => c.name);
    expect(columns).toEqual(['order_id', 'amount', 'code', 'items', 'shipping', 'dt']);
    expect(result.contract.schema.database).toBe('sales');
    expect(result.contract.status).toBe('proposed');
    expect(result.contract.schema.storage.format).toBe('unknown');
    const types = Object.fromEntries(result.contract.schema.columns.map((c) => [c.name, c.type]));
    expect(types.amount).toEqual({ kind: 'decimal', precision: 10, scale: 2 });
    expect(types.code).toEqual({ kind: 'varchar', length: 3 });
    expect(types.shipping).toEqual({
      kind: 'struct',
      fields: [
        { name: 'city', type: { kind: 'primitive', name: 'string' } },
        { name: 'price', type: { kind: 'decimal', precision: 12, scale: 4 } },
      ],
    });
    expect(result.unrecovered.map((u) => u.where)).toEqual(['orders (dt)', 'orders (table)', 'orders (table)', 'orders (contract)']);
    expect(result.unrecovered[0]?.what).toMatch(/partition keys/);
  });

  it('a map whose key and value types were dropped, or a bare decimal, means nothing is imported, each one named', () => {
    const doc = fixture();
    const props = doc.schema[0]?.properties ?? [];
    props.push({ name: 'attrs', logicalType: 'object', physicalType: 'map' }, { name: 'fee', logicalType: 'number', physicalType: 'decimal' });
    const [found] = problems(() => odcsToContract('dc.json', doc, FOREIGN));
    expect(found).toContain('orders.attrs: map key and value types');
    expect(found).toContain('orders.fee: decimal precision and scale');
    expect(found).toMatch(/nothing written/);
  });

  it('partitioned properties are recovered as partition keys, in partitionKeyPosition order', () => {
    const doc = fixture();
    const dt = doc.schema[0]?.properties[5];
    if (dt === undefined) throw new Error('no dt');
    Object.assign(dt, { partitioned: true, partitionKeyPosition: 1 });
    const result = odcsToContract('dc.json', doc, FOREIGN);
    expect(result.contract.schema.partitionKeys.map((p) => p.name)).toEqual(['dt']);
    expect(result.unrecovered.some((u) => u.what.includes('partition keys'))).toBe(false);
  });
});

describe('ODCS import names', () => {
  it('a foreign table and database are lower-cased as Glue stores them; a name that cannot be a Glue name is refused at its path', () => {
    const doc = readJsonFixture(join(FIXTURES, 'odcs', 'datacontract-cli-glue-orders.json')) as { servers: Record<string, unknown>[]; schema: Record<string, unknown>[] };
    const object = doc.schema[0];
    const server = doc.servers[0];
    if (object === undefined || server === undefined) throw new Error('fixture changed');
    object.physicalName = 'Orders';
    server.database = 'Sales';
    const result = odcsToContract('dc.json', doc, FOREIGN);
    expect([result.contract.schema.database, result.contract.schema.name]).toEqual(['sales', 'orders']);
    object.physicalName = 'a/b';
    expect(problems(() => odcsToContract('dc.json', doc, FOREIGN))[0]).toMatch(/^schema\[0\]\.physicalName: /);
    delete server.database;
    object.physicalName = 'orders';
    expect(problems(() => odcsToContract('dc.json', doc, FOREIGN))).toEqual(['servers: the Glue database (a servers entry of type glue with a database, or --database)']);
    expect(odcsToContract('dc.json', doc, { ...FOREIGN, database: 'sales' }).contract.schema.database).toBe('sales');
  });
});
