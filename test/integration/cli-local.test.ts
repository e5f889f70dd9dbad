/** `npm start` and `drift-guard local`, run as a user runs them (built files, child processes, real HTTP). */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GetTableCommand, GetTriggerCommand, GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { tableInputFromTable } from '../../functions/aws/glue-catalog.js';
import { BIN, ROOT } from '../support/cli.js';
import { CONTRACTS_DIR } from '../support/guard-scenario.js';

/** Resolves with the stdout so far once `pattern` appears in it. */
function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${out}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}

describe('npm start and drift-guard local', { timeout: 90_000 }, () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
  });

  it('the demo (what `npm start` runs after building) tells the night and exits 0', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/infra/local/demo/run-demo.js')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DRIFT_GUARD_CONTRACTS_DIR: CONTRACTS_DIR },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('02:00  crawler adds a column `channel` at the end');
    expect(result.stdout).toContain(':no_entry: Breaking schema change blocked on sales.orders');
    expect(result.stdout).toContain('Done: the guard kept sales.orders on its contract');
    expect(result.stdout).not.toContain('✗');
  });

  it('drift-guard local: an update-table from outside is judged and rolled back, and Ctrl-C stops it', async () => {
    // Prepare
    const process_ = spawn(process.execPath, [BIN, 'local', '--port', '0', '--contracts-dir', CONTRACTS_DIR], { cwd: ROOT });
    child = process_;
    const banner = await waitForOutput(process_, /Ctrl-C stops it/);
    const endpoint = /local stack on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
    const glue = new GlueClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    if (Table === undefined) throw new Error('no demo table');
    const input = tableInputFromTable(Table);
    const columns = (input.StorageDescriptor?.Columns ?? []).filter((c) => c.Name !== 'status');
    const blocked = waitForOutput(process_, /sales\.orders: blocked \(dg-[0-9a-f]{12}\)/);
    // Act: someone removes a column by hand.
    await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: columns } } }));
    await blocked;
    // Assess
    const after = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
    expect(after.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).toContain('status');
    const trigger = await glue.send(new GetTriggerCommand({ Name: 'sales-nightly-0200' }));
    expect(trigger.Trigger?.State).toBe('DEACTIVATED');
    glue.destroy();
    const exited = new Promise<number | null>((resolve) => process_.once('exit', resolve));
    process_.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
