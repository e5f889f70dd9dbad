/**
 * AWS calls the guard makes per scenario, on the local stack through the real SDK (one event each).
 * Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Column } from '@aws-sdk/client-glue';
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
