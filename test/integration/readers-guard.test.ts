/**
 * What readers read, end to end on the local stack (real SDK v3 clients over HTTP): the Avro reader schema, a
 * view's SQL and the ORC/Parquet index-access SerDe parameters reach the judge through GetTable, and a restore
 * writes the approved ones back through UpdateTable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetTableCommand, type Table, type TableInput } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { writeContractVersion } from '../../functions/core/contracts/contract-repository.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { tableDocument } from '../support/fixtures.js';
import { alerts, startDemo } from '../support/guard-scenario.js';

/** The writable part of a fixture table (what a writer sends in UpdateTable). */
function inputOf(fixture: string): { database: string; input: TableInput } {
  const table = tableDocument(fixture).Table as { Name: string; DatabaseName: string } & Omit<Table, 'Name' | 'DatabaseName'>;
  const input: TableInput = {
    Name: table.Name,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    TableType: table.TableType,
    Parameters: table.Parameters,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
  };
  return { database: table.DatabaseName, input: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as TableInput };
}

describe('Judging what readers read, on the local stack', () => {
  let guarded: GuardedStack | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** The demo stack with a contract for `fixture` (as stored) and the table in the catalog. */
  async function guardFixture(fixture: string): Promise<{ g: GuardedStack; database: string; input: TableInput }> {
    const dir = await mkdtemp(join(tmpdir(), 'contracts-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const next = nextContractVersion(undefined, parseGlueTableDocument(fixture, tableDocument(fixture)), {
      reviewer: 'test',
      reason: 'baseline',
      approvedAt: new Date(),
    });
    if (next.outcome !== 'created') throw new Error('expected a new contract');
    await writeContractVersion(dir, next.contract);
    guarded = await startDemo({ contractsDir: dir });
    const { database, input } = inputOf(fixture);
    guarded.stack.glue.putTable(database, input, { emit: false });
    return { g: guarded, database, input };
  }

  async function storedTable(g: GuardedStack, database: string, name: string) {
    const { Table } = await g.clients.glue.send(new GetTableCommand({ DatabaseName: database, Name: name }));
    return Table;
  }

  it('an Avro table whose avro.schema.literal alone loses a field is blocked, and the approved literal written back', async () => {
    // Prepare
    const { g, database, input } = await guardFixture('crawler-avro.json');
    const serde = input.StorageDescriptor?.SerdeInfo?.Parameters ?? {};
    const approved = serde['avro.schema.literal'] ?? '';
    const schema = JSON.parse(approved) as { fields: { name: string }[] };
    const edited = JSON.stringify({ ...schema, fields: schema.fields.filter((f) => f.name !== 'weatherdelay') });
    // Act: someone edits the SerDe property only; the columns still list weatherdelay.
    g.stack.glue.putTable(database, {
      ...input,
      StorageDescriptor: { ...input.StorageDescriptor, SerdeInfo: { ...input.StorageDescriptor?.SerdeInfo, Parameters: { ...serde, 'avro.schema.literal': edited } } },
    });
    await g.stack.bus.drain();
    // Assess
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    expect(alert?.attributes.outcome).toBe('blocked');
    expect(alert?.body.content.description).toContain('Avro reader schema column `weatherdelay` (int) removed (COLUMN_REMOVED)');
    expect(alert?.body.content.description).toContain('AVRO_SCHEMA_DISAGREES_WITH_COLUMNS');
    const restored = await storedTable(g, database, input.Name ?? '');
    expect(restored?.StorageDescriptor?.SerdeInfo?.Parameters?.['avro.schema.literal']).toBe(approved);
    expect(restored?.Parameters?.['avro.schema.literal']).toBe(approved);
  });

  it("a view's changed SQL is reported (warning) and left alone", async () => {
    // Prepare
    const { g, database, input } = await guardFixture('athena-view.json');
    const original = input.ViewOriginalText ?? '';
    const encoded = /^\/\* Presto View: (.*) \*\/$/.exec(original)?.[1] ?? '';
    const view = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { originalSql: string };
    const sql = view.originalSql.replace(' GROUP BY 1', ' WHERE elb_status_code < 500 GROUP BY 1');
    const replaced = `/* Presto View: ${Buffer.from(JSON.stringify({ ...view, originalSql: sql })).toString('base64')} */`;
    // Act
    g.stack.glue.putTable(database, { ...input, ViewOriginalText: replaced });
    await g.stack.bus.drain();
    // Assess
    const [alert, ...more] = alerts(g);
    expect(more).toEqual([]);
    expect(alert?.attributes).toMatchObject({ outcome: 'allowed', severity: 'warning' });
    expect(alert?.body.content.description).toContain('VIEW_DEFINITION_CHANGED');
    expect((await storedTable(g, database, input.Name ?? ''))?.ViewOriginalText).toBe(replaced);
  });

  it('an ORC table read by name takes a column inserted midway; losing orc.column.index.access=false is blocked and restored', async () => {
    // Prepare: the table declares reading ORC by name.
    const { input: base } = inputOf('crawler-orc.json');
    const byName = (parameters: Record<string, string>): TableInput => ({
      ...base,
      StorageDescriptor: { ...base.StorageDescriptor, SerdeInfo: { ...base.StorageDescriptor?.SerdeInfo, Parameters: parameters } },
    });
    const serde = base.StorageDescriptor?.SerdeInfo?.Parameters ?? {};
    const dir = await mkdtemp(join(tmpdir(), 'contracts-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const document = tableDocument('crawler-orc.json');
    const declared = byName({ ...serde, 'orc.column.index.access': 'false' });
    const next = nextContractVersion(undefined, parseGlueTableDocument('orc', { Table: { ...document.Table, StorageDescriptor: declared.StorageDescriptor } }), {
      reviewer: 'test',
      reason: 'baseline',
      approvedAt: new Date(),
    });
    if (next.outcome !== 'created') throw new Error('expected a new contract');
    await writeContractVersion(dir, next.contract);
    guarded = await startDemo({ contractsDir: dir });
    const g = guarded;
    const database = String(document.Table.DatabaseName);
    g.stack.glue.putTable(database, declared, { emit: false });
    const columns = declared.StorageDescriptor?.Columns ?? [];
    // Act 1: a column inserted after warehouse_id.
    g.stack.glue.putTable(database, { ...declared, StorageDescriptor: { ...declared.StorageDescriptor, Columns: [...columns.slice(0, 3), { Name: 'aisle', Type: 'string' }, ...columns.slice(3)] } });
    await g.stack.bus.drain();
    // Act 2: a crawler run rewrites the table without the hand-set parameter.
    g.stack.glue.putTable(database, byName(serde));
    await g.stack.bus.drain();
    // Assess
    const outcomes = alerts(g).map((a) => a.attributes.outcome);
    expect(outcomes).toEqual(['allowed', 'blocked']);
    expect(alerts(g)[1]?.body.content.description).toContain('COLUMN_MATCHING_CHANGED');
    const restored = await storedTable(g, database, base.Name ?? '');
    expect(restored?.StorageDescriptor?.SerdeInfo?.Parameters?.['orc.column.index.access']).toBe('false');
  });
});
