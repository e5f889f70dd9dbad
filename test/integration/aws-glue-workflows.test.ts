/**
 * The Glue workflows adapter with a real GlueClient over HTTP against the local stack: pausing stops and tags
 * exactly the ACTIVATED SCHEDULED / CONDITIONAL triggers, never fires or stops the ON_DEMAND one, stops RUNNING
 * runs and records them on the workflow; a retry converges; throttling is absorbed by the SDK's retry.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../functions/aws/errors.js';
import { createGlueWorkflows, type GluePauseResult, type GlueWorkflowPort } from '../../functions/aws/glue-workflows.js';
import type { IncidentRef } from '../../functions/core/ports.js';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';
import { seedNightlyWorkflow } from '../support/nightly-workflow.js';

/** These tests hold workflows whose RUNNING runs the guard stops (the policy's choice, passed by the executor). */
const STOP_RUNS = { stopRunningRuns: true } as const;

let stack: LocalStack;
let glue: GlueClient;
let workflows: GlueWorkflowPort;
let runningRunId: string;
let completedRunId: string;

const incident: IncidentRef = { id: 'inc-0001', database: 'sales', table: 'orders', region: 'us-east-1', account: '123456789012' };

/**
 * nightly: start (ON_DEMAND) → raw-crawler; after-crawl (CONDITIONAL, active) → load; hourly (SCHEDULED, active)
 * → publish; weekly (SCHEDULED, never started); on-event (EVENT). One RUNNING and one COMPLETED run.
 */
function seedNightly(): void {
  seedNightlyWorkflow(stack);
  completedRunId = stack.glue.workflows.startRun('nightly');
  stack.glue.completeWorkflowRun('nightly', completedRunId);
  runningRunId = stack.glue.workflows.startRun('nightly');
}

const triggerArn = (name: string): string => stack.glue.arn('trigger', name);

beforeAll(async () => {
  stack = await startLocalStack({ seed: 23 });
  glue = new GlueClient(stack.clientConfig());
  workflows = createGlueWorkflows({ client: glue });
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
  seedNightly();
});

describe('GlueWorkflows over the local stack: pause', () => {
  it('leaves the RUNNING run running when runs are not to be stopped, and names it', async () => {
    // Act
    const result = await workflows.pause('nightly', incident, { stopRunningRuns: false });

    // Assess
    expect(result).toMatchObject({ stoppedTriggers: ['after-crawl', 'hourly'], stoppedRuns: [], runsLeftRunning: [runningRunId] });
    expect(stack.calls.count('StopWorkflowRun')).toBe(0);
    expect(stack.glue.getWorkflowRuns('nightly').find((r) => r.WorkflowRunId === runningRunId)?.Status).toBe('RUNNING');
    expect(stack.glue.getTags(stack.glue.arn('workflow', 'nightly'))).toEqual({});
  });

  it('stops and tags exactly the ACTIVATED SCHEDULED / CONDITIONAL triggers and stops the RUNNING run', async () => {
    // Prepare
    const states = (): (string | undefined)[] => ['start', 'after-crawl', 'hourly', 'weekly', 'on-event'].map((n) => stack.glue.getTrigger(n).State);

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result).toEqual({
      workflow: 'nightly',
      found: true,
      stoppedTriggers: ['after-crawl', 'hourly'],
      untouchedTriggers: [
        { name: 'on-event', reason: 'already CREATED' },
        { name: 'start', reason: 'ON_DEMAND: never stopped, starting it would fire it' },
        { name: 'weekly', reason: 'already CREATED' },
      ],
      stoppedRuns: [runningRunId],
      runsLeftRunning: [],
      warnings: [],
      stoppedSchedules: [],
      disabledRules: [],
    });
    expect(states()).toEqual(['CREATED', 'DEACTIVATED', 'DEACTIVATED', 'CREATED', 'CREATED']);
    const ours = { 'drift-guard:incident': 'inc-0001', 'drift-guard:table': 'sales.orders' };
    expect(stack.glue.getTags(triggerArn('after-crawl'))).toEqual(ours);
    expect(stack.glue.getTags(triggerArn('hourly'))).toEqual(ours);
    expect(stack.glue.getTags(triggerArn('start'))).toEqual({});
    expect(stack.glue.getTags(triggerArn('weekly'))).toEqual({});
    expect(stack.glue.triggerFirings).toEqual([]);
    expect(stack.calls.count('StartTrigger')).toBe(0);
    const runs = new Map(stack.glue.getWorkflowRuns('nightly').map((r) => [r.WorkflowRunId, r.Status]));
    expect(runs.get(completedRunId)).toBe('COMPLETED');
    expect(['STOPPING', 'STOPPED']).toContain(runs.get(runningRunId));
    expect(stack.glue.getTags(stack.glue.arn('workflow', 'nightly'))).toEqual({
      'drift-guard:incident': 'inc-0001',
      'drift-guard:table': 'sales.orders',
      'drift-guard:stopped-runs': runningRunId,
    });
  });

  it('converges when the same incident pauses again', async () => {
    // Prepare
    const first = await workflows.pause('nightly', incident, STOP_RUNS);
    stack.calls.clear();

    // Act
    const second = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(second).toEqual(first);
    expect(stack.calls.count('StopTrigger')).toBe(0);
    expect(stack.calls.count('StopWorkflowRun')).toBe(0);
    expect(stack.glue.getTags(stack.glue.arn('workflow', 'nightly'))['drift-guard:stopped-runs']).toBe(runningRunId);
  });

  it('answers found: false for an unknown workflow', async () => {
    // Prepare
    const before = stack.calls.count();

    // Act
    const result = await workflows.pause('weekly-reports', incident, STOP_RUNS);

    // Assess
    expect(result).toMatchObject({ workflow: 'weekly-reports', found: false, stoppedTriggers: [], stoppedRuns: [] });
    expect(stack.calls.list().slice(before).map((c) => c.operation)).toEqual(['GetWorkflow']);
  });

  it('under a 30% throttle rate either completes or fails typed, and re-running converges to the same pause', async () => {
    // Prepare
    stack.faults.set({ throttleRate: 0.3, services: ['glue'] });
    const outcomes: string[] = [];

    // Act: the default SDK retry (3 attempts) absorbs most throttles; a pause of ~15 calls still loses about one
    // time in four, and is then re-run the way Lambda re-invokes a failed asynchronous event.
    let result: GluePauseResult | undefined;
    for (let attempt = 0; attempt < 10 && result === undefined; attempt += 1) {
      try {
        result = await workflows.pause('nightly', incident, STOP_RUNS);
        outcomes.push('ok');
      } catch (error) {
        if (!(error instanceof AwsCallError) || error.code !== 'ThrottlingException') throw error;
        outcomes.push(error.action);
      }
    }

    // Assess
    expect(outcomes.at(-1)).toBe('ok');
    expect(result).toMatchObject({ stoppedTriggers: ['after-crawl', 'hourly'], stoppedRuns: [runningRunId], warnings: [] });
    expect(stack.calls.count({ fault: 'throttle' })).toBeGreaterThan(0);
    expect(stack.glue.getTrigger('hourly').State).toBe('DEACTIVATED');
    expect(stack.glue.getTags(triggerArn('hourly'))).toMatchObject({ 'drift-guard:incident': 'inc-0001' });
    expect(stack.glue.triggerFirings).toEqual([]);
    expect(stack.calls.count('StartTrigger')).toBe(0);
  });
});

describe('GlueWorkflows over the local stack: workflowOfCrawler', () => {
  it('finds the workflow whose trigger starts the crawler', async () => {
    // Prepare
    stack.glue.createCrawler({ Name: 'lonely-crawler', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://lonely/' }] } });

    // Act
    const nightly = await workflows.workflowOfCrawler('raw-crawler');
    const none = await workflows.workflowOfCrawler('lonely-crawler');

    // Assess
    expect(nightly).toBe('nightly');
    expect(none).toBeUndefined();
  });

  it('pages through more triggers than one GetTriggers page holds', async () => {
    // Prepare
    stack.glue.createWorkflow({ Name: 'late' });
    stack.glue.createCrawler({ Name: 'zz-crawler', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://zz/' }] } });
    for (let i = 0; i < 120; i += 1) stack.glue.createTrigger({ Name: `noise-${String(i).padStart(3, '0')}`, Type: 'ON_DEMAND', Actions: [{ JobName: 'load' }] });
    stack.glue.createTrigger({ Name: 'zz-start', WorkflowName: 'late', Type: 'ON_DEMAND', Actions: [{ CrawlerName: 'zz-crawler' }] });
    stack.calls.clear();

    // Act
    const workflow = await workflows.workflowOfCrawler('zz-crawler');

    // Assess
    expect(workflow).toBe('late');
    expect(stack.calls.count('GetTriggers')).toBeGreaterThan(1);
  });
});
