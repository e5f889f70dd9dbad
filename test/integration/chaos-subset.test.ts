/** A fast subset of `npm run chaos`: the same scenarios, smaller. The full run is `npm run chaos`. */
import { describe, expect, it } from 'vitest';
import { burst, crashAfterRestore, faultAt, ordering, partitionStorm, racingWrite, serviceDown, wideBreakingChange } from '../chaos/scenarios.js';

describe('Chaos (fast subset)', { timeout: 120_000 }, () => {
  it.each([
    ['a 30-table burst under throttling and latency', () => burst(30)],
    ['5xx at UpdateTable', () => faultAt('UpdateTable', '5xx')],
    ['5xx at Publish', () => faultAt('Publish', '5xx')],
    ['a crawler write racing the restores', () => racingWrite()],
    ['the process dying after a restore, before its alert', () => crashAfterRestore()],
    ['SNS down, then dead letters redriven', () => serviceDown('sns')],
    ['two random permutations with duplicates', () => ordering(2)],
    ['a 2,000-column breaking change', () => wideBreakingChange(2_000)],
    ['a storm of 500 partitions, 90 % breaking', () => partitionStorm(500)],
  ])('%s: every promise kept, nothing lost', async (_name, scenario) => {
    const row = await scenario();
    expect(row.broken).toEqual([]);
    expect(row.lost).toBe(0);
    expect(row.events).toBeGreaterThan(0);
  });
});
