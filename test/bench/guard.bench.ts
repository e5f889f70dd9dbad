/**
 * AWS calls the guard makes per scenario, on the local stack through the real SDK (one event each).
 * Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Column } from '@aws-sdk/client-glue';
import { createGlueCatalog } from '../../functions/aws/glue-catalog.js';
import { DEMO, ordersTableInput, recrawled, seedDemoCatalog } from '../../infra/local/demo/demo-catalog.js';
import { type GuardedStack, startGuardedStack } from '../support/guarded-stack.js';

const contractsDir = fileURLToPath(new URL('../../../contracts', import.meta.url));

interface Scenario {
  readonly name: string;
  /** Prepares the table, then returns the columns edit of the crawl whose event is measured. */
  readonly prepare?: (g: GuardedStack) => Promise<void>;
  readonly edit: (columns: Column[]) => Column[];
}

const drop = (columns: Column[]): Column[] => columns.filter((c) => c.Name !== 'currency').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c));

const SCENARIOS: readonly Scenario[] = [
  { name: 'compliant (re-crawl, bookkeeping only)', edit: (c) => c },
  { name: 'allowed (column added at the end)', edit: (c) => [...c, { Name: 'channel', Type: 'string' }] },
  { name: 'breaking → restored, paused, alerted', edit: drop },
];

async function measure(scenario: Scenario): Promise<void> {
  const g = await startGuardedStack({ contractsDir, stack: { seed: 3 } });
  try {
    seedDemoCatalog(g.stack);
    g.stack.bus.configure({ autoDeliver: false });
    g.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: recrawled(ordersTableInput(), scenario.edit, 1_900_000) }]);
    const event = g.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    g.stack.calls.clear();
    const start = performance.now();
    await g.handler(event);
    const ms = performance.now() - start;
    const calls = g.stack.calls.list();
    const restoreAt = calls.findIndex((c) => c.operation === 'UpdateTable' && c.ok);
    const byOperation = Object.entries(g.stack.calls.countByOperation())
      .map(([op, n]) => `${op}×${n}`)
      .join(' ');
    const critical = restoreAt === -1 ? '—' : String(restoreAt + 1);
    console.log(`${scenario.name.padEnd(40)} ${String(calls.length).padStart(5)}  ${critical.padStart(13)}  ${ms.toFixed(1).padStart(7)}  ${byOperation}`);

    if (scenario.edit === drop) {
      // The same event again (a duplicate delivery), and the guard's own UpdateTable event.
      for (const [label, again] of [
        ['  duplicate delivery of that event', event],
        ['  the guard’s own UpdateTable event', g.stack.bus.events.filter((e) => e['detail-type'] === 'Glue Data Catalog Table State Change').at(-1)],
      ] as const) {
        g.stack.calls.clear();
        const t = performance.now();
        await g.handler(again);
        console.log(`${label.padEnd(40)} ${String(g.stack.calls.list().length).padStart(5)}  ${'—'.padStart(13)}  ${(performance.now() - t).toFixed(1).padStart(7)}  ${Object.entries(g.stack.calls.countByOperation()).map(([op, n]) => `${op}×${n}`).join(' ')}`);
      }
    }
  } finally {
    await g.stop();
  }
}

console.log('AWS calls per Glue event (local stack over HTTP, real SDK clients; wall time includes local HTTP)');
console.log(`${'scenario'.padEnd(40)} ${'calls'.padStart(5)}  ${'critical path'.padStart(13)}  ${'ms'.padStart(7)}  by operation`);
for (const scenario of SCENARIOS) await measure(scenario);
console.log('critical path = calls up to and including the restoring UpdateTable; pause and alerts follow, in parallel');

// ---------------------------------------------------------------- calls per event against the table's history

const byOperation = (g: GuardedStack): string =>
  Object.entries(g.stack.calls.countByOperation({ service: 'glue' }))
    .map(([op, n]) => `${op}×${String(n)}`)
    .join(' ');

interface HistoryFigure {
  readonly calls: number;
  readonly ms: number;
  readonly detail: string;
}

/** Listing every version (the guard before this change) is measured up to this many versions; beyond, computed. */
const LISTING_MEASURED_UP_TO = 1_000;

/**
 * The demo table with `versions` versions (seeded in-process, no events), then one crawl's event handled. `listing`:
 * what reading every version costs on the same table (CatalogPort.listVersions, GetTableVersions 100 a page), which
 * is what the guard did before this change; undefined past LISTING_MEASURED_UP_TO (1,000 sequential pages).
 */
async function atHistory(versions: number, edit: (columns: Column[]) => Column[]): Promise<{ readonly guard: HistoryFigure; readonly listing?: HistoryFigure }> {
  const g = await startGuardedStack({ contractsDir, stack: { seed: 3 } });
  try {
    seedDemoCatalog(g.stack);
    const base = ordersTableInput();
    // Up to 2 below the version limit: the crawl and the guard's restore must still fit (its confirmation may not).
    for (let i = 1; i < versions - 2; i += 1) g.stack.glue.putTable(DEMO.database, recrawled(base, (c) => c, i), { emit: false });
    g.stack.bus.configure({ autoDeliver: false });
    g.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: recrawled(base, edit, 1_900_000) }]);
    const event = g.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    let listing: HistoryFigure | undefined;
    if (versions <= LISTING_MEASURED_UP_TO) {
      g.stack.calls.clear();
      const t = performance.now();
      await createGlueCatalog({ client: g.clients.glue }).listVersions(DEMO.database, DEMO.table);
      listing = { calls: g.stack.calls.count({ service: 'glue' }), ms: performance.now() - t, detail: byOperation(g) };
    }
    g.stack.calls.clear();
    const start = performance.now();
    await g.handler(event);
    const guard = { calls: g.stack.calls.count({ service: 'glue' }), ms: performance.now() - start, detail: byOperation(g) };
    return listing === undefined ? { guard } : { guard, listing };
  } finally {
    await g.stop();
  }
}

console.log('');
console.log("Glue calls and time per event against the table's history (ratios against the 10-version case of this run)");
console.log(`${'event'.padEnd(10)} ${'versions'.padStart(9)}  ${'calls'.padStart(5)}  ${'ms'.padStart(8)}  ${'×ms'.padStart(6)}  ${'listing (before): calls'.padStart(24)}  ${'ms'.padStart(8)}  by operation (guard)`);
for (const [label, edit] of [
  ['breaking', drop],
  ['allowed', (c: Column[]) => [...c, { Name: 'channel', Type: 'string' }]],
] as const) {
  await atHistory(10, edit); // warm-up (module loading, JIT): not printed
  let baseline: number | undefined;
  for (const versions of [10, 1_000, 100_000]) {
    const { guard, listing } = await atHistory(versions, edit);
    baseline ??= guard.ms;
    const pages = listing === undefined ? `${String(Math.ceil(versions / 100))} (computed)` : String(listing.calls);
    console.log(
      `${label.padEnd(10)} ${versions.toLocaleString('en').padStart(9)}  ${String(guard.calls).padStart(5)}  ${guard.ms.toFixed(1).padStart(8)}  ${(guard.ms / baseline).toFixed(2).padStart(6)}  ${pages.padStart(24)}  ${(listing === undefined ? '—' : listing.ms.toFixed(0)).padStart(8)}  ${guard.detail}`,
    );
  }
}
console.log('calls: Glue calls the guard made for the event (the same at every history length); listing: the GetTableVersions pages');
console.log('reading every version takes (what the guard did before this change, on top of the calls it makes now but one GetTableVersion)');
