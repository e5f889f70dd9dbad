/**
 * Bundle size and module load time of each Lambda function, side by side with a naive bundle (the Glue, SNS
 * and EventBridge clients with classic zod, everything kept). Budget: each function ≤ 500 KB minified, and
 * module load ≤ 60 % of the naive bundle's. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNS = 15;
const configModule: unknown = createRequire(import.meta.url)(join(ROOT, 'infra/deploy/esbuild.config.cjs'));
const options = z.record(z.string(), z.unknown()).parse(typeof configModule === 'function' ? Reflect.get(configModule, 'lambdaBundleOptions') : undefined);

const dir = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
cpSync(join(ROOT, 'contracts'), join(dir, 'contracts'), { recursive: true });

const env = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  CONTRACTS_DIR: './contracts',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
  EVENT_BUS_NAME: 'bus',
  GUARD_MODE: 'enforce',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SLACK_WEBHOOK_PARAMETER: '/bench/slack',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

/**
 * Median wall time of a fresh `node` running each case (process start included; see the baseline row). The cases
 * take turns, run by run, so a busy moment on a shared machine weighs on all of them alike and the ratios hold.
 */
function loadTimes(cases: Readonly<Record<string, readonly string[]>>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < RUNS + 2; i += 1) {
    for (const [name, args] of Object.entries(cases)) {
      const start = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
      const ms = performance.now() - start;
      if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
      if (i >= 2) samples[name]?.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

const naiveEntry = join(dir, 'naive-entry.mjs');
writeFileSync(
  naiveEntry,
  ["export * as glue from '@aws-sdk/client-glue';", "export * as sns from '@aws-sdk/client-sns';", "export * as events from '@aws-sdk/client-eventbridge';", "export * as zod from 'zod';"].join('\n'),
);
await build({ entryPoints: [naiveEntry], bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', outfile: join(dir, 'naive.cjs'), nodePaths: [join(ROOT, 'node_modules')], logLevel: 'silent' });

const functions = ['guard', 'reconcile', 'slack-forwarder'].filter((name) => {
  try {
    return statSync(join(ROOT, `functions/handlers/${name}.ts`)).isFile();
  } catch {
    return false;
  }
});
for (const name of functions) {
  await build({ ...options, entryPoints: [join(ROOT, `functions/handlers/${name}.ts`)], outfile: join(dir, `${name}.mjs`), logLevel: 'silent' });
}

const loads = loadTimes({
  baseline: ['-e', '0'],
  naive: ['-e', "require('./naive.cjs')"],
  ...Object.fromEntries(functions.map((name) => [name, ['--input-type=module', '-e', `await import('./${name}.mjs')`]])),
});
const baseline = loads.baseline ?? 0;
const naiveSize = statSync(join(dir, 'naive.cjs')).size;
const naiveLoad = loads.naive ?? 0;
console.log(`module load: median of ${RUNS} fresh node processes, the cases taking turns (Node ${process.version}); "node -e 0" alone: ${baseline.toFixed(0)} ms`);
console.log(`${'bundle'.padEnd(34)} ${'size'.padStart(10)}  ${'load'.padStart(8)}  ${'load − node'.padStart(11)}  vs naive`);
const naiveNet = naiveLoad - baseline;
console.log(`${'naive (3 clients + classic zod)'.padEnd(34)} ${(naiveSize / 1024).toFixed(0).padStart(7)} KB  ${naiveLoad.toFixed(0).padStart(5)} ms  ${naiveNet.toFixed(0).padStart(8)} ms      100 %`);
for (const name of functions) {
  const size = statSync(join(dir, `${name}.mjs`)).size;
  const load = loads[name] ?? 0;
  const net = load - baseline;
  const verdict = size <= 500 * 1024 && net <= 0.6 * naiveNet ? 'within budget' : 'OVER BUDGET';
  console.log(
    `${`functions/handlers/${name}`.padEnd(34)} ${(size / 1024).toFixed(0).padStart(7)} KB  ${load.toFixed(0).padStart(5)} ms  ${net.toFixed(0).padStart(8)} ms  ${((100 * net) / naiveNet).toFixed(0).padStart(6)} %  ${verdict}`,
  );
}
console.log('budget: ≤ 500 KB minified and module load ≤ 60 % of the naive bundle’s (both net of node’s own start)');
console.log('the guard’s load includes its cold start: reading its configuration and loading and validating every bundled contract');
rmSync(dir, { recursive: true, force: true });
