/**
 * Partitions are judged and protected, end to end over HTTP: the guard (built by the production wiring, real SDK v3
 * clients) on the local stack's Glue partition API and its partition events. A crawl adds 250 partitions with a
 * breaking schema without changing the table's schema: they are moved to the held table (none lost, definitions
 * identical) with one alert naming them; an approval deployed brings them back exactly; duplicates and reordering
 * converge; compliant partition events cost one call.
 */
import type { Partition, PartitionInput, StorageDescriptor } from '@aws-sdk/client-glue';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractToFile } from '../../functions/core/contracts/contract.js';
import { heldTableName } from '../../functions/core/incidents/incident.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { ordersTableInput } from '../../infra/local/demo/demo-catalog.js';
import { runCliAsync } from '../support/cli.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { CONTRACTS_DIR, DEMO, alerts, contractV1, dropCurrencyAndRetypeAmount, startDemo, triggerState } from '../support/guard-scenario.js';

const HELD = heldTableName(DEMO.table);

let guarded: GuardedStack | undefined;
let contractsDir: string | undefined;
afterEach(async () => {
  await guarded?.stop();
  guarded = undefined;
  if (contractsDir !== undefined) await rm(contractsDir, { recursive: true, force: true });
  contractsDir = undefined;
});

const day = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

/** The table's StorageDescriptor with `edit` applied to its columns, at the partition's own location. */
function storage(dt: string, edit: (columns: NonNullable<StorageDescriptor['Columns']>) => NonNullable<StorageDescriptor['Columns']>): StorageDescriptor {
  const sd = ordersTableInput().StorageDescriptor ?? {};
  return { ...sd, Columns: edit([...(sd.Columns ?? [])]), Location: `s3://acme-datalake-raw/sales/orders/dt=${dt}/` };
}

const breaking = (from: number, count: number): PartitionInput[] =>
  Array.from({ length: count }, (_, i) => ({ Values: [day(from + i)], StorageDescriptor: storage(day(from + i), dropCurrencyAndRetypeAmount), Parameters: { recordCount: '100', UPDATED_BY_CRAWLER: DEMO.crawler } }));

/** A crawl that keeps the table's schema and writes `partitions` (Glue announces them ≤ 100 per event). */
function crawlPartitions(g: GuardedStack, partitions: readonly PartitionInput[]): void {
  g.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: ordersTableInput(), partitions: [...partitions] }]);
}

/** A partition as PartitionInput takes it back: what must survive a move exactly. */
function definition(p: Partition): unknown {
  const { Values, StorageDescriptor, Parameters, LastAccessTime, LastAnalyzedTime } = p;
  const own = Object.fromEntries(Object.entries(Parameters ?? {}).filter(([k]) => !k.startsWith('drift-guard:')));
  return { Values, StorageDescriptor, Parameters: own, LastAccessTime, LastAnalyzedTime };
}

const byValues = (a: Partition, b: Partition): number => (a.Values?.join() ?? '').localeCompare(b.Values?.join() ?? '');

/** Contract v2: v1 with the breaking partitions' schema approved. */
async function approveBreakingSchema(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'contracts-'));
  await cp(CONTRACTS_DIR, dir, { recursive: true });
  const v1 = contractV1();
  const table = ordersTableInput();
  const approvedTable = { ...table, DatabaseName: DEMO.database, StorageDescriptor: storage('x', dropCurrencyAndRetypeAmount) };
  const schema = { ...parseGlueTableDocument('approved', approvedTable).schema, storage: v1.schema.storage };
  const v2 = {
    ...v1,
    version: 2,
    schema,
    approval: { reviewer: 'maria.santos', approvedAt: '2026-12-01T09:00:00Z', reason: 'partitions carry the new schema', acknowledges: [] },
  };
  await writeFile(join(dir, 'sales', 'orders', 'v2.json'), `${JSON.stringify(contractToFile(v2), null, 2)}\n`);
  return dir;
}

describe('partitions are judged and protected (local stack, HTTP)', { timeout: 120_000 }, () => {
  it('a crawl adding 250 breaking partitions: all moved with identical definitions, one alert naming them, the pipeline held; an approval brings them back exactly', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawlPartitions(g, breaking(0, 250));
    const written = g.stack.glue.getPartitions(DEMO.database, DEMO.table).sort(byValues);
    expect(written).toHaveLength(250);
    g.stack.bus.configure({ autoDeliver: true });
    await g.stack.bus.drain();

    expect(g.stack.glue.getPartitions(DEMO.database, DEMO.table)).toEqual([]);
    const held = g.stack.glue.getPartitions(DEMO.database, HELD).sort(byValues);
    expect(held.map(definition)).toEqual(written.map(definition));
    const partitionAlerts = alerts(g).filter((a) => a.body.content.description.includes('partitions of'));
    expect(partitionAlerts).toHaveLength(1);
    expect(alerts(g)).toHaveLength(1);
    const description = partitionAlerts[0]?.body.content.description ?? '';
    expect(description).toContain('Moved 100 partitions');
    expect(description).toContain(`[${day(0)}]`);
    expect(description).toContain(`sales.${HELD}`);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');

    // The approval is merged and deployed: reconcile brings the partitions back exactly and releases the pipeline.
    contractsDir = await approveBreakingSchema();
    await g.redeploy(contractsDir, { reconcile: true });
    const back = g.stack.glue.getPartitions(DEMO.database, DEMO.table).sort(byValues);
    expect(back.map(definition)).toEqual(written.map(definition));
    expect(g.stack.glue.getTable(DEMO.database, HELD)).toBeUndefined();
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(g.reconciled.at(-1)?.incidents.map((i) => i.outcome)).toEqual(['resumed']);
  });

  it('`drift-guard approve --incident` of a partition incident reads the held partitions\' schema; deployed, they come back exactly and the table follows the approved schema', async () => {
    guarded = await startDemo();
    const g = guarded;
    crawlPartitions(g, breaking(0, 40));
    await g.stack.bus.drain();
    const written = g.stack.glue.getPartitions(DEMO.database, HELD).sort(byValues);
    const incident = alerts(g)[0]?.attributes.incident ?? '';
    expect(alerts(g)[0]?.body.content.nextSteps.join('\n')).toContain(`drift-guard approve sales.orders --incident ${incident}`);
    contractsDir = await mkdtemp(join(tmpdir(), 'contracts-'));
    await cp(CONTRACTS_DIR, contractsDir, { recursive: true });
    const env = { AWS_ENDPOINT_URL: g.stack.endpoint, AWS_REGION: g.stack.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

    const approved = await runCliAsync(['approve', 'sales.orders', '--incident', incident, '--reviewer', 'maria', '--reason', 'the new schema is intended', '--contracts-dir', contractsDir], { env });

    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`from held partition [${day(0)}] in sales.${HELD} (and 39 more of the incident there) (incident ${incident})`);
    expect(approved.stdout).toContain('acknowledged');
    await g.redeploy(contractsDir, { reconcile: true });
    const back = g.stack.glue.getPartitions(DEMO.database, DEMO.table).sort(byValues);
    expect(back.map(definition)).toEqual(written.map(definition));
    expect(g.stack.glue.getTable(DEMO.database, HELD)).toBeUndefined();
    // The table had kept the old schema: under the approved version it is brought to the new one (nothing is lost:
    // its old columns are the contract's history), so readers of the table and of the partitions agree again.
    const table = g.stack.glue.getTable(DEMO.database, DEMO.table);
    expect(table?.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type])).toEqual(written[0]?.StorageDescriptor?.Columns?.map((c) => [c.Name, c.Type]));
    expect(g.reconciled.at(-1)?.incidents.map((i) => [i.incidentId, i.outcome])).toEqual([[incident, 'resumed']]);
    // No second incident: the table brought to the approved schema is the resume's own write, not a drift.
    expect(alerts(g).filter((a) => a.attributes.outcome === 'blocked').map((a) => a.attributes.incident)).toEqual([incident]);
  });

  it('`drift-guard resume --keep-current` of a partition incident restarts the pipeline; the rejected partitions stay held, and it says where', async () => {
    guarded = await startDemo();
    const g = guarded;
    crawlPartitions(g, breaking(0, 30));
    await g.stack.bus.drain();
    const incident = alerts(g)[0]?.attributes.incident ?? '';
    expect(alerts(g)[0]?.body.content.nextSteps.join('\n')).toContain(`drift-guard resume sales.orders --incident ${incident} --keep-current`);
    const result = await runCliAsync(['resume', 'sales.orders', '--incident', incident, '--keep-current', '--contracts-dir', CONTRACTS_DIR], {
      env: { AWS_ENDPOINT_URL: g.stack.endpoint, AWS_REGION: g.stack.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`30 partitions of this incident the contract still rejects stay held in sales.${HELD}`);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(g.stack.glue.getPartitions(DEMO.database, HELD)).toHaveLength(30);
    expect(g.stack.glue.getPartitions(DEMO.database, DEMO.table)).toEqual([]);
    // `audit` names the held table as what it is, not as an unguarded table.
    const audited = await runCliAsync(['audit', '--database', 'sales', '--contracts-dir', CONTRACTS_DIR, '--json'], {
      env: { AWS_ENDPOINT_URL: g.stack.endpoint, AWS_REGION: g.stack.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const report = z.object({ unguarded: z.array(z.string()), held: z.array(z.object({ table: z.string(), heldFor: z.string() })) }).parse(JSON.parse(audited.stdout));
    expect(report.held).toEqual([{ table: `sales.${HELD}`, heldFor: 'sales.orders' }]);
    expect(report.unguarded).not.toContain(`sales.${HELD}`);
  });

  it('duplicated and reordered deliveries converge: nothing lost, one alert', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ duplicateRate: 0.5, reorder: true, autoDeliver: false });
    crawlPartitions(g, breaking(0, 120));
    crawlPartitions(g, breaking(120, 80));
    g.stack.bus.configure({ autoDeliver: true });
    await g.stack.bus.drain();
    const remaining = g.stack.glue.getPartitions(DEMO.database, DEMO.table).length;
    const held = g.stack.glue.getPartitions(DEMO.database, HELD).length;
    expect({ remaining, held }).toEqual({ remaining: 0, held: 200 });
    expect(alerts(g)).toHaveLength(1);
    expect(g.stack.bus.deadLetters).toEqual([]);
  });

  it('a copy that fails for one partition deletes nothing; a delete that fails for one is retried; both converge', async () => {
    guarded = await startDemo();
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawlPartitions(g, breaking(0, 100));
    const written = g.stack.glue.getPartitions(DEMO.database, DEMO.table).sort(byValues);
    g.stack.glue.failPartitionEntries({ operation: 'BatchCreatePartition', values: [day(3)] });
    g.stack.glue.failPartitionEntries({ operation: 'BatchDeletePartition', values: [day(60)] });
    g.stack.bus.configure({ autoDeliver: true });
    await g.stack.bus.drain();

    const ops = g.stack.calls.list().map((c) => c.operation).filter((o) => o === 'BatchCreatePartition' || o === 'BatchDeletePartition');
    // The failed copy's delivery deleted nothing: its first BatchDeletePartition comes after the retried copy.
    expect(ops.slice(0, 2)).toEqual(['BatchCreatePartition', 'BatchCreatePartition']);
    expect(g.stack.glue.getPartitions(DEMO.database, DEMO.table)).toEqual([]);
    expect(g.stack.glue.getPartitions(DEMO.database, HELD).sort(byValues).map(definition)).toEqual(written.map(definition));
    expect(alerts(g)).toHaveLength(1);
    expect(g.stack.bus.deadLetters).toEqual([]);
  });

  it('a compliant partition event costs one BatchGetPartition', async () => {
    guarded = await startDemo();
    const g = guarded;
    const compliant = Array.from({ length: 100 }, (_, i) => ({ Values: [day(i)], StorageDescriptor: storage(day(i), (c) => c) }));
    g.stack.glue.putPartitions(DEMO.database, DEMO.table, compliant, { emit: false });
    const before = g.stack.calls.list().length;
    const summary = await g.handler({
      version: '0',
      id: 'a5f0e1b2-0000-4000-8000-00000000beef',
      'detail-type': 'Glue Data Catalog Table State Change',
      source: 'aws.glue',
      account: g.stack.accountId,
      time: '2026-12-01T02:00:00Z',
      region: g.stack.region,
      resources: [],
      detail: { databaseName: DEMO.database, tableName: DEMO.table, typeOfChange: 'BatchCreatePartition', changedPartitions: compliant.map((p) => `[${p.Values.join(', ')}]`) },
    });
    expect(summary.tables).toEqual([{ database: DEMO.database, table: DEMO.table, outcome: 'partitions-compliant' }]);
    expect(g.stack.calls.list().slice(before).map((c) => c.operation)).toEqual(['BatchGetPartition']);
  });
});
