/**
 * The chaos scenarios (run by `npm run chaos`, a fast subset by the regular tests): the guard's promises under load, faults, reordering and bad input, on the local stack
 * through the real SDK. Prints one row per scenario and exits 1 when any promise is broken:
 * every breaking change restored exactly once and alerted exactly once, allowed drift alerted once and
 * left alone, nothing lost, no ON_DEMAND trigger ever started, no unguarded table touched.
 *
 *   npm run chaos                 # everything (a few minutes)
 *   npm run chaos -- --quick      # smaller burst (200 tables), for a fast look
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Partition, PartitionInput, Table, TableInput } from '@aws-sdk/client-glue';
import { definitionOf } from '../../functions/aws/glue-partitions.js';
import { heldTableName } from '../../functions/core/incidents/incident.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { judgePartition } from '../../functions/core/judging/partition-judge.js';
import { type BusEvent } from '../../infra/local/index.js';
import { putEventsEntrySize } from '../../infra/local/eventbridge.js';
import { CRAWLER, DB, TRIGGERS, type World, changeOf, crawlTables, deliverWithRetries, startWorld, tableInput, tableName, writeContractsFor } from './world.js';

/** The project root, from the sources (test/chaos) or from dist/test/chaos. */
const ROOT = ['../../', '../../../'].map((up) => fileURLToPath(new URL(up, import.meta.url))).find((dir) => existsSync(join(dir, 'package.json'))) ?? process.cwd();

export interface Row {
  readonly scenario: string;
  readonly events: number;
  readonly restored: number;
  readonly alerts: number;
  readonly lost: number;
  readonly callsPerEvent: number;
  readonly wallMs: number;
  readonly broken: readonly string[];
  readonly note?: string;
}

function parameters(table: Table | undefined): Record<string, string> {
  return table?.Parameters ?? {};
}

/** Checks every promise for tables 0..n-1 after a run; returns counts and what was broken. */
function verify(world: World, indexes: readonly number[]): { restored: number; alerts: number; broken: string[] } {
  const { g } = world;
  const broken: string[] = [];
  let restored = 0;
  const published = g.stack.sns.published;
  for (const i of indexes) {
    const name = tableName(i);
    const contract = g.contracts.active(DB, name);
    const current = g.stack.glue.getTable(DB, name);
    if (contract === undefined || current === undefined) {
      broken.push(`${name}: missing`);
      continue;
    }
    const verdict = judgeDocument(contract, name, current).verdict;
    const restores = g.stack.glue.getTableVersions(DB, name).filter((v) => parameters(v.Table)['drift-guard:alert'] === 'pending').length;
    const alertsFor = (outcome: string): number => published.filter((m) => m.messageAttributes.table?.StringValue === name && m.messageAttributes.outcome?.StringValue === outcome).length;
    const change = changeOf(i);
    if (change === 'breaking') {
      if (verdict === 'breaking') broken.push(`${name}: still breaking`);
      if (restores !== 1) broken.push(`${name}: restored ${restores} times`);
      if (alertsFor('blocked') !== 1) broken.push(`${name}: ${alertsFor('blocked')} blocked alerts`);
      restored += restores;
    } else {
      if (restores !== 0) broken.push(`${name}: ${change} table written by the guard`);
      const expected = change === 'allowed' ? 1 : 0;
      if (alertsFor('allowed') !== expected) broken.push(`${name}: ${alertsFor('allowed')} allowed alerts (expected ${expected})`);
      if (alertsFor('blocked') !== 0) broken.push(`${name}: blocked alert for a ${change} change`);
    }
  }
  if (g.stack.glue.triggerFirings.length > 0) broken.push('an ON_DEMAND trigger was started');
  if (g.stack.glue.getTrigger(TRIGGERS.manual).State !== 'CREATED') broken.push('the ON_DEMAND trigger was touched');
  return { restored, alerts: published.length, broken };
}

async function measure(scenario: string, n: number, run: (world: World) => Promise<{ events: number; lost: number; note?: string }>, setup?: Parameters<typeof startWorld>[1]): Promise<Row> {
  const world = await startWorld(n, setup);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const start = performance.now();
  try {
    const { events, lost, note } = await run(world);
    const wallMs = performance.now() - start;
    const { restored, alerts, broken } = verify(world, Array.from({ length: n }, (_, i) => i));
    const calls = world.g.stack.calls.list().length;
    return {
      scenario,
      events,
      restored,
      alerts,
      lost,
      callsPerEvent: events === 0 ? 0 : calls / events,
      wallMs,
      broken: lost > 0 ? [...broken, `${lost} events lost`] : broken,
      note: `${note === undefined ? '' : `${note}; `}peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`,
    };
  } finally {
    clearInterval(sampler);
    await world.cleanup();
  }
}

/** Events queued on the bus, delivered by the guard with Lambda-like retries (and a redrive of what is left). */
async function crawlAndDeliver(world: World, indexes: readonly number[]): Promise<{ events: number; lost: number }> {
  world.g.stack.bus.configure({ autoDeliver: false });
  const before = world.g.stack.bus.events.length;
  crawlTables(world, indexes);
  const events = world.g.stack.bus.events.slice(before).filter((e) => e.source === 'aws.glue');
  world.g.stack.bus.configure({ autoDeliver: true, concurrency: 10 });
  await world.g.stack.bus.drain();
  // What kept failing went to the dead-letter queue: redrive it, as README "Dead letters" describes.
  const dead = world.g.stack.bus.deadLetters.map((d) => d.event);
  world.clock.now += 120_000;
  const lost = await deliverWithRetries(world, dead);
  return { events: events.length, lost: lost.length };
}

const all = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export async function burst(n: number): Promise<Row> {
  return measure(
    `burst: ${n.toLocaleString('en')} tables, 10 % throttling, 50 ms/call`,
    n,
    async (world) => {
      world.g.stack.faults.set({ throttleRate: 0.1, latencyMs: 50 });
      const result = await crawlAndDeliver(world, all(n));
      world.g.stack.faults.clear();
      return { ...result, note: `${world.g.stack.calls.list().filter((c) => c.error === 'ThrottlingException').length} throttled calls retried` };
    },
  );
}

export async function faultAt(operation: string, kind: '5xx' | 'timeout'): Promise<Row> {
  return measure(
    `${kind} at ${operation} (exhausting retries)`,
    12,
    async (world) => {
      world.g.stack.faults.set(
        kind === '5xx'
          ? { failNext: { operation, error: 'InternalServiceException', status: 500, count: 8 } }
          : { failNext: { operation, error: 'RequestTimeout', status: 504, count: 8 } },
      );
      const result = await crawlAndDeliver(world, all(12));
      return result;
    },
  );
}

export async function racingWrite(): Promise<Row> {
  let raced = 0;
  return measure(
    'crawler write racing each restore',
    12,
    async (world) => crawlAndDeliver(world, all(12)),
    {
      wrapCatalog: (catalog, stack) => ({
        ...catalog,
        restore: async (database, table, version, expected, annotations) => {
          if (annotations['drift-guard:alert'] === 'pending' && raced < 4) {
            raced += 1;
            // The crawler writes the same breaking schema again, just before the guard's write lands.
            const i = Number(table.slice(-4));
            const { changed } = await import('./world.js');
            stack.glue.putTable(DB, changed(i, 'breaking'));
          }
          await catalog.restore(database, table, version, expected, annotations);
        },
      }),
    },
  );
}

export async function crashAfterRestore(): Promise<Row> {
  let crashes = 0;
  return measure(
    'process dies after restore, before alert',
    12,
    async (world) => crawlAndDeliver(world, all(12)),
    {
      wrapCatalog: (catalog) => ({
        ...catalog,
        restore: async (database, table, version, expected, annotations) => {
          await catalog.restore(database, table, version, expected, annotations);
          if (annotations['drift-guard:alert'] === 'pending' && crashes < 4) {
            crashes += 1;
            throw new Error('process killed (simulated)');
          }
        },
      }),
    },
  );
}

export async function serviceDown(service: 'sns' | 'events'): Promise<Row> {
  return measure(`${service === 'sns' ? 'SNS' : 'EventBridge'} unavailable during the run`, 12, async (world) => {
    world.g.stack.faults.set({ errorRate: 1, services: [service] });
    world.g.stack.bus.configure({ autoDeliver: false });
    const before = world.g.stack.bus.events.length;
    crawlTables(world, all(12));
    const events = world.g.stack.bus.events.slice(before).filter((e) => e.source === 'aws.glue');
    world.g.stack.bus.configure({ autoDeliver: true, concurrency: 4 });
    await world.g.stack.bus.drain();
    const dead = world.g.stack.bus.deadLetters.map((d) => d.event);
    // The service comes back; the dead letters are redriven after the function timeout.
    world.g.stack.faults.clear();
    world.clock.now += 120_000;
    const lost = await deliverWithRetries(world, dead);
    return { events: events.length, lost: lost.length, note: `${dead.length} deliveries dead-lettered, then redriven` };
  });
}

export type WideKind = 'retype' | 'struct-to-string';

/** A wide table: `width` bigint columns (retype), or one struct column of `width` fields (struct-to-string). */
export function wideTableInput(width: number, kind: WideKind): TableInput {
  const name = kind === 'retype' ? `wide_${String(width)}_columns` : `wide_struct_${String(width)}_fields`;
  const columns =
    kind === 'retype'
      ? Array.from({ length: width }, (_, i) => ({ Name: `measurement_with_a_descriptive_name_${String(i).padStart(4, '0')}`, Type: 'bigint' }))
      : [
          { Name: 'event_id', Type: 'bigint' },
          { Name: 'payload', Type: `struct<${Array.from({ length: width }, (_, i) => `payload_field_${String(i)}:bigint`).join(',')}>` },
        ];
  const parameters = { classification: 'parquet', UPDATED_BY_CRAWLER: CRAWLER };
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: parameters,
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    StorageDescriptor: {
      Columns: columns,
      Location: `s3://chaos-lake/wide/${name}/`,
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
      Parameters: parameters,
    },
  };
}

/** The crawler's breaking version of a wide table: every column (or the struct) turned into a string. */
function wideBreaking(input: TableInput, kind: WideKind): TableInput {
  const columns = (input.StorageDescriptor?.Columns ?? []).map((c) => (kind === 'retype' || c.Name === 'payload' ? { ...c, Type: 'string' } : c));
  return { ...input, Parameters: { ...input.Parameters, recordCount: '2000' }, StorageDescriptor: { ...input.StorageDescriptor, Columns: columns } };
}

export interface WideRow extends Row {
  /** The largest PutEvents entry the run put, as AWS sizes it. */
  readonly largestEventBytes: number;
  /** The largest SNS message the run published, in UTF-8 bytes. */
  readonly largestMessageBytes: number;
}

/** The PutEvents entry and SNS message limit, 256 KB. */
const AWS_MESSAGE_LIMIT_BYTES = 262_144;

/** A wide breaking change: restored, the workflow held, alerted once, the event and message within 256 KB. */
export async function wideBreakingChange(width: number, kind: WideKind = 'retype'): Promise<WideRow> {
  const start = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-wide-'));
  const baseline = wideTableInput(width, kind);
  const name = baseline.Name ?? '';
  try {
    await writeContractsFor(dir, [baseline]);
    const world = await startWorld(0, {}, dir);
    try {
      const { g } = world;
      g.stack.glue.putTable(DB, baseline, { emit: false });
      g.stack.bus.configure({ autoDeliver: false });
      const before = g.stack.bus.events.length;
      g.stack.simulateCrawlerRun(CRAWLER, [{ databaseName: DB, tableInput: wideBreaking(baseline, kind) }]);
      const events = g.stack.bus.events.slice(before).filter((e) => e.source === 'aws.glue');
      const lost = await deliverWithRetries(world, events);
      const broken: string[] = [];
      const contract = g.contracts.active(DB, name);
      const current = g.stack.glue.getTable(DB, name);
      if (contract === undefined || current === undefined) broken.push(`${name}: missing`);
      else if (judgeDocument(contract, name, current).verdict === 'breaking') broken.push(`${name}: still breaking`);
      const restores = g.stack.glue.getTableVersions(DB, name).filter((v) => parameters(v.Table)['drift-guard:alert'] === 'pending').length;
      if (restores !== 1) broken.push(`${name}: restored ${String(restores)} times`);
      if (g.stack.glue.getTrigger(TRIGGERS.schedule).State !== 'DEACTIVATED') broken.push('the workflow was not held');
      const published = g.stack.sns.published;
      const blocked = published.filter((m) => m.messageAttributes.outcome?.StringValue === 'blocked').length;
      if (blocked !== 1) broken.push(`${String(blocked)} blocked alerts`);
      const entries = g.stack.eventBridge.entries;
      const failedEntries = entries.filter((e) => e.errorCode !== undefined).length;
      const outcomeEvents = entries.filter((e) => e.detailType === 'Glue Schema Drift Blocked' && e.errorCode === undefined).length;
      if (failedEntries > 0) broken.push(`${String(failedEntries)} PutEvents entries failed`);
      if (outcomeEvents !== 1) broken.push(`${String(outcomeEvents)} outcome events`);
      if (g.stack.calls.list().some((c) => c.operation === 'PutEvents' && c.error !== undefined)) broken.push('a PutEvents call failed');
      const largestEventBytes = Math.max(0, ...entries.map((e) => putEventsEntrySize({ Source: e.source, DetailType: e.detailType, Detail: e.detail, Resources: e.resources })));
      const largestMessageBytes = Math.max(0, ...published.map((m) => Buffer.byteLength(m.message, 'utf8')));
      if (largestEventBytes >= AWS_MESSAGE_LIMIT_BYTES) broken.push(`an event of ${String(largestEventBytes)} bytes`);
      if (largestMessageBytes >= AWS_MESSAGE_LIMIT_BYTES) broken.push(`a message of ${String(largestMessageBytes)} bytes`);
      return {
        scenario: kind === 'retype' ? `a ${width.toLocaleString('en')}-column breaking change` : `a ${width.toLocaleString('en')}-field struct turned into a string`,
        events: events.length,
        restored: restores,
        alerts: published.length,
        lost: lost.length,
        callsPerEvent: events.length === 0 ? 0 : g.stack.calls.list().length / events.length,
        wallMs: performance.now() - start,
        broken: lost.length > 0 ? [...broken, `${String(lost.length)} events lost`] : broken,
        note: `largest outcome event ${largestEventBytes.toLocaleString('en')} bytes, largest SNS message ${largestMessageBytes.toLocaleString('en')} bytes (limit 262,144)`,
        largestEventBytes,
        largestMessageBytes,
      };
    } finally {
      await world.cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seeded PRNG (mulberry32) for permutations. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Signature {
  readonly tables: readonly string[];
  readonly triggers: readonly string[];
  readonly alerts: readonly string[];
}

/** Catalog, paused triggers and alerts at the end of a run, comparable across runs. */
function signature(world: World, n: number): Signature {
  const { g } = world;
  const tables = all(n).map((i) => {
    const t = g.stack.glue.getTable(DB, tableName(i));
    return `${tableName(i)}:${(t?.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name ?? ''} ${c.Type ?? ''}`).join(',')}`;
  });
  const triggers = Object.values(TRIGGERS).map((name) => `${name}:${g.stack.glue.getTrigger(name).State ?? ''}`);
  const alerts = g.stack.sns.published.map((m) => `${m.messageAttributes.table?.StringValue ?? ''}:${m.messageAttributes.outcome?.StringValue ?? ''}`).sort();
  return { tables, triggers, alerts };
}

export async function ordering(permutations: number): Promise<Row> {
  const n = 30;
  const start = performance.now();
  // Record: two crawls (the second breaks some tables the first had only extended), events not delivered.
  const record = await startWorld(n);
  record.g.stack.bus.configure({ autoDeliver: false });
  crawlTables(record, all(n));
  const stream = record.g.stack.bus.events.filter((e) => e.source === 'aws.glue');
  await record.cleanup();
  const replay = async (order: readonly BusEvent[]): Promise<{ signature: Signature; lost: number }> => {
    const world = await startWorld(n);
    try {
      world.g.stack.bus.configure({ autoDeliver: false });
      crawlTables(world, all(n));
      const lost = await deliverWithRetries(world, order);
      return { signature: signature(world, n), lost: lost.length };
    } finally {
      await world.cleanup();
    }
  };
  const baseline = await replay(stream);
  const random = prng(7);
  const broken: string[] = [];
  let events = 0;
  for (let p = 0; p < permutations; p += 1) {
    const shuffled = [...stream, ...stream.filter(() => random() < 0.3)].map((e) => ({ e, k: random() })).sort((a, b) => a.k - b.k).map(({ e }) => e);
    events += shuffled.length;
    const result = await replay(shuffled);
    if (JSON.stringify(result.signature) !== JSON.stringify(baseline.signature)) broken.push(`permutation ${p + 1} ended differently`);
    if (result.lost > 0) broken.push(`permutation ${p + 1} lost ${result.lost} events`);
  }
  return {
    scenario: `${permutations} random permutations + 30 % duplicates`,
    events,
    restored: baseline.signature.alerts.filter((a) => a.endsWith(':blocked')).length,
    alerts: baseline.signature.alerts.length,
    lost: baseline.lost,
    callsPerEvent: Number.NaN,
    wallMs: performance.now() - start,
    broken,
    note: 'catalog, paused triggers and alerts identical to in-order delivery',
  };
}

export function fuzz(runs: number): Row {
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fuzz'], {
    cwd: ROOT,
    env: { ...process.env, FUZZ_RUNS: String(runs), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const summary = /vitest: (\d+) passed, (\d+) failed/.exec(result.stdout);
  return {
    scenario: `fuzz: event parser, type parser, contract & table loaders (${runs.toLocaleString('en')} cases each)`,
    events: 0,
    restored: 0,
    alerts: 0,
    lost: 0,
    callsPerEvent: Number.NaN,
    wallMs: performance.now() - start,
    broken: result.status === 0 ? [] : [`fuzz tests failed (${summary?.[2] ?? '?'} failed)`],
    note: summary === null ? 'no summary' : `${summary[1] ?? '?'} properties held`,
  };
}

export function print(rows: readonly Row[]): void {
  const header = ['scenario', 'events', 'restored', 'alerts', 'lost', 'calls/event', 'wall', 'promises'];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.events),
    String(r.restored),
    String(r.alerts),
    String(r.lost),
    Number.isNaN(r.callsPerEvent) ? '—' : r.callsPerEvent.toFixed(1),
    `${(r.wallMs / 1000).toFixed(1)} s`,
    r.broken.length === 0 ? 'kept' : `BROKEN (${r.broken.length})`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  const format = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
  for (const r of rows) {
    if (r.note !== undefined) console.log(`  ${r.scenario}: ${r.note}`);
    for (const b of r.broken.slice(0, 10)) console.log(`  ✗ ${r.scenario}: ${b}`);
  }
}


/**
 * A partition storm: one crawl writes `partitions` partitions of one guarded table (Glue announces them ≤ 100 per
 * event) without changing the table's schema; nine in ten carry a breaking schema. Under 5 % throttling, 30 %
 * duplicate deliveries, reordering, 10 concurrent deliveries and deliveries dying just after claiming the alert, the
 * promises: no partition lost (each written definition is exactly once in the table or its held table, as written),
 * every breaking one held, every compliant one left in place, one alert for the incident, the table readable (its
 * schema and every partition left in it compliant).
 */
export async function partitionStorm(partitions: number): Promise<Row> {
  const start = performance.now();
  let crashes = 0;
  const world = await startWorld(1, {
    wrapCatalog: (catalog) => ({
      ...catalog,
      restore: async (database, table, version, expected, annotations) => {
        await catalog.restore(database, table, version, expected, annotations);
        const claiming = Object.entries(annotations).some(([key, value]) => key.startsWith('drift-guard:partition-alert:') && value.startsWith('pending'));
        if (claiming && crashes < 2) {
          crashes += 1;
          throw new Error('process killed after claiming the alert (simulated)');
        }
      },
    }),
  });
  try {
    const { g } = world;
    const name = tableName(0);
    const held = heldTableName(name);
    const base = tableInput(0);
    const sd = base.StorageDescriptor ?? {};
    const breakingColumns = (sd.Columns ?? []).filter((c) => c.Name !== 'tenant').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c));
    const day = (i: number): string => `d${String(i).padStart(6, '0')}`;
    const written: PartitionInput[] = Array.from({ length: partitions }, (_, i) => ({
      Values: [day(i)],
      StorageDescriptor: { ...sd, Columns: i % 10 === 0 ? sd.Columns : breakingColumns, Location: `${sd.Location ?? ''}dt=${day(i)}/` },
      Parameters: { recordCount: String(i), UPDATED_BY_CRAWLER: CRAWLER },
    }));
    g.stack.faults.set({ throttleRate: 0.05 });
    g.stack.bus.configure({ autoDeliver: false });
    const before = g.stack.bus.events.length;
    g.stack.simulateCrawlerRun(CRAWLER, [{ databaseName: DB, tableInput: base, partitions: written }]);
    const events = g.stack.bus.events.slice(before).filter((e) => e.source === 'aws.glue');
    const asWritten = new Map(g.stack.glue.getPartitions(DB, name).map((p) => [p.Values?.join() ?? '', p]));
    g.stack.bus.configure({ autoDeliver: true, concurrency: 10, duplicateRate: 0.3, reorder: true });
    await g.stack.bus.drain();
    g.stack.faults.clear();
    const dead = g.stack.bus.deadLetters.map((d) => d.event);
    world.clock.now += 120_000;
    const lost = await deliverWithRetries(world, dead);

    const broken: string[] = [];
    const contract = g.contracts.active(DB, name);
    const own = (p: Partition): string => {
      const { Values, StorageDescriptor, Parameters, LastAccessTime, LastAnalyzedTime } = p;
      const parameters = Object.fromEntries(Object.entries(Parameters ?? {}).filter(([k]) => !k.startsWith('drift-guard:')));
      return JSON.stringify({ Values, StorageDescriptor, Parameters: parameters, LastAccessTime, LastAnalyzedTime });
    };
    const inTable = g.stack.glue.getPartitions(DB, name);
    const inHeld = g.stack.glue.getTable(DB, held) === undefined ? [] : g.stack.glue.getPartitions(DB, held);
    const seen = new Map<string, Partition[]>();
    for (const p of [...inTable, ...inHeld]) seen.set(p.Values?.join() ?? '', [...(seen.get(p.Values?.join() ?? '') ?? []), p]);
    for (const [key, original] of asWritten) {
      const places = seen.get(key) ?? [];
      if (places.length !== 1) broken.push(`partition [${key}] is in ${String(places.length)} places`);
      const now = places[0];
      if (now !== undefined && own(now) !== own(original)) broken.push(`partition [${key}] changed while moved`);
    }
    const expectedHeld = written.filter((_, i) => i % 10 !== 0).length;
    if (inHeld.length !== expectedHeld) broken.push(`${String(inHeld.length)} partitions held, expected ${String(expectedHeld)}`);
    if (contract === undefined) broken.push(`${name}: no contract`);
    else {
      const table = g.stack.glue.getTable(DB, name);
      if (table === undefined || judgeDocument(contract, name, table).verdict !== 'compliant') broken.push(`${name}: not readable as the contract says`);
      const bad = inTable.filter((p) => judgePartition(contract, { database: DB, table: name }, definitionOf(p)).verdict !== 'compliant');
      if (bad.length > 0) broken.push(`${String(bad.length)} breaking partitions left in ${name}`);
    }
    const alerts = g.stack.sns.published.filter((m) => m.messageAttributes.table?.StringValue === name);
    if (alerts.length !== 1) broken.push(`${String(alerts.length)} alerts for the partition incident`);
    if (g.stack.glue.getTrigger(TRIGGERS.schedule).State !== 'DEACTIVATED') broken.push('the workflow was not held');
    if (lost.length > 0) broken.push(`${String(lost.length)} events lost`);
    const deliveries = g.stack.bus.deliveries.length + dead.length;
    return {
      scenario: `partition storm: ${partitions.toLocaleString('en')} partitions, 90 % breaking (5 % throttling, 30 % duplicates, reordered, 2 crashes)`,
      events: events.length,
      restored: inHeld.length,
      alerts: alerts.length,
      lost: lost.length,
      callsPerEvent: events.length === 0 ? 0 : g.stack.calls.list().length / events.length,
      wallMs: performance.now() - start,
      broken,
      note: `${String(inHeld.length)} held in ${DB}.${held}, ${String(inTable.length)} left in place; ${String(deliveries)} deliveries, ${String(dead.length)} redriven`,
    };
  } finally {
    await world.cleanup();
  }
}
