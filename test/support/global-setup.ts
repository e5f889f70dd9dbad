/**
 * Once per `vitest run`: finds (or makes, in .venv-moto/) the Python with moto and cfn-lint, and hands its path to
 * the test files (`inject('python')`). Without a usable Python the run stops here with one line saying what to install.
 */
import type { TestProject } from 'vitest/node';
import { ROOT } from './cli.js';
import { ensureToolchain } from './python-toolchain.js';

declare module 'vitest' {
  export interface ProvidedContext {
    python: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('python', ensureToolchain(ROOT));
}
