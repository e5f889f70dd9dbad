import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageSummary, lineCounts, percent } from '../support/summary-reporter.js';

/** Shaped like istanbul's CoverageMap: what JSON.stringify sees of it is the per-file data. */
function coverageMap(data: Record<string, { statementMap: Record<string, { start: { line: number } }>; s: Record<string, number> }>) {
  return { toJSON: () => data };
}

describe('Summary reporter: lines coverage', () => {
  it('counts a line once, covered when any statement starting on it ran', () => {
    // Prepare: line 1 holds a run and a skipped statement, line 2 one skipped statement.
    const map = coverageMap({
      '/repo/functions/core/a.ts': { statementMap: { 0: { start: { line: 1 } }, 1: { start: { line: 1 } }, 2: { start: { line: 2 } } }, s: { 0: 0, 1: 3, 2: 0 } },
    });

    // Act / Assess
    expect(lineCounts(map).get('/repo/functions/core/a.ts')).toEqual({ covered: 1, total: 2 });
  });

  it('sums files per folder and rounds down as istanbul does', () => {
    const root = join('/repo');
    const counts = new Map([
      [join(root, 'functions/core/a.ts'), { covered: 2, total: 3 }],
      [join(root, 'functions/aws/b.ts'), { covered: 1, total: 1 }],
      [join(root, 'functions/core-extra/c.ts'), { covered: 0, total: 4 }],
    ]);

    expect(percent({ covered: 2, total: 3 })).toBe(66.66);
    expect(percent({ covered: 0, total: 0 })).toBe(100);
    expect(coverageSummary(counts, root, ['functions/core', 'functions'])).toBe(
      'coverage: lines functions/core 66.66 % (2 of 3), functions 37.5 % (3 of 8)',
    );
  });
});
