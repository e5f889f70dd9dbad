/* global process */
// `npm run package [-- --param slackForwarder=true ...]`: `serverless package` offline into dist/package (or
// --package DIR), with TMPDIR pointed at a directory removed afterwards: serverless-esbuild leaves one temp directory
// per function behind in the system temp folder otherwise.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const scratch = mkdtempSync(join(tmpdir(), 'drift-guard-package-'));
try {
  const result = spawnSync(
    join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'serverless.cmd' : 'serverless'),
    ['package', ...(args.includes('--stage') ? [] : ['--stage', process.env.STAGE || 'prod']), ...(args.includes('--package') ? [] : ['--package', join(root, 'dist', 'package')]), ...args],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    },
  );
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
