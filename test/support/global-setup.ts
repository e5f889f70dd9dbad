/**
 * Once per `vitest run`: finds (or makes, in .venv-moto/) the Python with moto and cfn-lint, and hands its path to
 * the test files (`inject('python')`); without a usable Python the run stops here with one line saying what to
 * install. Also the run's package cache (test/support/packaged.ts), removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT } from './cli.js';
import { ensureToolchain } from './python-toolchain.js';

declare module 'vitest' {
  export interface ProvidedContext {
    python: string;
    packageCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  project.provide('python', ensureToolchain(ROOT));
  const cache = mkdtempSync(join(tmpdir(), 'drift-guard-test-'));
  project.provide('packageCache', cache);
  return () => {
    rmSync(cache, { recursive: true, force: true });
  };
}
