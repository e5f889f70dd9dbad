/**
 * `drift-guard audit --format github|junit|markdown` with the real binary against the local stack over HTTP: a crawler
 * rewrote sales.orders (the guard has not run yet), and the audit's annotations point at the contract's lines.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, runCliAsync } from '../support/cli.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { CONTRACTS_DIR, crawl, dropCurrencyAndRetypeAmount, startDemo } from '../support/guard-scenario.js';

describe('audit in CI formats, live against the local stack', { timeout: 120_000 }, () => {
  let guarded: GuardedStack | undefined;
  let work = '';
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ci-formats-'));
    await cp(CONTRACTS_DIR, join(work, 'contracts'), { recursive: true });
  });
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
    await rm(work, { recursive: true, force: true });
  });

  const cli = (g: GuardedStack, ...args: string[]): Promise<CliResult> =>
    runCliAsync(args, {
      cwd: work,
      env: {
        AWS_ENDPOINT_URL: g.stack.endpoint,
        AWS_REGION: g.stack.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });

  it('a drifted table: an error annotation per breaking change on its contract line, JUnit failure, markdown row; exit 1', async () => {
    guarded = await startDemo({ contractsDir: join(work, 'contracts') });
    // The crawler's write is in the catalog; its event waits on the bus (delivery off), so nothing restores it yet.
    guarded.stack.bus.configure({ autoDeliver: false });
    crawl(guarded, dropCurrencyAndRetypeAmount);
    const contract = (await readFile(join(work, 'contracts', 'sales', 'orders', 'v1.json'), 'utf8')).split('\n');
    const lineOf = (column: string): number => contract.findIndex((l) => l.trim() === `"${column}": {`) + 1;
    expect(lineOf('amount')).toBeGreaterThan(1);
    expect(lineOf('currency')).toBeGreaterThan(1);

    const github = await cli(guarded, 'audit', '--database', 'sales', '--format', 'github');
    expect(github.stderr).toBe('');
    expect(github.code).toBe(1);
    const errors = github.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors.map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual([
      `::error file=contracts/sales/orders/v1.json,line=${lineOf('amount')},title=sales.orders%3A breaking TYPE_CHANGED`,
      `::error file=contracts/sales/orders/v1.json,line=${lineOf('currency')},title=sales.orders%3A breaking COLUMN_REMOVED`,
    ]);
    expect(errors[0]).toContain('drift-guard approve sales.orders --glue-version');
    expect(github.stdout.trim().split('\n').at(-1)).toMatch(/^drift-guard audit of sales: 1 breaking table, \d+ compliant$/);

    const junit = await cli(guarded, 'audit', '--database', 'sales', '--format', 'junit');
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<testcase classname="drift-guard audit" name="sales.orders" file="contracts/sales/orders/v1.json">');
    expect(junit.stdout.match(/<failure /g)).toHaveLength(2);

    const markdown = await cli(guarded, 'audit', '--database', 'sales', '--format', 'markdown');
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain(`| \`TYPE_CHANGED\` | \`contracts/sales/orders/v1.json:${lineOf('amount')}\` |`);
    expect(markdown.stdout).toContain('<summary>How to accept</summary>');
  });
});
