/** `npm start` and `drift-guard local`, run as a user runs them (built files, child processes, real HTTP). */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetTableCommand, GetTriggerCommand, GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { tableInputFromTable } from '../../functions/aws/glue-catalog.js';
import { BIN, ROOT, runCliAsync } from '../support/cli.js';
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

  it('drift-guard local runs the whole review loop: block → resume refused → approve (a contracts change deploys it locally) → resumed', async () => {
    // Prepare: the guard on a copy of the contracts, which approve writes to.
    const contracts = await mkdtemp(join(tmpdir(), 'contracts-'));
    try {
      await cp(CONTRACTS_DIR, contracts, { recursive: true });
      const process_ = spawn(process.execPath, [BIN, 'local', '--port', '0', '--contracts-dir', contracts], { cwd: ROOT });
      child = process_;
      const banner = await waitForOutput(process_, /Ctrl-C stops it/);
      const endpoint = /local stack on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
      const env = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', EVENT_BUS_NAME: 'drift-guard-local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
      expect(banner).toContain('EVENT_BUS_NAME=drift-guard-local');
      expect(banner).toContain('AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1'); // aws-cli v1 reads only the latter
      const glue = new GlueClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const { Table } = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
      if (Table === undefined) throw new Error('no demo table');
      const input = tableInputFromTable(Table);
      const blockedLine = waitForOutput(process_, /sales\.orders: blocked \((dg-[0-9a-f]{12})\)/);
      await glue.send(new UpdateTableCommand({ DatabaseName: 'sales', TableInput: { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: (input.StorageDescriptor?.Columns ?? []).filter((c) => c.Name !== 'status') } } }));
      const incident = /sales\.orders: blocked \((dg-[0-9a-f]{12})\)/.exec(await blockedLine)?.[1] ?? '';

      // Act 1: a resume before the approval: the local reconcile (the "deployed" contracts) refuses it.
      const early = await runCliAsync(['resume', 'sales.orders', '--wait', '2'], { env });
      expect(early.code).toBe(1);
      expect(early.stdout).toContain(`asked the deployed guard to resume incident ${incident}`);
      // Act 2: approve; the watched contracts change is deployed and reconcile resumes the incident.
      const resumedLine = waitForOutput(process_, new RegExp(`contracts changed: deployed, reconcile ran → sales\\.orders: resumed \\(${incident}\\)`), 30_000);
      const approved = await runCliAsync(['approve', 'sales.orders', '--incident', incident, '--reviewer', 'maria', '--reason', 'status is gone upstream', '--contracts-dir', contracts], { env });
      expect(approved.code).toBe(0);
      await resumedLine;

      // Assess: the approved schema is the table's, and the pipeline runs again.
      const after = await glue.send(new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' }));
      expect(after.Table?.StorageDescriptor?.Columns?.map((c) => c.Name)).not.toContain('status');
      expect((await glue.send(new GetTriggerCommand({ Name: 'sales-nightly-0200' }))).Trigger?.State).toBe('ACTIVATED');
      glue.destroy();
    } finally {
      await rm(contracts, { recursive: true, force: true });
    }
  });
});
