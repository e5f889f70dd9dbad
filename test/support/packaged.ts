/**
 * `npm run package` output for the deployment variants, built once per test run however many files ask: the first
 * asker packages a variant (an atomic mkdir is its claim), the others wait for its `done` marker. Everything lives
 * in the run's cache directory (globalSetup creates it and removes it afterwards), and packaging reads the tests'
 * own contracts, never the working tree's.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { ROOT } from './cli.js';
import { CONTRACTS_DIR } from './guard-scenario.js';

export const VARIANTS = {
  default: [],
  slackForwarder: ['--param', 'slackForwarder=true'],
  enforce: ['--param', 'guardMode=enforce'],
} as const satisfies Record<string, readonly string[]>;
export type Variant = keyof typeof VARIANTS;

const PACKAGE_TIMEOUT_MS = 300_000;

/** The directory holding the variant's CloudFormation template and zips. */
export async function packagedVariant(variant: Variant): Promise<string> {
  const dir = join(inject('packageCache'), variant);
  const done = join(dir, 'done');
  let claimed = true;
  try {
    await mkdir(dir);
  } catch {
    claimed = false;
  }
  if (claimed) {
    const out = join(dir, 'package');
    try {
      await promisify(execFile)(process.execPath, [join(ROOT, 'infra/deploy/package.mjs'), '--stage', 'test', '--package', out, ...VARIANTS[variant]], {
        cwd: ROOT,
        // No AWS credentials and no network: packaging must not need them.
        env: { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: inject('packageCache'), DRIFT_GUARD_CONTRACTS_DIR: CONTRACTS_DIR },
        timeout: PACKAGE_TIMEOUT_MS,
      });
      await writeFile(done, 'ok');
    } catch (error) {
      await writeFile(done, `failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
    return out;
  }
  const deadline = Date.now() + PACKAGE_TIMEOUT_MS;
  while (!existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`packaging ${variant} did not finish within ${String(PACKAGE_TIMEOUT_MS)} ms`);
    await sleep(250);
  }
  const status = await readFile(done, 'utf8');
  if (status !== 'ok') throw new Error(`packaging ${variant} ${status}`);
  return join(dir, 'package');
}
