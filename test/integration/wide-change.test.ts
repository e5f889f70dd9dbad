/**
 * A wide change keeps its alert (issue 12, hole 3): on the local stack, through the real SDK, a 1,000-column retype
 * and a 3,000-field struct turned into a string are restored, held and alerted, with the outcome event within
 * PutEvents' 256 KB entry limit and the SNS message within 256 KB. Before the bound, the first was a 380 KB event
 * that PutEvents refused on every retry, so the chat alert never went out.
 */
import { describe, expect, it } from 'vitest';
import { wideBreakingChange } from '../chaos/scenarios.js';

describe('A wide breaking change is restored, held and alerted, every message within 256 KB', { timeout: 120_000 }, () => {
  it.each([
    ['a 1,000-column retype', 1_000, 'retype'],
    ['a 3,000-field struct turned into a string', 3_000, 'struct-to-string'],
  ] as const)('%s', async (_name, width, kind) => {
    // Act
    const row = await wideBreakingChange(width, kind);

    // Assess
    expect(row.broken).toEqual([]);
    expect(row.restored).toBe(1);
    expect(row.alerts).toBe(1);
    expect(row.lost).toBe(0);
    expect(row.largestEventBytes).toBeGreaterThan(0);
    expect(row.largestEventBytes).toBeLessThan(262_144);
    expect(row.largestMessageBytes).toBeGreaterThan(0);
    expect(row.largestMessageBytes).toBeLessThan(262_144);
  });
});
