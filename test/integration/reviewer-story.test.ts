/**
 * The reviewer's story, end to end on the local stack, with the real `drift-guard` binary talking to it
 * over HTTP (AWS_ENDPOINT_URL): block → approve → check → deploy → an event before reconcile → reconcile; a resume
 * asked before the approval is deployed (refused by the deployed guard); plus the refusals,
 * --keep-current, audit and history.
 */
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { reconcile } from '../../functions/core/reviewing/reconcile.js';
import { createGlueCatalog } from '../../functions/aws/glue-catalog.js';
import { createGluePipelines } from '../../functions/aws/glue-pipelines.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { recordingLog } from '../support/guarded-stack.js';
import { type CliResult, runCliAsync } from '../support/cli.js';
import { CONTRACTS_DIR, DEMO, alerts, crawl, dropCurrencyAndRetypeAmount, startDemo, triggerState } from '../support/guard-scenario.js';
import { GetTableCommand } from '@aws-sdk/client-glue';
import { LOCAL_EVENT_BUS } from '../../infra/local/demo/local-guard.js';

// Each test runs the real binary several times: give slow, shared CI machines room.
describe('Reviewers approve; the guard resumes exactly what it paused', { timeout: 120_000 }, () => {
  let guarded: GuardedStack | undefined;
  let contracts = '';
  beforeEach(async () => {
    contracts = await mkdtemp(join(tmpdir(), 'contracts-'));
    await cp(CONTRACTS_DIR, contracts, { recursive: true });
  });
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
    await rm(contracts, { recursive: true, force: true });
  });

  /** The CLI as a reviewer runs it, pointed at the local stack. */
  const cli = (g: GuardedStack, ...args: string[]): Promise<CliResult> =>
    runCliAsync(args, {
      env: {
        AWS_ENDPOINT_URL: g.stack.endpoint,
        AWS_REGION: g.stack.region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        EVENT_BUS_NAME: LOCAL_EVENT_BUS,
      },
    });

  async function blocked(): Promise<{ g: GuardedStack; incident: string }> {
    guarded = await startDemo({ contractsDir: contracts });
    crawl(guarded, dropCurrencyAndRetypeAmount);
    await guarded.stack.bus.drain();
    const incident = alerts(guarded)[0]?.attributes.incident ?? '';
    expect(incident).toMatch(/^dg-/);
    return { g: guarded, incident };
  }

  const columnsNow = async (g: GuardedStack): Promise<string[]> =>
    ((await g.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }))).Table?.StorageDescriptor?.Columns ?? []).map(
      (c) => `${c.Name ?? ''} ${c.Type ?? ''}`,
    );

  /** Another event on the table before reconcile runs (a later write's, a redelivery): the guard sees it. */
  async function anotherTableEvent(g: GuardedStack): Promise<void> {
    const event = g.stack.bus.events.filter((e) => e['detail-type'] === 'Glue Data Catalog Table State Change').at(0);
    if (event === undefined) throw new Error('no table event to repeat');
    g.stack.bus.publish({ ...event, id: 'a-later-event' });
    await g.stack.bus.drain();
  }

  async function approve(g: GuardedStack, incident: string): Promise<void> {
    const approvedJson = await cli(g, 'approve', 'sales.orders', '--incident', incident, '--reviewer', 'maria.santos', '--reason', 'amount is a string upstream now; currency moved to fx', '--contracts-dir', contracts, '--json');
    expect(approvedJson.stderr).toBe('');
    expect(approvedJson.code).toBe(0);
    const result = z.object({ outcome: z.string(), version: z.number(), glueVersionId: z.string(), acknowledges: z.array(z.object({ ruleId: z.string(), path: z.string() })), notes: z.array(z.string()) }).parse(JSON.parse(approvedJson.stdout));
    expect(result).toMatchObject({ outcome: 'approved', version: 2, glueVersionId: '1' });
    expect(result.acknowledges).toEqual([
      { ruleId: 'TYPE_CHANGED', path: 'columns.amount' },
      { ruleId: 'COLUMN_REMOVED', path: 'columns.currency' },
    ]);
    expect(result.notes[0]).toContain('the catalog has moved on since Glue version 1: it is now at version 3');
    expect((await readdir(join(contracts, 'sales', 'orders'))).sort()).toEqual(['v1.json', 'v2.json']);
  }

  /** The approved schema is in the catalog and exactly the stopped triggers are back, with one "resumed" alert. */
  async function expectResumed(g: GuardedStack, incident: string): Promise<void> {
    const columns = await columnsNow(g);
    expect(columns).toContain('amount string');
    expect(columns.some((c) => c.startsWith('currency'))).toBe(false);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(await triggerState(g, DEMO.triggers.afterCrawl)).toBe('ACTIVATED');
    expect(await triggerState(g, DEMO.triggers.manual)).toBe('CREATED');
    expect(g.stack.glue.triggerFirings).toEqual([]);
    expect(g.stack.glue.getTags(g.stack.glue.arn('trigger', DEMO.triggers.schedule))).toEqual({});
    const resumed = alerts(g).filter((a) => a.attributes.outcome === 'resumed');
    expect(resumed.map((a) => [a.attributes.incident, a.body.metadata.threadId])).toEqual([[incident, 'glue-drift-guard/sales.orders']]);
    // No second incident was opened on the way.
    expect(new Set(alerts(g).map((a) => a.attributes.incident))).toEqual(new Set([incident]));
  }

  it('block → approve → check → deploy → an event before reconcile: the guard completes the incident; reconcile then finds nothing open', async () => {
    const { g, incident } = await blocked();
    await approve(g, incident);
    // Approving twice is harmless.
    const twice = await cli(g, 'approve', 'sales.orders', '--incident', incident, '--reviewer', 'maria.santos', '--reason', 'again', '--contracts-dir', contracts);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('contract v2 already accepts Glue version 1; nothing written');
    // The CI gate accepts the new version: its breaking changes are acknowledged.
    expect((await cli(g, 'check', contracts)).code).toBe(0);

    // Deploy (the guard loads the new contracts); an event on the table arrives before reconcile runs.
    await g.redeploy(contracts);
    await anotherTableEvent(g);
    expect(g.summaries.at(-2)?.tables).toEqual([{ database: 'sales', table: 'orders', outcome: 'resumed', incidentId: incident, alerted: true }]);
    await expectResumed(g, incident);
    expect(alerts(g).map((a) => a.attributes.outcome)).toEqual(['blocked', 'resumed']);
    // Reconcile, when the deploy's event invokes it, has nothing left to do.
    await g.redeploy(contracts, { reconcile: true });
    expect(g.reconciled.at(-1)).toEqual({ trigger: 'manual', incidents: [] });

    // Nothing is left open, and the history tells the story.
    const audit = await cli(g, 'audit', '--contracts-dir', contracts, '--json');
    expect(audit.code).toBe(0);
    expect(z.object({ incidents: z.array(z.unknown()), drifted: z.array(z.unknown()) }).parse(JSON.parse(audit.stdout))).toMatchObject({ incidents: [], drifted: [] });
    const history = await cli(g, 'history', 'sales.orders', '--contracts-dir', contracts);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain(`restore: schema of version 0 written back over version 1 (incident ${incident})`);
    expect(history.stdout).toContain('approved as contract v2 by maria.santos');
    expect(history.stdout).toContain(`resume: approved schema of version 1 written back (incident ${incident})`);
  });

  it('resume right after approve is refused by the deployed guard (its contract does not accept the schema yet), in the incident thread; the deploy resumes it', async () => {
    const { g, incident } = await blocked();
    // Before anything is approved: the request reaches reconcile, which refuses, naming what to do.
    const early = await cli(g, 'resume', 'sales.orders', '--wait', '3');
    expect(early.stderr).toBe('');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain(`asked the deployed guard to resume incident ${incident}`);
    expect(early.stdout).toContain('not resumed within 3 s');
    await approve(g, incident);
    // Approved in git, not deployed: the deployed guard still refuses; nothing is written, nothing restarted.
    const beforeDeploy = await cli(g, 'resume', 'sales.orders', '--wait', '2', '--json');
    expect(beforeDeploy.code).toBe(1);
    expect(z.object({ incidentId: z.string(), released: z.boolean() }).parse(JSON.parse(beforeDeploy.stdout))).toEqual({ incidentId: incident, released: false });
    await g.stack.bus.drain();
    const refusals = alerts(g).filter((a) => a.attributes.outcome === 'resume-refused');
    expect(refusals).toHaveLength(2);
    expect(refusals[1]?.body.content.description).toContain(`contract v1 does not accept the blocked schema of version 1 yet`);
    expect(refusals[1]?.body.metadata.threadId).toBe('glue-drift-guard/sales.orders');
    expect(await columnsNow(g)).toContain('amount decimal(10,2)');
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('DEACTIVATED');

    // Deploy: reconcile resumes it; a resume afterwards finds nothing to do.
    await g.redeploy(contracts, { reconcile: true });
    expect(g.reconciled.at(-1)?.incidents).toEqual([{ incidentId: incident, table: 'sales.orders', outcome: 'resumed' }]);
    await g.stack.bus.drain();
    await expectResumed(g, incident);
    const late = await cli(g, 'resume', 'sales.orders');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('nothing to resume: no trigger or workflow is held for sales.orders');
  });

  it('resume asked after the deploy: the deployed guard writes the approved schema back and the command waits for it', async () => {
    const { g, incident } = await blocked();
    await approve(g, incident);
    await g.redeploy(contracts);
    const resumed = await cli(g, 'resume', 'sales.orders', '--resume-runs');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`asked the deployed guard to resume incident ${incident}`);
    expect(resumed.stdout).toContain("resumed: the incident's triggers are released");
    await g.stack.bus.drain();
    await expectResumed(g, incident);
  });

  it('runs: a contract that stops RUNNING runs keeps its incident open until the stopped run is restarted (--restart-runs)', async () => {
    // Prepare: the contract says to stop running runs; the demo's nightly run is under way when the crawler drifts.
    const v1 = join(contracts, 'sales', 'orders', 'v1.json');
    const file = z.record(z.string(), z.unknown()).parse(JSON.parse(await readFile(v1, 'utf8')));
    await writeFile(v1, JSON.stringify({ ...file, 'x-stop-running-runs': true }, null, 2));
    guarded = await startDemo({ contractsDir: contracts });
    const g = guarded;
    const running = g.stack.glue.getWorkflowRuns(DEMO.workflow).filter((r) => r.Status === 'RUNNING').map((r) => r.WorkflowRunId ?? '');
    expect(running).toHaveLength(1);
    const runId = running[0] ?? '';
    crawl(g, dropCurrencyAndRetypeAmount);
    await g.stack.bus.drain();
    const incident = alerts(g)[0]?.attributes.incident ?? '';
    expect(g.stack.glue.getTags(g.stack.glue.arn('workflow', DEMO.workflow))['drift-guard:stopped-runs']).toBe(runId);

    // Approve (the override carries over to v2), deploy, resume without saying what to do with the run.
    const approved = await cli(g, 'approve', 'sales.orders', '--incident', incident, '--reviewer', 'maria.santos', '--reason', 'string upstream', '--contracts-dir', contracts);
    expect(approved.code).toBe(0);
    expect(JSON.parse(await readFile(join(contracts, 'sales', 'orders', 'v2.json'), 'utf8'))).toMatchObject({ 'x-stop-running-runs': true });
    await g.redeploy(contracts);
    const first = await cli(g, 'resume', 'sales.orders');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`incident ${incident} still open`);
    expect(first.stdout).toContain(`workflow ${DEMO.workflow}: run ${runId}`);
    const open = z.object({ incidents: z.array(z.object({ incidentId: z.string(), table: z.string(), workflows: z.array(z.string()) })) });
    expect(open.parse(JSON.parse((await cli(g, 'audit', '--contracts-dir', contracts, '--json')).stdout)).incidents).toEqual([
      { incidentId: incident, table: 'sales.orders', workflows: [DEMO.workflow] },
    ]);

    // Restart the stopped run: a new run of the workflow; nothing is held any more.
    g.stack.glue.workflows.settleAll();
    const second = await cli(g, 'resume', 'sales.orders', '--restart-runs');
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("resumed: the incident's triggers are released");
    await g.stack.bus.drain();
    expect(g.reconciled.at(-1)?.incidents).toEqual([{ incidentId: incident, table: 'sales.orders', outcome: 'resumed' }]);
    expect(g.stack.glue.getWorkflowRuns(DEMO.workflow).filter((r) => r.Status === 'RUNNING')).toHaveLength(1);
    expect(open.parse(JSON.parse((await cli(g, 'audit', '--contracts-dir', contracts, '--json')).stdout)).incidents).toEqual([]);
  });

  it('Lake Formation: audit reports a guarded table it may not DESCRIBE as not visible, and reading it names the grants', async () => {
    // Prepare: the caller has no Lake Formation DESCRIBE on sales.orders (GetTables leaves it out, GetTable is denied).
    guarded = await startDemo({ contractsDir: contracts });
    const g = guarded;
    g.stack.glue.denyDescribe(DEMO.database, DEMO.table);

    // Act
    const text = await cli(g, 'audit', '--contracts-dir', contracts);
    const json = await cli(g, 'audit', '--contracts-dir', contracts, '--json');
    const history = await cli(g, 'history', 'sales.orders', '--contracts-dir', contracts);

    // Assess
    expect(text.stdout).toContain('NOT VISIBLE sales.orders: not visible (Lake Formation?)');
    expect(text.stdout).not.toContain('MISSING sales.orders');
    const report = z.object({ missing: z.array(z.string()), notVisible: z.array(z.object({ table: z.string(), reason: z.string() })) }).parse(JSON.parse(json.stdout));
    expect(report.missing).toEqual([]);
    expect(report.notVisible.map((t) => t.table)).toEqual(['sales.orders']);
    expect(history.code).toBe(3);
    expect(history.stderr).toContain('access denied by Lake Formation; the caller needs Lake Formation grants');
    expect(history.stderr).toContain('README "Lake Formation"');
  });

  it('refuses to approve what the table never had, a version that does not exist, or nothing', async () => {
    const { g } = await blocked();
    const stranger = await cli(g, 'approve', 'sales.orders', '--incident', 'dg-000000000000', '--reviewer', 'r', '--reason', 'x', '--contracts-dir', contracts);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('no Glue version of sales.orders within reach has incident dg-000000000000: check the table name and the id in the alert');
    const missing = await cli(g, 'approve', 'sales.orders', '--glue-version', '99', '--reviewer', 'r', '--reason', 'x', '--contracts-dir', contracts);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('sales.orders has no Glue version 99 (its current version is 3;');
    const unknown = await cli(g, 'approve', 'sales.nope', '--reviewer', 'r', '--reason', 'x', '--contracts-dir', contracts);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('sales.nope has no approved contract');
    const noReason = await cli(g, 'approve', 'sales.orders', '--reviewer', 'r', '--contracts-dir', contracts);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
  });

  it('resume --keep-current: the change stays rejected, the pipeline restarts on the restored schema', async () => {
    const { g, incident } = await blocked();
    const before = await columnsNow(g);
    const resumed = await cli(g, 'resume', 'sales.orders', '--keep-current', '--contracts-dir', contracts);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`incident ${incident} resumed`);
    expect(resumed.stdout).toContain('the blocked change (version 1) stays rejected');
    expect(await columnsNow(g)).toEqual(before);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(await triggerState(g, DEMO.triggers.manual)).toBe('CREATED');
    // Resuming again: nothing is paused any more.
    const again = await cli(g, 'resume', 'sales.orders', '--keep-current', '--contracts-dir', contracts);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing to resume: no trigger or workflow is held for sales.orders');
  });

  it('a trigger restarted by hand before the resume does not make it fail', async () => {
    const { g } = await blocked();
    g.stack.glue.call('StartTrigger', { Name: DEMO.triggers.schedule });
    const resumed = await cli(g, 'resume', 'sales.orders', '--keep-current', '--contracts-dir', contracts);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`trigger ${DEMO.triggers.schedule}: already-active`);
    expect(resumed.stdout).toContain(`trigger ${DEMO.triggers.afterCrawl}: restarted`);
  });

  it('reconcile (after a deploy) resumes incidents the deployed contracts accept, and waits on the others', async () => {
    const { g, incident } = await blocked();
    const before = await reconcileNow(g);
    expect(before).toEqual([{ incidentId: incident, table: 'sales.orders', outcome: 'waiting' }]);
    expect((await cli(g, 'approve', 'sales.orders', '--incident', incident, '--reviewer', 'r', '--reason', 'ok', '--contracts-dir', contracts)).code).toBe(0);
    await g.redeploy(contracts);
    const after = await reconcileNow(g);
    expect(after).toEqual([{ incidentId: incident, table: 'sales.orders', outcome: 'resumed' }]);
    expect(await triggerState(g, DEMO.triggers.schedule)).toBe('ACTIVATED');
    expect(await reconcileNow(g)).toEqual([]);
  });

  it('a missing IAM permission is a clear error naming the action', async () => {
    const { g } = await blocked();
    g.stack.faults.set({ failNext: { operation: 'GetTableVersion', error: 'AccessDeniedException', message: 'User is not authorized to perform: glue:GetTableVersion' } });
    const result = await cli(g, 'approve', 'sales.orders', '--reviewer', 'r', '--reason', 'x', '--contracts-dir', contracts);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('glue:GetTableVersion');
    expect(result.stderr).toMatch(/access denied/i);
  });

  it('snapshot of a live database bootstraps contracts for its tables, never overwriting one', async () => {
    guarded = await startDemo({ contractsDir: contracts });
    const g = guarded;
    const { ordersTableInput } = await import('../../infra/local/demo/demo-catalog.js');
    g.stack.glue.putTable(DEMO.database, { ...ordersTableInput(), Name: 'returns' }, { emit: false });
    g.stack.glue.putTable(DEMO.database, { ...ordersTableInput(), Name: 'refunds' }, { emit: false });
    const result = await cli(g, 'snapshot', 'sales', '--contracts-dir', contracts, '--reviewer', 'bootstrap', '--owner', 'team-sales-data');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[1/3]');
    expect(result.stdout).toContain('sales: 2 contract versions written, 1 unchanged, 0 refused or unreadable');
    expect((await readdir(join(contracts, 'sales'))).sort()).toEqual(['orders', 'refunds', 'returns']);
    expect(await readdir(join(contracts, 'sales', 'orders'))).toEqual(['v1.json']);
    expect((await cli(g, 'check', contracts)).code).toBe(0);
  });

  it('live snapshot: a mixed-case database argument is the lower-case one; a table without columns and a breaking change without --reason are refused, naming them', async () => {
    guarded = await startDemo({ contractsDir: contracts });
    const g = guarded;
    const { ordersTableInput } = await import('../../infra/local/demo/demo-catalog.js');
    const withoutStorage = { ...ordersTableInput(), Name: 'empty_shell' };
    delete withoutStorage.StorageDescriptor;
    g.stack.glue.putTable(DEMO.database, withoutStorage, { emit: false });
    const orders = ordersTableInput();
    const columns = (orders.StorageDescriptor?.Columns ?? []).filter((c) => c.Name !== 'currency');
    g.stack.glue.putTable(DEMO.database, { ...orders, StorageDescriptor: { ...orders.StorageDescriptor, Columns: columns } }, { emit: false });
    const result = await cli(g, 'snapshot', 'SALES', '--contracts-dir', contracts, '--reviewer', 'bootstrap', '--owner', 'team-sales-data');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('sales: 0 contract versions written, 0 unchanged, 2 refused or unreadable');
    expect(result.stdout).toContain('sales.empty_shell: StorageDescriptor.Columns: a table with at least one column');
    expect(result.stdout).toContain('sales.orders: --reason: a reason: v2 would accept 1 breaking change against v1');
    expect(result.stdout).toContain('✖ COLUMN_REMOVED  Column `currency` (string) removed');
    expect(await readdir(contracts)).toEqual(['sales']);
    expect(await readdir(join(contracts, 'sales'))).toEqual(['orders']);
    expect(await readdir(join(contracts, 'sales', 'orders'))).toEqual(['v1.json']);
    const reasoned = await cli(g, 'snapshot', 'Sales.Orders', '--contracts-dir', contracts, '--reviewer', 'maria', '--reason', 'currency moved to fx');
    expect(reasoned.stderr).toBe('');
    expect(reasoned.code).toBe(0);
    expect((await readdir(join(contracts, 'sales', 'orders'))).sort()).toEqual(['v1.json', 'v2.json']);
    expect((await cli(g, 'check', contracts)).code).toBe(0);
  });

  async function reconcileNow(g: GuardedStack): Promise<{ incidentId: string; table: string; outcome: string }[]> {
    const outcomes = await reconcile(
      { catalog: createGlueCatalog({ client: g.clients.glue }), pipelines: createGluePipelines({ client: g.clients.glue }), contracts: g.contracts, log: recordingLog() },
      { region: g.stack.region, account: g.stack.accountId },
    );
    return outcomes.map((o) => ({ incidentId: o.incidentId, table: o.table, outcome: o.outcome }));
  }
});
