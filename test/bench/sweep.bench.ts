/**
 * What reconcile's scheduled sweep costs: 1,000 guarded tables on the local stack, through the production wiring
 * (buildReconcileHandler) and the real SDK. All compliant, then 10 drifted by writes whose events were lost.
 * Prints figures (calls from the stack's call log, medians of wall time); asserts nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEMO, ordersTableInput, seedDemoCatalog } from '../../infra/local/demo/demo-catalog.js';
import { type GuardedStack, startGuardedStack } from '../support/guarded-stack.js';
import { lambdaContext, scheduledEvent } from '../support/lambda-context.js';

const TABLES = 1_000;
const DRIFTED = 10;
const RUNS = 5;
const fixture = fileURLToPath(new URL('../../../test/fixtures/contracts/sales/orders/v1.json', import.meta.url));
const nameOf = (i: number): string => `orders_${String(i).padStart(4, '0')}`;

/** 1,000 copies of the demo's sales.orders contract, one per table. */
function writeContracts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'));
  const base: unknown = JSON.parse(readFileSync(fixture, 'utf8'));
  if (typeof base !== 'object' || base === null) throw new Error(`${fixture} is not a contract`);
  for (let i = 0; i < TABLES; i += 1) {
    const table = nameOf(i);
    mkdirSync(join(dir, DEMO.database, table), { recursive: true });
    const contract = { ...base, $id: `glue-drift-guard://${DEMO.database}/${table}/v1`, title: `${DEMO.database}.${table}`, 'x-glue-table': table };
    writeFileSync(join(dir, DEMO.database, table, 'v1.json'), JSON.stringify(contract));
  }
  return dir;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const byOperation = (g: GuardedStack): string =>
  Object.entries(g.stack.calls.countByOperation())
    .map(([op, n]) => `${op}×${n}`)
    .join(' ');

let minute = 0;
async function run(g: GuardedStack, event: unknown): Promise<{ ms: number; calls: number; ops: string }> {
  const reconcile = await g.reconcile();
  g.stack.calls.clear();
  minute += 15;
  const start = performance.now();
  await reconcile(event, lambdaContext('glue-drift-guard-bench-reconcile', `bench-${minute}`));
  const ms = performance.now() - start;
  const result = { ms, calls: g.stack.calls.count(), ops: byOperation(g) };
  await g.stack.bus.drain(); // the guard hears the sweep's own writes (not measured)
  return result;
}

const at = (): string => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();

function drift(g: GuardedStack, round: number): void {
  const base = ordersTableInput();
  for (let i = 0; i < DRIFTED; i += 1) {
    const columns = (base.StorageDescriptor?.Columns ?? []).filter((c) => c.Name !== 'currency');
    const input = { ...base, Name: nameOf(round * DRIFTED + i), StorageDescriptor: { ...base.StorageDescriptor, Columns: columns } };
    g.stack.glue.putTable(DEMO.database, input, { emit: false }); // Athena DDL whose event Glue never delivered
  }
}

const contractsDir = writeContracts();
const g = await startGuardedStack({ contractsDir, stack: { seed: 3 } });
try {
  seedDemoCatalog(g.stack);
  // The guard's own events (from the sweep's writes) wait until the run is measured: only reconcile's calls count.
  g.stack.bus.configure({ autoDeliver: false });
  for (let i = 0; i < TABLES; i += 1) g.stack.glue.putTable(DEMO.database, { ...ordersTableInput(), Name: nameOf(i) }, { emit: false });
  g.stack.calls.clear();

  const line = (label: string, runs: readonly { ms: number; calls: number; ops: string }[]): void => {
    const last = runs.at(-1);
    console.log(`${label.padEnd(44)} ${String(last?.calls ?? 0).padStart(5)}  ${median(runs.map((r) => r.ms)).toFixed(0).padStart(7)}  ${last?.ops ?? ''}`);
  };
  console.log(`Reconcile's scheduled sweep, ${TABLES} guarded tables in one database (local stack over HTTP, real SDK clients)`);
  console.log(`${'run'.padEnd(44)} ${'calls'.padStart(5)}  ${'ms (med)'.padStart(7)}  by operation`);

  const resumeOnly: { ms: number; calls: number; ops: string }[] = [];
  for (let i = 0; i < RUNS; i += 1) resumeOnly.push(await run(g, { reconcile: 'now' }));
  line('resume only (no sweep), for comparison', resumeOnly);

  const compliant: { ms: number; calls: number; ops: string }[] = [];
  for (let i = 0; i < RUNS; i += 1) compliant.push(await run(g, scheduledEvent(at())));
  line(`sweep, all ${TABLES} compliant`, compliant);

  const drifted: { ms: number; calls: number; ops: string }[] = [];
  for (let round = 0; round < RUNS; round += 1) {
    drift(g, round);
    drifted.push(await run(g, scheduledEvent(at())));
  }
  line(`sweep, ${DRIFTED} drifted (restored, held, alerted)`, drifted);

  const after: { ms: number; calls: number; ops: string }[] = [];
  for (let i = 0; i < RUNS; i += 1) after.push(await run(g, scheduledEvent(at())));
  line('next sweep (the drift already handled)', after);

  const perTable = (median(compliant.map((r) => r.ms)) - median(resumeOnly.map((r) => r.ms))) / TABLES;
  console.log(`sweep cost per compliant guarded table: ${(perTable * 1000).toFixed(0)} µs; GetTables pages per sweep: ${Math.ceil(TABLES / 100)}`);
  console.log('resume only = the open-incident scan every reconcile run makes (GetTriggers, GetTags per trigger); the sweep adds the rest');
} finally {
  await g.stop();
  rmSync(contractsDir, { recursive: true, force: true });
}
