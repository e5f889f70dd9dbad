/**
 * Ends a vitest run with the plain "N passed, N failed" line CI reads; with `--coverage`, a lines-coverage summary
 * for functions/core and functions comes just before it (vitest prints threshold failures after both).
 */
import { relative, sep } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { z } from 'zod';

const fileCoverage = z.object({
  statementMap: z.record(z.string(), z.object({ start: z.object({ line: z.number() }) })),
  s: z.record(z.string(), z.number()),
});
const coverageData = z.record(z.string(), fileCoverage);

export interface LineCount {
  readonly covered: number;
  readonly total: number;
}

/** Lines per file as istanbul counts them (a line is covered when a statement starting on it ran), by absolute path. */
export function lineCounts(coverageMap: unknown): Map<string, LineCount> {
  // The coverage map is istanbul's CoverageMap; its JSON form is the plain per-file data.
  const data = coverageData.parse(JSON.parse(JSON.stringify(coverageMap)));
  const counts = new Map<string, LineCount>();
  for (const [file, { statementMap, s }] of Object.entries(data)) {
    const hitsByLine = new Map<number, number>();
    for (const [id, hits] of Object.entries(s)) {
      const line = statementMap[id]?.start.line;
      if (line !== undefined) hitsByLine.set(line, Math.max(hitsByLine.get(line) ?? 0, hits));
    }
    counts.set(file, { covered: [...hitsByLine.values()].filter((hits) => hits > 0).length, total: hitsByLine.size });
  }
  return counts;
}

/** Rounded down to two decimals, as istanbul (and so vitest's threshold check) rounds. */
export function percent({ covered, total }: LineCount): number {
  return total === 0 ? 100 : Math.floor((10_000 * covered) / total) / 100;
}

/** One line: lines covered under each folder (relative to root), e.g. "coverage: lines functions/core 91.2 % (…)". */
export function coverageSummary(counts: ReadonlyMap<string, LineCount>, root: string, folders: readonly string[]): string {
  const parts = folders.map((folder) => {
    let covered = 0;
    let total = 0;
    for (const [file, count] of counts) {
      if (!relative(root, file).split(sep).join('/').startsWith(`${folder}/`)) continue;
      covered += count.covered;
      total += count.total;
    }
    return `${folder} ${percent({ covered, total })} % (${covered} of ${total})`;
  });
  return `coverage: lines ${parts.join(', ')}`;
}

/** A test that did not run because a hook of its suite or module failed (it reports itself as skipped). */
function failedAround(test: TestCase): boolean {
  let parent = test.parent;
  while (parent.type === 'suite') {
    if (parent.errors().length > 0) return true;
    parent = parent.parent;
  }
  return parent.errors().length > 0;
}

export default class SummaryReporter implements Reporter {
  private root = process.cwd();
  private coverage: string | undefined;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onCoverage(coverageMap: unknown): void {
    this.coverage = coverageSummary(lineCounts(coverageMap), this.root, ['functions/core', 'functions']);
  }

  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests += 1;
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed' || failedAround(test)) failed += 1;
        else skipped += 1;
      }
      // A file that failed before declaring any test (an import or syntax error) counts as one failure.
      if (tests === 0 && module.errors().length > 0) failed += 1;
    }
    if (this.coverage !== undefined) process.stdout.write(`\n${this.coverage}`);
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
