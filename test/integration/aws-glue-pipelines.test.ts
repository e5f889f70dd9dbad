/**
 * The Glue pipelines adapter with a real GlueClient over HTTP against the local stack: after the workflows adapter
 * paused `nightly`, resume finds exactly what it paused, restarts exactly those triggers (never the ON_DEMAND one,
 * nothing fires), cleans up a trigger restarted by hand, resumes the stopped run once, and clears the workflow.
 */
import { ConcurrentRunsExceededException, GlueClient, StartTriggerCommand, StartWorkflowRunCommand } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsAccessDeniedError } from '../../functions/aws/errors.js';
import { createGluePipelines } from '../../functions/aws/glue-pipelines.js';
import { createGlueWorkflows, type GlueWorkflowPort } from '../../functions/aws/glue-workflows.js';
import { OriginUnresolvedError, resolveOrigin } from '../../functions/aws/origin.js';
import type { IncidentRef, Origin, PausedTrigger, PipelinePort } from '../../functions/core/ports.js';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';
import { seedNightlyWorkflow } from '../support/nightly-workflow.js';

/** These tests hold workflows whose RUNNING runs the guard stops (the policy's choice, passed by the executor). */
const STOP_RUNS = { stopRunningRuns: true } as const;

let stack: LocalStack;
let glue: GlueClient;
let workflows: GlueWorkflowPort;
let pipelines: PipelinePort;
let runningRunId: string;

const origin: Origin = { region: 'us-east-1', account: '123456789012' };
const incident: IncidentRef = { id: 'inc-0001', database: 'sales', table: 'orders', ...origin };
const otherIncident: IncidentRef = { id: 'inc-0002', database: 'sales', table: 'refunds', ...origin };
const TRIGGERS = ['start', 'after-crawl', 'hourly', 'weekly', 'on-event'];

/**
 * nightly: start (ON_DEMAND) → raw-crawler; after-crawl (CONDITIONAL, active) → load; hourly (SCHEDULED, active)
 * → publish; weekly (SCHEDULED, never started); on-event (EVENT). One RUNNING run: raw-crawler succeeded, load running.
 * refunds: daily (SCHEDULED, active) → refund-load, paused by another incident.
 */
function seed(): void {
  seedNightlyWorkflow(stack);
  runningRunId = stack.glue.workflows.startRun('nightly');
  stack.glue.workflows.recordNodeRun('nightly', runningRunId, { type: 'CRAWLER', name: 'raw-crawler', state: 'SUCCEEDED' });
  stack.glue.workflows.recordNodeRun('nightly', runningRunId, { type: 'JOB', name: 'load', state: 'RUNNING' });

  stack.glue.createWorkflow({ Name: 'refunds' });
  stack.glue.createJob('refund-load');
  stack.glue.createTrigger({
    Name: 'daily',
    WorkflowName: 'refunds',
    Type: 'SCHEDULED',
    Schedule: 'cron(0 6 * * ? *)',
    StartOnCreation: true,
    Actions: [{ JobName: 'refund-load' }],
  });
}

const triggerArn = (name: string): string => stack.glue.arn('trigger', name);
const workflowTags = (): Record<string, string> => stack.glue.getTags(stack.glue.arn('workflow', 'nightly'));
const states = (): (string | undefined)[] => TRIGGERS.map((n) => stack.glue.getTrigger(n).State);

async function pauseBoth(): Promise<void> {
  await workflows.pause('nightly', incident, STOP_RUNS);
  await workflows.pause('refunds', otherIncident, STOP_RUNS);
  stack.calls.clear();
}

async function restartAll(found: readonly PausedTrigger[]): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  for (const trigger of found) outcomes[trigger.name] = (await pipelines.restartTrigger(trigger, origin)).outcome;
  return outcomes;
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 29 });
  glue = new GlueClient(stack.clientConfig());
  workflows = createGlueWorkflows({ client: glue });
  pipelines = createGluePipelines({ client: glue });
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
  seed();
});

describe('GluePipelines over the local stack: finding what was paused', () => {
  it('finds exactly the triggers and the workflow the pause tagged, per table and incident', async () => {
    // Prepare
    await pauseBoth();

    // Act
    const all = await pipelines.findPausedTriggers(origin);
    const orders = await pipelines.findPausedTriggers(origin, { table: 'sales.orders' });
    const other = await pipelines.findPausedTriggers(origin, { incidentId: 'inc-0002' });
    const pausedWorkflows = await pipelines.findPausedWorkflows(origin);
    const ordersWorkflows = await pipelines.findPausedWorkflows(origin, { incidentId: 'inc-0001' });

    // Assess
    expect(orders).toEqual([
      { name: 'after-crawl', workflow: 'nightly', incidentId: 'inc-0001', table: 'sales.orders', state: 'DEACTIVATED', type: 'CONDITIONAL' },
      { name: 'hourly', workflow: 'nightly', incidentId: 'inc-0001', table: 'sales.orders', state: 'DEACTIVATED', type: 'SCHEDULED' },
    ]);
    expect(other).toEqual([{ name: 'daily', workflow: 'refunds', incidentId: 'inc-0002', table: 'sales.refunds', state: 'DEACTIVATED', type: 'SCHEDULED' }]);
    expect(all.map((t) => t.name)).toEqual(['after-crawl', 'daily', 'hourly']);
    expect(pausedWorkflows).toEqual([
      { workflow: 'nightly', incidentId: 'inc-0001', table: 'sales.orders', stoppedRuns: [runningRunId] },
      { workflow: 'refunds', incidentId: 'inc-0002', table: 'sales.refunds', stoppedRuns: [] },
    ]);
    expect(ordersWorkflows.map((w) => w.workflow)).toEqual(['nightly']);
  });

  it('pages through more triggers than one GetTriggers page holds', async () => {
    // Prepare
    for (let i = 0; i < 120; i += 1) stack.glue.createTrigger({ Name: `noise-${String(i).padStart(3, '0')}`, Type: 'ON_DEMAND', Actions: [{ JobName: 'load' }] });
    await pauseBoth();

    // Act
    const found = await pipelines.findPausedTriggers(origin, { table: 'sales.orders' });

    // Assess
    expect(found.map((t) => t.name)).toEqual(['after-crawl', 'hourly']);
    expect(stack.calls.count('GetTriggers')).toBeGreaterThan(1);
    expect(stack.calls.count('GetTags')).toBe(126);
  });
});

describe('GluePipelines over the local stack: restarting triggers', () => {
  it('brings back exactly the stopped triggers, removes their tags, and fires nothing', async () => {
    // Prepare
    await pauseBoth();
    const found = await pipelines.findPausedTriggers(origin, { table: 'sales.orders', incidentId: 'inc-0001' });

    // Act
    const outcomes = await restartAll(found);

    // Assess
    expect(outcomes).toEqual({ 'after-crawl': 'restarted', hourly: 'restarted' });
    expect(states()).toEqual(['CREATED', 'ACTIVATED', 'ACTIVATED', 'CREATED', 'CREATED']);
    for (const name of TRIGGERS) expect(stack.glue.getTags(triggerArn(name))).toEqual({});
    expect(stack.glue.getTrigger('daily').State).toBe('DEACTIVATED');
    expect(stack.glue.getTags(triggerArn('daily'))).toMatchObject({ 'drift-guard:incident': 'inc-0002' });
    expect(stack.calls.count('StartTrigger')).toBe(2);
    expect(stack.glue.triggerFirings).toEqual([]);
    expect(await pipelines.findPausedTriggers(origin, { table: 'sales.orders' })).toEqual([]);
  });

  it('never starts the ON_DEMAND trigger, even when asked to', async () => {
    // Prepare
    await pauseBoth();
    const asked: PausedTrigger = { name: 'start', workflow: 'nightly', incidentId: 'inc-0001', table: 'sales.orders', state: 'CREATED', type: 'SCHEDULED' };

    // Act
    const result = await pipelines.restartTrigger(asked, origin);

    // Assess
    expect(result).toEqual({ trigger: 'start', outcome: 'refused', reason: 'ON_DEMAND: never started, starting it would fire it' });
    expect(stack.calls.count('StartTrigger')).toBe(0);
    expect(stack.glue.triggerFirings).toEqual([]);
    expect(stack.glue.getTrigger('start').State).toBe('CREATED');
  });

  it('only untags a trigger someone restarted by hand first', async () => {
    // Prepare
    await pauseBoth();
    const found = await pipelines.findPausedTriggers(origin, { table: 'sales.orders' });
    await glue.send(new StartTriggerCommand({ Name: 'hourly' }));

    // Act
    const outcomes = await restartAll(found);

    // Assess
    expect(outcomes).toEqual({ 'after-crawl': 'restarted', hourly: 'already-active' });
    expect(stack.glue.getTrigger('hourly').State).toBe('ACTIVATED');
    expect(stack.glue.getTags(triggerArn('hourly'))).toEqual({});
    expect(stack.calls.count('StartTrigger')).toBe(2);
    expect(stack.glue.triggerFirings).toEqual([]);
  });

  it('names glue:StartTrigger when the role may not start triggers, and keeps the trigger paused and tagged', async () => {
    // Prepare
    await pauseBoth();
    const [first] = await pipelines.findPausedTriggers(origin, { table: 'sales.orders' });
    stack.faults.set({ failNext: { operation: 'StartTrigger', error: 'AccessDeniedException', message: 'not authorized to perform glue:StartTrigger' } });

    // Act
    const error: unknown = first === undefined ? undefined : await pipelines.restartTrigger(first, origin).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:StartTrigger' });
    expect(stack.glue.getTrigger('after-crawl').State).toBe('DEACTIVATED');
    expect(stack.glue.getTags(triggerArn('after-crawl'))).toMatchObject({ 'drift-guard:incident': 'inc-0001' });
  });
});

describe('GluePipelines over the local stack: runs and the workflow', () => {
  it('holds the run it stopped (Glue resumes only COMPLETED runs) without calling ResumeWorkflowRun', async () => {
    // Prepare
    await pauseBoth();

    // Act
    const whileStopping = await pipelines.resumeRun('nightly', runningRunId);
    const stopped = await pipelines.resumeRun('nightly', runningRunId);

    // Assess
    expect(whileStopping).toEqual({ runId: runningRunId, outcome: 'held', detail: 'run is STOPPING: still held; run resume again once it is STOPPED', status: 'STOPPING' });
    expect(stopped).toMatchObject({ runId: runningRunId, outcome: 'held', status: 'STOPPED' });
    expect(stopped.detail).toContain('--restart-runs starts the workflow again (StartWorkflowRun)');
    expect(stack.calls.count('ResumeWorkflowRun')).toBe(0);
  });

  it('restarts the run it stopped with StartWorkflowRun once it is STOPPED, and only once', async () => {
    // Prepare
    await pauseBoth();

    // Act
    const whileStopping = await pipelines.restartRun('nightly', runningRunId);
    const restarted = await pipelines.restartRun('nightly', runningRunId);
    const again = await pipelines.restartRun('nightly', runningRunId);

    // Assess
    expect(whileStopping).toMatchObject({ outcome: 'held', status: 'STOPPING' });
    expect(restarted).toMatchObject({ runId: runningRunId, outcome: 'restarted', status: 'STOPPED' });
    expect(restarted.detail).toMatch(/^wr_[0-9a-f]{64}$/);
    expect(again).toEqual({ runId: runningRunId, outcome: 'skipped', detail: `already restarted as ${restarted.detail}`, status: 'STOPPED' });
    expect(stack.calls.count('StartWorkflowRun')).toBe(1);
    const fresh = stack.glue.getWorkflowRuns('nightly').find((r) => r.WorkflowRunId === restarted.detail);
    expect(fresh).toMatchObject({ Status: 'RUNNING', WorkflowRunProperties: { 'drift-guard:restart-of': runningRunId } });
    expect(fresh).not.toHaveProperty('PreviousRunId');
  });

  it('holds the run when the workflow is at its MaxConcurrentRuns: the local stack refuses as Glue does (ConcurrentRunsExceededException)', async () => {
    // Prepare: `capped` allows one run at a time; the guard stopped one, and another started since.
    stack.glue.createWorkflow({ Name: 'capped', MaxConcurrentRuns: 1 });
    const stoppedRun = stack.glue.workflows.startRun('capped');
    stack.glue.workflows.stopRun('capped', stoppedRun);
    stack.glue.workflows.settleAll();
    stack.glue.workflows.startRun('capped');

    // Act
    const result = await pipelines.restartRun('capped', stoppedRun);
    const direct: unknown = await glue.send(new StartWorkflowRunCommand({ Name: 'capped' })).catch((e: unknown) => e);

    // Assess
    expect(result).toMatchObject({ outcome: 'held', status: 'STOPPED' });
    expect(result.detail).toMatch(/^ConcurrentRunsExceededException: .*; still held: run resume again later$/);
    expect(direct).toBeInstanceOf(ConcurrentRunsExceededException);
  });

  it('keeps the runs still to be released in the workflow\'s tag', async () => {
    // Prepare
    await pauseBoth();

    // Act
    await pipelines.clearWorkflow('nightly', 'inc-0001', origin, [runningRunId]);

    // Assess
    expect(workflowTags()).toEqual({ 'drift-guard:incident': 'inc-0001', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': runningRunId });
    expect(await pipelines.findPausedWorkflows(origin, { table: 'sales.orders' })).toEqual([
      { workflow: 'nightly', incidentId: 'inc-0001', table: 'sales.orders', stoppedRuns: [runningRunId] },
    ]);
  });

  it('resumes a COMPLETED run from its unfinished job as a new run, and only once', async () => {
    // Prepare: a run that completed with its load job failed.
    const runId = stack.glue.workflows.startRun('nightly');
    stack.glue.workflows.recordNodeRun('nightly', runId, { type: 'CRAWLER', name: 'raw-crawler', state: 'SUCCEEDED' });
    stack.glue.workflows.recordNodeRun('nightly', runId, { type: 'JOB', name: 'load', state: 'FAILED' });
    stack.glue.workflows.completeRun('nightly', runId);

    // Act
    const resumed = await pipelines.resumeRun('nightly', runId);
    const again = await pipelines.resumeRun('nightly', runId);

    // Assess
    expect(resumed.outcome).toBe('resumed');
    expect(resumed.detail).toMatch(/^wr_[0-9a-f]{64}$/);
    expect(again).toEqual({ runId, outcome: 'skipped', detail: `already resumed as ${resumed.detail}`, status: 'COMPLETED' });
    expect(stack.calls.count('ResumeWorkflowRun')).toBe(1);
    const runs = stack.glue.getWorkflowRuns('nightly').map((r) => [r.WorkflowRunId, r.Status, r.PreviousRunId]);
    expect(runs).toContainEqual([resumed.detail, 'RUNNING', runId]);
  });

  it('clears the workflow\'s tags for its own incident only', async () => {
    // Prepare
    await pauseBoth();

    // Act
    await pipelines.clearWorkflow('nightly', 'inc-0002', origin);
    const afterOther = workflowTags();
    await pipelines.clearWorkflow('nightly', 'inc-0001', origin);

    // Assess
    expect(afterOther).toEqual({ 'drift-guard:incident': 'inc-0001', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': runningRunId });
    expect(workflowTags()).toEqual({});
    expect((await pipelines.findPausedWorkflows(origin)).map((w) => w.workflow)).toEqual(['refunds']);
  });
});

describe('resolveOrigin over the local stack', () => {
  it('returns the client\'s region and the catalog\'s account', async () => {
    // Prepare
    stack.glue.createDatabase('sales', {}, { emit: false });

    // Act
    const resolved = await resolveOrigin(glue);

    // Assess
    expect(resolved).toEqual({ region: 'us-east-1', account: '123456789012' });
  });

  it('asks for the account explicitly when the catalog has no database', async () => {
    // Act
    const error: unknown = await resolveOrigin(glue).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OriginUnresolvedError);
    expect(error).toMatchObject({ missing: 'account' });
  });
});
