/**
 * The Glue pipelines adapter (resume side) against a mocked GlueClient: finding what the guard paused by its tags,
 * restarting exactly those triggers (never an ON_DEMAND one, start before untag), resuming stopped runs from their
 * unfinished nodes, clearing the workflow's tags; and resolveOrigin.
 */
import {
  AccessDeniedException,
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetDatabasesCommand,
  GetTagsCommand,
  GetTriggerCommand,
  GetTriggersCommand,
  GetWorkflowRunCommand,
  GetWorkflowRunsCommand,
  GlueClient,
  IllegalWorkflowStateException,
  InvalidInputException,
  ListWorkflowsCommand,
  ResumeWorkflowRunCommand,
  StartTriggerCommand,
  StartWorkflowRunCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CrawlState,
  type JobRunState,
  type Node,
  type Trigger,
  type WorkflowGraph,
  type WorkflowRun,
  type WorkflowRunStatus,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAccessDeniedError } from '../../functions/aws/errors.js';
import { createGluePipelines } from '../../functions/aws/glue-pipelines.js';
import { OriginUnresolvedError, resolveOrigin } from '../../functions/aws/origin.js';
import type { Origin, PausedTrigger } from '../../functions/core/ports.js';

const glue = new GlueClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const glueMock = mockClient(glue);
const pipelines = createGluePipelines({ client: glue });

const origin: Origin = { region: 'eu-west-1', account: '111122223333' };
const arn = (kind: 'trigger' | 'workflow', name: string): string => `arn:aws:glue:eu-west-1:111122223333:${kind}/${name}`;
const ours = { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders' };
const denied = (): AccessDeniedException => new AccessDeniedException({ message: 'not authorized', $metadata: {} });

function paused(overrides: Partial<PausedTrigger> = {}): PausedTrigger {
  return { name: 'hourly', workflow: 'nightly', incidentId: 'inc-42', table: 'sales.orders', state: 'DEACTIVATED', type: 'SCHEDULED', ...overrides };
}

function givenTrigger(trigger: Trigger, tags: Record<string, string> = ours): void {
  glueMock.on(GetTriggerCommand, { Name: trigger.Name }).resolves({ Trigger: trigger });
  glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', trigger.Name ?? '') }).resolves({ Tags: tags });
}

/** The calls that change something, in order, as `Operation target`. */
function mutations(): string[] {
  return glueMock.calls().flatMap((call) => {
    const command = call.args[0];
    if (command instanceof StartTriggerCommand) return [`StartTrigger ${command.input.Name ?? ''}`];
    if (command instanceof UntagResourceCommand) return [`UntagResource ${command.input.ResourceArn ?? ''} ${(command.input.TagsToRemove ?? []).join(',')}`];
    if (command instanceof ResumeWorkflowRunCommand) return [`ResumeWorkflowRun ${command.input.RunId ?? ''} ${(command.input.NodeIds ?? []).join(',')}`];
    return [];
  });
}

beforeEach(() => {
  glueMock.reset();
  glueMock.on(GetTagsCommand).resolves({ Tags: {} });
  glueMock.on(StartTriggerCommand).resolves({});
  glueMock.on(UntagResourceCommand).resolves({});
  glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [] });
});

describe('GluePipelines.findPausedTriggers', () => {
  it('returns the triggers carrying the incident tag, across every GetTriggers page', async () => {
    // Prepare
    glueMock
      .on(GetTriggersCommand)
      .resolvesOnce({
        Triggers: [
          { Name: 'hourly', WorkflowName: 'nightly', Type: 'SCHEDULED', State: 'DEACTIVATED' },
          { Name: 'start', WorkflowName: 'nightly', Type: 'ON_DEMAND', State: 'CREATED' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Triggers: [{ Name: 'solo', Type: 'CONDITIONAL', State: 'ACTIVATED' }] });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') }).resolves({ Tags: { ...ours, team: 'sales' } });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'solo') }).resolves({ Tags: { 'drift-guard:incident': 'inc-7', 'drift-guard:table': 'sales.refunds' } });

    // Act
    const found = await pipelines.findPausedTriggers(origin);

    // Assess
    expect(found).toEqual([
      { name: 'hourly', workflow: 'nightly', incidentId: 'inc-42', table: 'sales.orders', state: 'DEACTIVATED', type: 'SCHEDULED' },
      { name: 'solo', incidentId: 'inc-7', table: 'sales.refunds', state: 'ACTIVATED', type: 'CONDITIONAL' },
    ]);
    expect(glueMock).toHaveReceivedCommandTimes(GetTriggersCommand, 2);
    expect(glueMock).toHaveReceivedCommandTimes(GetTagsCommand, 3);
  });

  it('keeps only the triggers of the given table and incident', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).resolves({ Triggers: ['a', 'b', 'c'].map((Name) => ({ Name, Type: 'SCHEDULED', State: 'DEACTIVATED' })) });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'a') }).resolves({ Tags: ours });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'b') }).resolves({ Tags: { ...ours, 'drift-guard:incident': 'inc-43' } });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'c') }).resolves({ Tags: { ...ours, 'drift-guard:table': 'sales.refunds' } });

    // Act
    const byTable = await pipelines.findPausedTriggers(origin, { table: 'sales.orders' });
    const byIncident = await pipelines.findPausedTriggers(origin, { incidentId: 'inc-42' });
    const byBoth = await pipelines.findPausedTriggers(origin, { table: 'sales.orders', incidentId: 'inc-42' });

    // Assess
    expect(byTable.map((t) => t.name)).toEqual(['a', 'b']);
    expect(byIncident.map((t) => t.name)).toEqual(['a', 'c']);
    expect(byBoth.map((t) => t.name)).toEqual(['a']);
  });

  it('skips a trigger deleted between listing and reading its tags', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).resolves({ Triggers: [{ Name: 'gone', Type: 'SCHEDULED' }, { Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' }] });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'gone') }).rejects(new EntityNotFoundException({ message: 'not found', $metadata: {} }));
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') }).resolves({ Tags: ours });

    // Act
    const found = await pipelines.findPausedTriggers(origin);

    // Assess
    expect(found.map((t) => t.name)).toEqual(['hourly']);
  });

  it('reads at most 8 triggers\' tags at a time', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).resolves({ Triggers: Array.from({ length: 30 }, (_, i) => ({ Name: `t${String(i)}`, Type: 'SCHEDULED' })) });
    let inFlight = 0;
    let most = 0;
    glueMock.on(GetTagsCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { Tags: ours };
    });

    // Act
    const found = await pipelines.findPausedTriggers(origin);

    // Assess
    expect(found).toHaveLength(30);
    expect(most).toBe(8);
  });

  it('names glue:GetTags when the role may not read tags', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).resolves({ Triggers: [{ Name: 'hourly', Type: 'SCHEDULED' }] });
    glueMock.on(GetTagsCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.findPausedTriggers(origin).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:GetTags', message: expect.stringContaining('"glue:GetTags"') as unknown });
  });

  it('names glue:GetTriggers when the role may not list triggers', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.findPausedTriggers(origin).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:GetTriggers' });
  });
});

describe('GluePipelines.findPausedWorkflows', () => {
  it('returns the tagged workflows across ListWorkflows pages, with the runs the guard stopped', async () => {
    // Prepare
    glueMock.on(ListWorkflowsCommand).resolves({ Workflows: ['nightly', 'plain'], NextToken: 'n' });
    glueMock.on(ListWorkflowsCommand, { NextToken: 'n' }).resolves({ Workflows: ['weekly'] });
    glueMock
      .on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') })
      .resolves({ Tags: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1 wr_2' } });
    glueMock.on(GetTagsCommand, { ResourceArn: arn('workflow', 'weekly') }).resolves({ Tags: { 'drift-guard:incident': 'inc-7' } });

    // Act
    const all = await pipelines.findPausedWorkflows(origin);
    const one = await pipelines.findPausedWorkflows(origin, { incidentId: 'inc-7' });
    const ofTable = await pipelines.findPausedWorkflows(origin, { table: 'sales.orders' });

    // Assess
    expect(all).toEqual([
      { workflow: 'nightly', incidentId: 'inc-42', table: 'sales.orders', stoppedRuns: ['wr_1', 'wr_2'] },
      { workflow: 'weekly', incidentId: 'inc-7', table: '', stoppedRuns: [] },
    ]);
    expect(one).toEqual([{ workflow: 'weekly', incidentId: 'inc-7', table: '', stoppedRuns: [] }]);
    expect(ofTable.map((w) => w.workflow)).toEqual(['nightly']);
    expect(glueMock).toHaveReceivedCommandTimes(ListWorkflowsCommand, 6);
  });

  it('names glue:ListWorkflows when the role may not list workflows', async () => {
    // Prepare
    glueMock.on(ListWorkflowsCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.findPausedWorkflows(origin).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:ListWorkflows' });
  });
});

describe('GluePipelines.restartTrigger', () => {
  it('starts a DEACTIVATED trigger first and removes the guard\'s tags after', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' });

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({ trigger: 'hourly', outcome: 'restarted' });
    expect(mutations()).toEqual(['StartTrigger hourly', `UntagResource ${arn('trigger', 'hourly')} drift-guard:incident,drift-guard:table`]);
  });

  it('never starts an ON_DEMAND trigger: starting it would fire it', async () => {
    // Prepare
    givenTrigger({ Name: 'start', Type: 'ON_DEMAND', State: 'CREATED' });

    // Act
    const asListed = await pipelines.restartTrigger(paused({ name: 'start', type: 'ON_DEMAND', state: 'CREATED' }), origin);
    const asLive = await pipelines.restartTrigger(paused({ name: 'start', type: 'SCHEDULED' }), origin);

    // Assess
    expect(asListed).toEqual({ trigger: 'start', outcome: 'refused', reason: 'ON_DEMAND: never started, starting it would fire it' });
    expect(asLive).toEqual(asListed);
    expect(glueMock).not.toHaveReceivedCommand(StartTriggerCommand);
    expect(mutations()).toEqual([]);
  });

  it('refuses an EVENT trigger, which Glue cannot start', async () => {
    // Prepare
    givenTrigger({ Name: 'on-event', Type: 'EVENT', State: 'CREATED' });

    // Act
    const result = await pipelines.restartTrigger(paused({ name: 'on-event', type: 'EVENT' }), origin);

    // Assess
    expect(result).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('EVENT') as unknown });
    expect(mutations()).toEqual([]);
  });

  it('only removes the tags from a trigger someone restarted by hand', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'ACTIVATED' });

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({ trigger: 'hourly', outcome: 'already-active' });
    expect(mutations()).toEqual([`UntagResource ${arn('trigger', 'hourly')} drift-guard:incident,drift-guard:table`]);
  });

  it('treats a StartTrigger that lost the race to a hand restart as already-active', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' });
    glueMock
      .on(GetTriggerCommand, { Name: 'hourly' })
      .resolvesOnce({ Trigger: { Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' } })
      .resolves({ Trigger: { Name: 'hourly', Type: 'SCHEDULED', State: 'ACTIVATED' } });
    glueMock.on(StartTriggerCommand).rejects(new InvalidInputException({ message: 'The operation is not allowed when trigger is in state: ACTIVATING', $metadata: {} }));

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({ trigger: 'hourly', outcome: 'already-active' });
    expect(mutations()).toEqual(['StartTrigger hourly', `UntagResource ${arn('trigger', 'hourly')} drift-guard:incident,drift-guard:table`]);
  });

  it('keeps the tags when StartTrigger is refused and the trigger is still not active', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' });
    glueMock
      .on(GetTriggerCommand, { Name: 'hourly' })
      .resolvesOnce({ Trigger: { Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' } })
      .resolves({ Trigger: { Name: 'hourly', Type: 'SCHEDULED', State: 'UPDATING' } });
    glueMock.on(StartTriggerCommand).rejects(new InvalidInputException({ message: 'The operation is not allowed when trigger is in state: UPDATING', $metadata: {} }));

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({
      trigger: 'hourly',
      outcome: 'refused',
      reason: 'state changed meanwhile (The operation is not allowed when trigger is in state: UPDATING)',
    });
    expect(glueMock).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  it('refuses a trigger that no longer exists', async () => {
    // Prepare
    glueMock.on(GetTriggerCommand).rejects(new EntityNotFoundException({ message: 'Trigger with name hourly not found.', $metadata: {} }));

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({ trigger: 'hourly', outcome: 'refused', reason: 'the trigger no longer exists' });
    expect(mutations()).toEqual([]);
  });

  it('refuses a trigger that no longer carries this incident\'s tag', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' }, { ...ours, 'drift-guard:incident': 'inc-43' });

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toEqual({ trigger: 'hourly', outcome: 'refused', reason: "it no longer carries incident inc-42's tag (tagged by incident inc-43)" });
    expect(mutations()).toEqual([]);
  });

  it('refuses a trigger in a state the guard did not leave it in', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATING' });

    // Act
    const result = await pipelines.restartTrigger(paused(), origin);

    // Assess
    expect(result).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('state DEACTIVATING') as unknown });
    expect(mutations()).toEqual([]);
  });

  it('names glue:StartTrigger when the role may not start triggers, and keeps the tags', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' });
    glueMock.on(StartTriggerCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.restartTrigger(paused(), origin).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:StartTrigger' });
    expect(glueMock).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  it('names glue:UntagResource when the role may not untag', async () => {
    // Prepare
    givenTrigger({ Name: 'hourly', Type: 'SCHEDULED', State: 'DEACTIVATED' });
    glueMock.on(UntagResourceCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.restartTrigger(paused(), origin).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'AwsAccessDeniedError', action: 'glue:UntagResource' });
    expect(glueMock).toHaveReceivedCommand(StartTriggerCommand);
  });
});

function jobNode(name: string, states: readonly JobRunState[]): Node {
  return { Type: 'JOB', Name: name, UniqueId: `wnode_${name}`, JobDetails: { JobRuns: states.map((JobRunState, Attempt) => ({ Id: `jr_${name}_${String(Attempt)}`, Attempt, JobRunState })) } };
}

function crawlerNode(name: string, states: readonly CrawlState[]): Node {
  return { Type: 'CRAWLER', Name: name, UniqueId: `wnode_${name}`, CrawlerDetails: { Crawls: states.map((State) => ({ State })) } };
}

function givenRun(run: WorkflowRun): void {
  glueMock.on(GetWorkflowRunCommand, { Name: 'nightly', RunId: 'wr_1', IncludeGraph: true }).resolves({ Run: { Name: 'nightly', WorkflowRunId: 'wr_1', ...run } });
}

const stoppedGraph: WorkflowGraph = {
  Nodes: [
    { Type: 'TRIGGER', Name: 'start', UniqueId: 'wnode_start' },
    crawlerNode('raw-crawler', ['SUCCEEDED']),
    jobNode('load', ['FAILED', 'STOPPED']),
    jobNode('publish', []),
    jobNode('audit', ['FAILED', 'SUCCEEDED']),
    crawlerNode('ref-crawler', ['CANCELLED']),
  ],
  Edges: [],
};

describe('GluePipelines.resumeRun', () => {
  it('resumes a completed run from the job and crawler nodes it attempted that never succeeded', async () => {
    // Prepare
    givenRun({ Status: 'COMPLETED', Graph: stoppedGraph });
    glueMock.on(ResumeWorkflowRunCommand).resolves({ RunId: 'wr_2', NodeIds: ['wnode_load', 'wnode_ref-crawler'] });

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'resumed', detail: 'wr_2', status: 'COMPLETED' });
    expect(glueMock).toHaveReceivedCommandWith(ResumeWorkflowRunCommand, { Name: 'nightly', RunId: 'wr_1', NodeIds: ['wnode_load', 'wnode_ref-crawler'] });
  });

  // Glue resumes only COMPLETED runs ("Repairing and resuming a workflow run"): any other run stays held (the incident
  // stays open), saying what would release it.
  it.each<[WorkflowRunStatus, string]>([
    ['RUNNING', 'run is RUNNING: still held; run resume again once it is STOPPED'],
    ['STOPPING', 'run is STOPPING: still held; run resume again once it is STOPPED'],
    ['STOPPED', 'run is STOPPED: Glue resumes only COMPLETED runs; still held: --restart-runs starts the workflow again (StartWorkflowRun)'],
    ['ERROR', 'run is ERROR: neither resumed nor restarted; still held: --leave-runs lets it go'],
  ])('holds a %s run without calling ResumeWorkflowRun', async (Status, detail) => {
    // Prepare
    givenRun({ Status, Graph: stoppedGraph });

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'held', detail, status: Status });
    expect(glueMock).not.toHaveReceivedCommand(ResumeWorkflowRunCommand);
  });

  it('skips a run with nothing left unfinished (never-attempted nodes cannot be resumed)', async () => {
    // Prepare
    givenRun({ Status: 'COMPLETED', Graph: { Nodes: [crawlerNode('raw-crawler', ['SUCCEEDED']), jobNode('publish', [])] } });

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'skipped', detail: 'nothing to resume: no job or crawler of the COMPLETED run was left unfinished', status: 'COMPLETED' });
    expect(glueMock).not.toHaveReceivedCommand(ResumeWorkflowRunCommand);
  });

  it('skips a run that was resumed before, so its nodes never run twice', async () => {
    // Prepare
    givenRun({ Status: 'COMPLETED', Graph: stoppedGraph });
    glueMock
      .on(GetWorkflowRunsCommand)
      .resolvesOnce({ Runs: [{ WorkflowRunId: 'wr_9', Status: 'RUNNING' }], NextToken: 'n' })
      .resolvesOnce({ Runs: [{ WorkflowRunId: 'wr_2', PreviousRunId: 'wr_1', Status: 'COMPLETED' }, { WorkflowRunId: 'wr_1', Status: 'STOPPED' }] });

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'skipped', detail: 'already resumed as wr_2', status: 'COMPLETED' });
    expect(glueMock).not.toHaveReceivedCommand(ResumeWorkflowRunCommand);
  });

  it.each([
    ['ConcurrentRunsExceededException', new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded for workflow: nightly', $metadata: {} })],
    ['IllegalWorkflowStateException', new IllegalWorkflowStateException({ message: 'Workflow run wr_1 cannot be resumed', $metadata: {} })],
  ])('holds, with Glue\'s reason, when ResumeWorkflowRun answers %s', async (name, error) => {
    // Prepare
    givenRun({ Status: 'COMPLETED', Graph: stoppedGraph });
    glueMock.on(ResumeWorkflowRunCommand).rejects(error);

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'held', detail: `${name}: ${error.message}; still held: run resume again later`, status: 'COMPLETED' });
  });

  it('skips a run Glue no longer knows', async () => {
    // Prepare
    glueMock.on(GetWorkflowRunCommand).rejects(new EntityNotFoundException({ message: 'Workflow run wr_1 not found.', $metadata: {} }));

    // Act
    const result = await pipelines.resumeRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'skipped', detail: 'run not found (Workflow run wr_1 not found.)' });
  });

  it('names glue:ResumeWorkflowRun when the role may not resume runs', async () => {
    // Prepare
    givenRun({ Status: 'COMPLETED', Graph: stoppedGraph });
    glueMock.on(ResumeWorkflowRunCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.resumeRun('nightly', 'wr_1').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:ResumeWorkflowRun' });
  });
});

function givenStoppedRun(Status: WorkflowRunStatus): void {
  glueMock.on(GetWorkflowRunCommand, { Name: 'nightly', RunId: 'wr_1', IncludeGraph: false }).resolves({ Run: { Name: 'nightly', WorkflowRunId: 'wr_1', Status } });
}

describe('GluePipelines.restartRun', () => {
  it('starts the workflow again for a STOPPED run, marking the new run with the run it restarts', async () => {
    // Prepare
    givenStoppedRun('STOPPED');
    glueMock.on(StartWorkflowRunCommand).resolves({ RunId: 'wr_7' });

    // Act
    const result = await pipelines.restartRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'restarted', detail: 'wr_7', status: 'STOPPED' });
    expect(glueMock).toHaveReceivedCommandWith(StartWorkflowRunCommand, { Name: 'nightly', RunProperties: { 'drift-guard:restart-of': 'wr_1' } });
  });

  it('does not start it twice: a run carrying the restart mark means it was restarted already', async () => {
    // Prepare
    givenStoppedRun('STOPPED');
    glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [{ WorkflowRunId: 'wr_7', Status: 'RUNNING', WorkflowRunProperties: { 'drift-guard:restart-of': 'wr_1' } }] });

    // Act
    const result = await pipelines.restartRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'skipped', detail: 'already restarted as wr_7', status: 'STOPPED' });
    expect(glueMock).not.toHaveReceivedCommand(StartWorkflowRunCommand);
  });

  it.each<[WorkflowRunStatus, string]>([
    ['STOPPING', 'run is STOPPING: still held; run resume again once it is STOPPED'],
    ['RUNNING', 'run is RUNNING: still held; run resume again once it is STOPPED'],
    ['COMPLETED', 'run is COMPLETED: still held; --resume-runs resumes its unfinished nodes (ResumeWorkflowRun)'],
    ['ERROR', 'run is ERROR: neither resumed nor restarted; still held: --leave-runs lets it go'],
  ])('holds a %s run without calling StartWorkflowRun', async (Status, detail) => {
    // Prepare
    givenStoppedRun(Status);

    // Act
    const result = await pipelines.restartRun('nightly', 'wr_1');

    // Assess
    expect(result).toEqual({ runId: 'wr_1', outcome: 'held', detail, status: Status });
    expect(glueMock).not.toHaveReceivedCommand(StartWorkflowRunCommand);
  });

  it('holds the run, with Glue\'s reason, when the workflow is at its MaxConcurrentRuns', async () => {
    // Prepare
    givenStoppedRun('STOPPED');
    glueMock.on(StartWorkflowRunCommand).rejects(new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded for workflow: nightly', $metadata: {} }));

    // Act
    const result = await pipelines.restartRun('nightly', 'wr_1');

    // Assess
    expect(result).toMatchObject({ outcome: 'held', detail: 'ConcurrentRunsExceededException: Concurrent runs exceeded for workflow: nightly; still held: run resume again later' });
  });

  it('names glue:StartWorkflowRun when the caller may not start runs', async () => {
    // Prepare
    givenStoppedRun('STOPPED');
    glueMock.on(StartWorkflowRunCommand).rejects(denied());

    // Act
    const error: unknown = await pipelines.restartRun('nightly', 'wr_1').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ name: 'AwsAccessDeniedError', action: 'glue:StartWorkflowRun' });
  });
});

describe('GluePipelines.clearWorkflow', () => {
  it('removes the incident tags from the workflow the incident paused', async () => {
    // Prepare
    glueMock
      .on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') })
      .resolves({ Tags: { 'drift-guard:incident': 'inc-42', 'drift-guard:stopped-runs': 'wr_1', team: 'sales' } });

    // Act
    await pipelines.clearWorkflow('nightly', 'inc-42', origin);

    // Assess
    expect(mutations()).toEqual([`UntagResource ${arn('workflow', 'nightly')} drift-guard:incident,drift-guard:table,drift-guard:stopped-runs`]);
  });

  it('keeps the runs still to be released in the workflow\'s tag: the incident stays open', async () => {
    // Prepare
    glueMock
      .on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') })
      .resolves({ Tags: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1 wr_2' } });
    glueMock.on(TagResourceCommand).resolves({});

    // Act
    await pipelines.clearWorkflow('nightly', 'inc-42', origin, ['wr_2']);

    // Assess
    expect(glueMock).not.toHaveReceivedCommand(UntagResourceCommand);
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, {
      ResourceArn: arn('workflow', 'nightly'),
      TagsToAdd: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_2' },
    });
  });

  it('leaves another incident\'s tags alone', async () => {
    // Prepare
    glueMock.on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') }).resolves({ Tags: { 'drift-guard:incident': 'inc-43' } });

    // Act
    await pipelines.clearWorkflow('nightly', 'inc-42', origin);

    // Assess
    expect(mutations()).toEqual([]);
  });
});

describe('resolveOrigin', () => {
  it('takes the region from the client and the account from the catalog', async () => {
    // Prepare
    glueMock.on(GetDatabasesCommand, { MaxResults: 1 }).resolves({ DatabaseList: [{ Name: 'sales', CatalogId: '111122223333' }] });

    // Act
    const resolved = await resolveOrigin(glue);

    // Assess
    expect(resolved).toEqual({ region: 'eu-west-1', account: '111122223333' });
  });

  it('says to pass the account when the catalog has no database', async () => {
    // Prepare
    glueMock.on(GetDatabasesCommand).resolves({ DatabaseList: [] });

    // Act
    const error: unknown = await resolveOrigin(glue).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OriginUnresolvedError);
    expect(error).toMatchObject({ missing: 'account', message: expect.stringContaining('pass it explicitly') as unknown });
  });

  it('names glue:GetDatabases when the role may not list databases', async () => {
    // Prepare
    glueMock.on(GetDatabasesCommand).rejects(denied());

    // Act
    const error: unknown = await resolveOrigin(glue).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:GetDatabases' });
  });
});
