/**
 * The local AWS stack, Glue workflows part, through the real AWS SDK v3 client: triggers and their state
 * machine (ON_DEMAND fires on StartTrigger), the workflow graph, workflow runs (stop / resume) and tags.
 */
import {
  CreateCrawlerCommand,
  CreateJobCommand,
  CreateTriggerCommand,
  CreateWorkflowCommand,
  EntityNotFoundException,
  GetTagsCommand,
  GetTriggerCommand,
  GetTriggersCommand,
  GetWorkflowCommand,
  GetWorkflowRunCommand,
  GetWorkflowRunsCommand,
  GlueClient,
  IllegalWorkflowStateException,
  InvalidInputException,
  ListTriggersCommand,
  ListWorkflowsCommand,
  ResumeWorkflowRunCommand,
  StartTriggerCommand,
  StartWorkflowRunCommand,
  StopTriggerCommand,
  StopWorkflowRunCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Node,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;

const triggerArn = (name: string): string => `arn:aws:glue:us-east-1:123456789012:trigger/${name}`;

/**
 * nightly: start (ON_DEMAND) → raw-crawler → after-crawl (CONDITIONAL, active) → load;
 * hourly (SCHEDULED) → publish; on-event (EVENT) → load.
 */
async function seedNightlyWorkflow(): Promise<void> {
  await glue.send(new CreateWorkflowCommand({ Name: 'nightly', MaxConcurrentRuns: 2 }));
  await glue.send(new CreateJobCommand({ Name: 'load', Role: 'role', Command: { Name: 'glueetl', ScriptLocation: 's3://x/load.py' } }));
  await glue.send(new CreateJobCommand({ Name: 'publish', Role: 'role', Command: { Name: 'glueetl' } }));
  await glue.send(new CreateCrawlerCommand({ Name: 'raw-crawler', Role: 'role', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://raw/' }] } }));
  await glue.send(
    new CreateTriggerCommand({ Name: 'start', WorkflowName: 'nightly', Type: 'ON_DEMAND', Actions: [{ CrawlerName: 'raw-crawler' }] }),
  );
  await glue.send(
    new CreateTriggerCommand({
      Name: 'after-crawl',
      WorkflowName: 'nightly',
      Type: 'CONDITIONAL',
      StartOnCreation: true,
      Predicate: { Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw-crawler', CrawlState: 'SUCCEEDED' }] },
      Actions: [{ JobName: 'load' }],
    }),
  );
  await glue.send(
    new CreateTriggerCommand({ Name: 'hourly', WorkflowName: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 * * * ? *)', Actions: [{ JobName: 'publish' }] }),
  );
  await glue.send(
    new CreateTriggerCommand({
      Name: 'on-event',
      WorkflowName: 'nightly',
      Type: 'EVENT',
      Actions: [{ JobName: 'load' }],
      EventBatchingCondition: { BatchSize: 1 },
    }),
  );
}

async function nodeId(type: string, name: string): Promise<string> {
  const { Workflow } = await glue.send(new GetWorkflowCommand({ Name: 'nightly', IncludeGraph: true }));
  const node = (Workflow?.Graph?.Nodes ?? []).find((n) => n.Type === type && n.Name === name);
  return node?.UniqueId ?? '';
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 5 });
  glue = new GlueClient(stack.clientConfig());
});

afterAll(async () => {
  glue.destroy();
  await stack.stop();
});

beforeEach(async () => {
  stack.reset();
  await seedNightlyWorkflow();
});

describe('local stack: trigger state machine', () => {
  it('creates triggers CREATED, or ACTIVATED with StartOnCreation', async () => {
    // Prepare
    const names = ['start', 'after-crawl', 'hourly', 'on-event'];

    // Act
    const states = await Promise.all(names.map(async (Name) => (await glue.send(new GetTriggerCommand({ Name }))).Trigger?.State));

    // Assess
    expect(states).toEqual(['CREATED', 'ACTIVATED', 'CREATED', 'CREATED']);
  });

  it('activates, deactivates and re-activates a SCHEDULED trigger; stopping a deactivated one fails', async () => {
    // Prepare
    const state = async (): Promise<string | undefined> => (await glue.send(new GetTriggerCommand({ Name: 'hourly' }))).Trigger?.State;

    // Act
    await glue.send(new StartTriggerCommand({ Name: 'hourly' }));
    const afterStart = await state();
    await glue.send(new StopTriggerCommand({ Name: 'hourly' }));
    const afterStop = await state();
    const stopAgain = glue.send(new StopTriggerCommand({ Name: 'hourly' }));
    await expect(stopAgain).rejects.toBeInstanceOf(InvalidInputException);
    await glue.send(new StartTriggerCommand({ Name: 'hourly' }));
    const afterRestart = await state();

    // Assess
    expect([afterStart, afterStop, afterRestart]).toEqual(['ACTIVATED', 'DEACTIVATED', 'ACTIVATED']);
    await expect(stopAgain).rejects.toThrow('The operation is not allowed when trigger is in state: DEACTIVATED');
  });

  it('fires an ON_DEMAND trigger on StartTrigger, keeps it CREATED, and refuses to stop it', async () => {
    // Prepare
    const before = stack.glue.triggerFirings.length;

    // Act
    const started = await glue.send(new StartTriggerCommand({ Name: 'start' }));
    const { Trigger } = await glue.send(new GetTriggerCommand({ Name: 'start' }));
    const stop = glue.send(new StopTriggerCommand({ Name: 'start' }));

    // Assess
    expect(started.Name).toBe('start');
    expect(before).toBe(0);
    expect(stack.glue.triggerFirings).toEqual([
      expect.objectContaining({ sequence: 1, triggerName: 'start', workflowName: 'nightly', crawlerNames: ['raw-crawler'], jobNames: [] }),
    ]);
    expect(Trigger?.State).toBe('CREATED');
    await expect(stop).rejects.toBeInstanceOf(InvalidInputException);
    await expect(stop).rejects.toThrow(/state: CREATED/);
  });

  it('refuses to start an EVENT trigger', async () => {
    // Act
    const start = glue.send(new StartTriggerCommand({ Name: 'on-event' }));

    // Assess
    await expect(start).rejects.toBeInstanceOf(InvalidInputException);
    await expect(start).rejects.toThrow('Trigger Type EVENT cannot be started');
  });

  it('validates trigger definitions like Glue does', async () => {
    // Act
    const onDemandStart = glue.send(
      new CreateTriggerCommand({ Name: 'x1', Type: 'ON_DEMAND', StartOnCreation: true, Actions: [{ JobName: 'load' }] }),
    );
    const missingJob = glue.send(new CreateTriggerCommand({ Name: 'x2', Type: 'ON_DEMAND', Actions: [{ JobName: 'ghost' }] }));
    const noSchedule = glue.send(new CreateTriggerCommand({ Name: 'x3', Type: 'SCHEDULED', Actions: [{ JobName: 'load' }] }));

    // Assess
    await expect(onDemandStart).rejects.toBeInstanceOf(InvalidInputException);
    await expect(missingJob).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(noSchedule).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('pages GetTriggers and filters by DependentJobName', async () => {
    // Act
    const page1 = await glue.send(new GetTriggersCommand({ MaxResults: 3 }));
    const page2 = await glue.send(new GetTriggersCommand({ MaxResults: 3, NextToken: page1.NextToken }));
    const forLoad = await glue.send(new GetTriggersCommand({ DependentJobName: 'load' }));
    const names = await glue.send(new ListTriggersCommand({}));

    // Assess
    expect(page1.Triggers?.map((t) => t.Name)).toEqual(['after-crawl', 'hourly', 'on-event']);
    expect(page2.Triggers?.map((t) => t.Name)).toEqual(['start']);
    expect(page2.NextToken).toBeUndefined();
    expect(forLoad.Triggers?.map((t) => t.Name)).toEqual(['after-crawl', 'on-event']);
    expect(names.TriggerNames).toEqual(['after-crawl', 'hourly', 'on-event', 'start']);
  });
});

describe('local stack: workflow graph', () => {
  it('returns TRIGGER, JOB and CRAWLER nodes and the edges between them', async () => {
    // Act
    const { Workflow } = await glue.send(new GetWorkflowCommand({ Name: 'nightly', IncludeGraph: true }));
    const listed = await glue.send(new ListWorkflowsCommand({}));

    // Assess
    const nodes = Workflow?.Graph?.Nodes ?? [];
    const byId = new Map(nodes.map((n): [string, Node] => [n.UniqueId ?? '', n]));
    const label = (id: string | undefined): string => {
      const node = byId.get(id ?? '');
      return `${node?.Type ?? '?'}:${node?.Name ?? '?'}`;
    };
    expect(listed.Workflows).toEqual(['nightly']);
    expect(nodes.map((n) => `${n.Type ?? ''}:${n.Name ?? ''}`).sort()).toEqual([
      'CRAWLER:raw-crawler',
      'JOB:load',
      'JOB:publish',
      'TRIGGER:after-crawl',
      'TRIGGER:hourly',
      'TRIGGER:on-event',
      'TRIGGER:start',
    ]);
    expect((Workflow?.Graph?.Edges ?? []).map((e) => `${label(e.SourceId)} -> ${label(e.DestinationId)}`).sort()).toEqual([
      'CRAWLER:raw-crawler -> TRIGGER:after-crawl',
      'TRIGGER:after-crawl -> JOB:load',
      'TRIGGER:hourly -> JOB:publish',
      'TRIGGER:on-event -> JOB:load',
      'TRIGGER:start -> CRAWLER:raw-crawler',
    ]);
    const triggerNode = nodes.find((n) => n.Name === 'hourly');
    expect(triggerNode?.TriggerDetails?.Trigger).toMatchObject({ Name: 'hourly', Type: 'SCHEDULED', WorkflowName: 'nightly' });
    expect(nodes.find((n) => n.Name === 'load')?.JobDetails).toEqual({ JobRuns: [] });
    expect(nodes.every((n) => /^wnode_[0-9a-f]{64}$/.test(n.UniqueId ?? ''))).toBe(true);
  });

  it('omits the graph unless IncludeGraph is set', async () => {
    // Act
    const { Workflow } = await glue.send(new GetWorkflowCommand({ Name: 'nightly' }));

    // Assess
    expect(Workflow?.Name).toBe('nightly');
    expect(Workflow?.Graph).toBeUndefined();
  });
});

describe('local stack: workflow runs', () => {
  it('stops a RUNNING run: STOPPING on the next read, then STOPPED', async () => {
    // Prepare
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));
    const read = async (): Promise<string | undefined> =>
      (await glue.send(new GetWorkflowRunCommand({ Name: 'nightly', RunId }))).Run?.Status;
    const running = await read();

    // Act
    await glue.send(new StopWorkflowRunCommand({ Name: 'nightly', RunId }));
    const firstRead = await read();
    const secondRead = await read();
    const stopAgain = glue.send(new StopWorkflowRunCommand({ Name: 'nightly', RunId }));

    // Assess
    expect([running, firstRead, secondRead]).toEqual(['RUNNING', 'STOPPING', 'STOPPED']);
    await expect(stopAgain).rejects.toBeInstanceOf(IllegalWorkflowStateException);
  });

  it('stops immediately when stopObservations is 0', async () => {
    // Prepare
    stack.glue.settings.stopObservations = 0;
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));

    // Act
    await glue.send(new StopWorkflowRunCommand({ Name: 'nightly', RunId }));
    const { Run } = await glue.send(new GetWorkflowRunCommand({ Name: 'nightly', RunId }));

    // Assess
    expect(Run?.Status).toBe('STOPPED');
    expect(Run?.CompletedOn).toBeInstanceOf(Date);
  });

  it('resumes a COMPLETED run as a new run that points back at it', async () => {
    // Prepare
    const { RunId = '' } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly', RunProperties: { batch: '42' } }));
    stack.glue.workflows.completeRun('nightly', RunId);
    const loadNode = await nodeId('JOB', 'load');

    // Act
    const resumed = await glue.send(new ResumeWorkflowRunCommand({ Name: 'nightly', RunId, NodeIds: [loadNode] }));
    const { Runs } = await glue.send(new GetWorkflowRunsCommand({ Name: 'nightly' }));

    // Assess
    expect(resumed.RunId).toMatch(/^wr_[0-9a-f]{64}$/);
    expect(resumed.RunId).not.toBe(RunId);
    expect(resumed.NodeIds).toEqual([loadNode]);
    expect(Runs?.map((r) => [r.WorkflowRunId, r.Status, r.PreviousRunId])).toEqual([
      [resumed.RunId, 'RUNNING', RunId],
      [RunId, 'COMPLETED', undefined],
    ]);
    expect(Runs?.[0]?.WorkflowRunProperties).toEqual({ batch: '42' });
  });

  it('refuses to resume a STOPPED or ERROR run, as Glue does ("Repairing and resuming a workflow run")', async () => {
    // Prepare
    stack.glue.settings.stopObservations = 0;
    const { RunId: stopped = '' } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));
    await glue.send(new StopWorkflowRunCommand({ Name: 'nightly', RunId: stopped }));
    const { RunId: failed = '' } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));
    stack.glue.workflows.completeRun('nightly', failed, 'ERROR', 'job load failed');
    const loadNode = await nodeId('JOB', 'load');

    // Act / Assess
    for (const [RunId, status] of [[stopped, 'STOPPED'], [failed, 'ERROR']] as const) {
      await expect(glue.send(new ResumeWorkflowRunCommand({ Name: 'nightly', RunId, NodeIds: [loadNode] }))).rejects.toMatchObject({
        name: 'IllegalWorkflowStateException',
        message: `Workflow run ${RunId} cannot be resumed in state ${status}: only COMPLETED runs can be resumed.`,
      });
    }
  });

  it('refuses to resume a RUNNING run or unknown nodes', async () => {
    // Prepare
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));
    const loadNode = await nodeId('JOB', 'load');

    const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

    // Act
    const whileRunning = await failure(glue.send(new ResumeWorkflowRunCommand({ Name: 'nightly', RunId, NodeIds: [loadNode] })));
    stack.glue.completeWorkflowRun('nightly', RunId ?? '');
    const unknownNode = await failure(glue.send(new ResumeWorkflowRunCommand({ Name: 'nightly', RunId, NodeIds: ['wnode_nope'] })));

    // Assess
    expect(whileRunning).toBeInstanceOf(IllegalWorkflowStateException);
    expect(unknownNode).toBeInstanceOf(InvalidInputException);
  });

  it('reports the latest run as LastRun on GetWorkflow', async () => {
    // Prepare
    const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: 'nightly' }));

    // Act
    const { Workflow } = await glue.send(new GetWorkflowCommand({ Name: 'nightly' }));

    // Assess
    expect(Workflow?.LastRun).toMatchObject({ WorkflowRunId: RunId, Status: 'RUNNING', Name: 'nightly' });
    expect(Workflow?.LastRun?.StartedOn).toBeInstanceOf(Date);
  });
});

describe('local stack: tags', () => {
  it('tags, reads and untags a trigger by ARN, and filters ListTriggers by tag', async () => {
    // Prepare
    const arn = triggerArn('hourly');

    // Act
    await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { 'drift-guard:incident': 'inc-1', team: 'data' } }));
    const tagged = await glue.send(new GetTagsCommand({ ResourceArn: arn }));
    const filtered = await glue.send(new ListTriggersCommand({ Tags: { 'drift-guard:incident': 'inc-1' } }));
    await glue.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: ['drift-guard:incident'] }));
    const untagged = await glue.send(new GetTagsCommand({ ResourceArn: arn }));

    // Assess
    expect(tagged.Tags).toEqual({ 'drift-guard:incident': 'inc-1', team: 'data' });
    expect(filtered.TriggerNames).toEqual(['hourly']);
    expect(untagged.Tags).toEqual({ team: 'data' });
  });

  it('enforces 50 tags per resource', async () => {
    // Prepare
    const arn = triggerArn('start');
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i)}`, 'v']));
    await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: fifty }));

    // Act
    const overwrite = glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { k0: 'changed' } }));
    const fiftyFirst = glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { k50: 'v' } }));

    // Assess
    await expect(overwrite).resolves.toBeDefined();
    await expect(fiftyFirst).rejects.toBeInstanceOf(InvalidInputException);
    const { Tags } = await glue.send(new GetTagsCommand({ ResourceArn: arn }));
    expect(Object.keys(Tags ?? {})).toHaveLength(50);
    expect(Tags?.k0).toBe('changed');
  });

  it('tags workflows and tables, and refuses ARNs of resources that do not exist', async () => {
    // Prepare
    stack.glue.putTable('sales', { Name: 'orders' }, { emit: false });

    // Act
    await glue.send(new TagResourceCommand({ ResourceArn: stack.glue.arn('workflow', 'nightly'), TagsToAdd: { a: '1' } }));
    await glue.send(new TagResourceCommand({ ResourceArn: stack.glue.arn('table', 'sales', 'orders'), TagsToAdd: { b: '2' } }));
    const ghost = glue.send(new TagResourceCommand({ ResourceArn: triggerArn('ghost'), TagsToAdd: { a: '1' } }));
    const garbage = glue.send(new GetTagsCommand({ ResourceArn: 'not-an-arn' }));

    // Assess
    expect(stack.glue.getTags(stack.glue.arn('workflow', 'nightly'))).toEqual({ a: '1' });
    expect(stack.glue.getTags('arn:aws:glue:us-east-1:123456789012:table/sales/orders')).toEqual({ b: '2' });
    await expect(ghost).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(garbage).rejects.toBeInstanceOf(InvalidInputException);
  });
});
