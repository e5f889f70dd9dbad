/**
 * The Lambda bundle as it ships (same esbuild options: minified ESM, SDK credentials from the environment,
 * lodash subset), run in its own Node process, handles a real Glue event against the local stack.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GuardedStack } from '../support/guarded-stack.js';
import { ROOT } from '../support/cli.js';
import { CONTRACTS_DIR, DEMO, crawl, currentVerdict, dropCurrencyAndRetypeAmount, startDemo } from '../support/guard-scenario.js';

// The config module exports a function (for serverless-esbuild) carrying the options as a property.
const configModule: unknown = createRequire(import.meta.url)(join(ROOT, 'infra/deploy/esbuild.config.cjs'));
const esbuildConfig = { lambdaBundleOptions: z.record(z.string(), z.unknown()).parse(typeof configModule === 'function' ? Reflect.get(configModule, 'lambdaBundleOptions') : undefined) };

describe('The shipped Lambda bundle', { timeout: 120_000 }, () => {
  let guarded: GuardedStack | undefined;
  let dir = '';
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('restores a breaking change when run as Lambda runs it (env credentials, bundled contracts)', async () => {
    // Prepare: bundle the handler exactly as serverless-esbuild does, next to a copy of the contracts.
    dir = await mkdtemp(join(tmpdir(), 'bundle-'));
    await build({ ...esbuildConfig.lambdaBundleOptions, entryPoints: [join(ROOT, 'functions/handlers/guard.ts')], outfile: join(dir, 'guard.mjs'), logLevel: 'silent' });
    await cp(CONTRACTS_DIR, join(dir, 'contracts'), { recursive: true });
    guarded = await startDemo({ stack: { seed: 11 } });
    const g = guarded;
    g.stack.bus.configure({ autoDeliver: false });
    crawl(g, dropCurrencyAndRetypeAmount);
    const event = g.stack.bus.events.find((e) => e['detail-type'] === 'Glue Data Catalog Table State Change');
    await writeFile(join(dir, 'event.json'), JSON.stringify(event));
    await writeFile(
      join(dir, 'invoke.mjs'),
      "import { readFileSync } from 'node:fs'; const { handler } = await import('./guard.mjs'); process.stdout.write(JSON.stringify(await handler(JSON.parse(readFileSync('./event.json', 'utf8')))));",
    );
    // Act: a separate Node process, configured only by environment, like a Lambda container.
    const { stdout } = await promisify(execFile)(process.execPath, ['invoke.mjs'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: g.stack.endpoint,
        AWS_REGION: g.stack.region,
        AWS_ACCESS_KEY_ID: 'ASIALAMBDAROLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
        CONTRACTS_DIR: './contracts',
        ALERT_TOPIC_ARN: g.topicArn,
        EVENT_BUS_NAME: 'drift-guard-local',
        GUARD_MODE: 'enforce',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      timeout: 60_000,
    });
    // Assess
    const summary = z.object({ tables: z.array(z.object({ outcome: z.string() })) }).parse(JSON.parse(stdout));
    expect(summary.tables.map((t) => t.outcome)).toEqual(['blocked']);
    expect(await currentVerdict(g)).toMatchObject({ verdict: 'compliant' });
    expect(g.stack.sns.published).toHaveLength(1);
    expect(g.stack.glue.getTrigger(DEMO.triggers.schedule).State).toBe('DEACTIVATED');
  });
});
