/**
 * `npm run chaos`: every scenario in test/chaos/scenarios.ts, a table of results, exit 1 when a promise is broken.
 *
 *   npm run chaos                 # 2,000-table burst, 10 permutations, a 100,000-partition storm, 10,000 fuzz cases per property
 *   npm run chaos -- --quick      # 200-table burst, 3 permutations, a 2,000-partition storm (add --fuzz-runs 300 for a fast look)
 */
import { parseArgs } from 'node:util';
import { type Row, burst, crashAfterRestore, faultAt, fuzz, ordering, partitionStorm, print, racingWrite, serviceDown, wideBreakingChange } from './scenarios.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, 'fuzz-runs': { type: 'string', default: '10000' } } });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const rows: Row[] = [];
const step = async (row: Promise<Row> | Row): Promise<void> => {
  const r = await row;
  rows.push(r);
  console.error(`… ${r.scenario}: ${r.broken.length === 0 ? 'kept' : 'BROKEN'} (${(r.wallMs / 1000).toFixed(1)} s)`);
};
await step(burst(values.quick ? 200 : 2_000));
for (const operation of ['GetTable', 'GetTableVersion', 'UpdateTable', 'GetWorkflow', 'StopTrigger', 'Publish', 'PutEvents']) await step(faultAt(operation, '5xx'));
await step(faultAt('UpdateTable', 'timeout'));
await step(racingWrite());
await step(crashAfterRestore());
await step(serviceDown('sns'));
await step(serviceDown('events'));
await step(ordering(values.quick ? 3 : 10));
await step(partitionStorm(values.quick ? 2_000 : 100_000));
await step(wideBreakingChange(2_000));
await step(wideBreakingChange(3_000, 'struct-to-string'));
await step(fuzz(Number(values['fuzz-runs'])));
console.log('');
print(rows);
const broken = rows.filter((r) => r.broken.length > 0);
console.log(broken.length === 0 ? '\nall promises kept: zero lost, zero broken' : `\n${broken.length} scenario(s) broke a promise`);
process.exitCode = broken.length === 0 ? 0 : 1;
