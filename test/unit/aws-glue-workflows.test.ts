/**
 * The Glue workflows adapter against a mocked GlueClient: which triggers a pause stops and which it leaves alone,
 * tag-before-stop, run stopping, tag limits, races, and that StartTrigger is never sent.
 */
import {
  AccessDeniedException,
  EntityNotFoundException,
  GetTagsCommand,
  GetTriggersCommand,
  GetWorkflowCommand,
  GetWorkflowRunsCommand,
  GlueClient,
  IllegalWorkflowStateException,
  InvalidInputException,
  StartTriggerCommand,
  StopTriggerCommand,
  StopWorkflowRunCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Node,
  type Trigger,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAccessDeniedError } from '../../functions/aws/errors.js';
import { createGlueWorkflows } from '../../functions/aws/glue-workflows.js';
import { joinWithinTagValue } from '../../functions/core/incidents/records.js';
import type { IncidentRef } from '../../functions/core/ports.js';

/** These tests hold workflows whose RUNNING runs the guard stops (the policy's choice, passed by the executor). */
const STOP_RUNS = { stopRunningRuns: true } as const;

const glue = new GlueClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const glueMock = mockClient(glue);
const workflows = createGlueWorkflows({ client: glue });

const incident: IncidentRef = { id: 'inc-42', database: 'sales', table: 'orders', region: 'eu-west-1', account: '111122223333' };
const arn = (kind: 'trigger' | 'workflow', name: string): string => `arn:aws:glue:eu-west-1:111122223333:${kind}/${name}`;
const ourTriggerTags = { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders' };

function triggerNode(trigger: Trigger): Node {
  return { Type: 'TRIGGER', Name: trigger.Name, UniqueId: `id-${trigger.Name ?? ''}`, TriggerDetails: { Trigger: trigger } };
}

const TRIGGERS: readonly Trigger[] = [
  { Name: 'start', WorkflowName: 'nightly', Type: 'ON_DEMAND', State: 'CREATED', Actions: [{ CrawlerName: 'raw-crawler' }] },
  { Name: 'after-crawl', WorkflowName: 'nightly', Type: 'CONDITIONAL', State: 'ACTIVATED', Actions: [{ JobName: 'load' }] },
  { Name: 'hourly', WorkflowName: 'nightly', Type: 'SCHEDULED', State: 'ACTIVATED', Schedule: 'cron(0 * * * ? *)', Actions: [{ JobName: 'publish' }] },
  { Name: 'weekly', WorkflowName: 'nightly', Type: 'SCHEDULED', State: 'DEACTIVATED', Schedule: 'cron(0 0 ? * 1 *)', Actions: [{ JobName: 'publish' }] },
  { Name: 'on-event', WorkflowName: 'nightly', Type: 'EVENT', State: 'CREATED', Actions: [{ JobName: 'load' }] },
];

function givenWorkflow(triggers: readonly Trigger[] = TRIGGERS): void {
  glueMock.on(GetWorkflowCommand, { Name: 'nightly', IncludeGraph: true }).resolves({
    Workflow: {
      Name: 'nightly',
      Graph: { Nodes: [...triggers.map(triggerNode), { Type: 'JOB', Name: 'load', UniqueId: 'id-load' }], Edges: [] },
    },
  });
}

/** The calls that change something, in order, as `Operation target`. */
function mutations(): string[] {
  return glueMock.calls().flatMap((call) => {
    const command = call.args[0];
    if (command instanceof TagResourceCommand) return [`TagResource ${command.input.ResourceArn ?? ''}`];
    if (command instanceof UntagResourceCommand) return [`UntagResource ${command.input.ResourceArn ?? ''}`];
    if (command instanceof StopTriggerCommand) return [`StopTrigger ${command.input.Name ?? ''}`];
    if (command instanceof StopWorkflowRunCommand) return [`StopWorkflowRun ${command.input.RunId ?? ''}`];
    if (command instanceof StartTriggerCommand) return [`StartTrigger ${command.input.Name ?? ''}`];
    return [];
  });
}

beforeEach(() => {
  glueMock.reset();
  glueMock.on(GetTagsCommand).resolves({ Tags: {} });
  glueMock.on(TagResourceCommand).resolves({});
  glueMock.on(UntagResourceCommand).resolves({});
  glueMock.on(StopTriggerCommand).resolves({});
  glueMock.on(StopWorkflowRunCommand).resolves({});
  glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [] });
});

describe('GlueWorkflows.pause: triggers', () => {
  it('stops exactly the ACTIVATED SCHEDULED / CONDITIONAL triggers and says why it left the others', async () => {
    // Prepare
    givenWorkflow();

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
        { name: 'weekly', reason: 'already DEACTIVATED' },
      ],
      stoppedRuns: [],
      runsLeftRunning: [],
      warnings: [],
      stoppedSchedules: [],
      disabledRules: [],
    });
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, { ResourceArn: arn('trigger', 'hourly'), TagsToAdd: ourTriggerTags });
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, { ResourceArn: arn('trigger', 'after-crawl'), TagsToAdd: ourTriggerTags });
  });

  it('tags each trigger before stopping it, and never sends StartTrigger', async () => {
    // Prepare
    givenWorkflow();

    // Act
    await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(mutations()).toEqual([
      `TagResource ${arn('trigger', 'after-crawl')}`,
      'StopTrigger after-crawl',
      `TagResource ${arn('trigger', 'hourly')}`,
      'StopTrigger hourly',
      `TagResource ${arn('workflow', 'nightly')}`,
    ]);
    expect(glueMock).not.toHaveReceivedCommand(StartTriggerCommand);
  });

  it('never touches an ON_DEMAND trigger, whatever its state claims', async () => {
    // Prepare
    givenWorkflow([{ Name: 'start', Type: 'ON_DEMAND', State: 'ACTIVATED', Actions: [{ JobName: 'load' }] }]);

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.untouchedTriggers).toEqual([{ name: 'start', reason: 'ON_DEMAND: never stopped, starting it would fire it' }]);
    expect(glueMock).not.toHaveReceivedCommand(StopTriggerCommand);
    expect(glueMock).not.toHaveReceivedCommandWith(TagResourceCommand, { ResourceArn: arn('trigger', 'start') });
  });

  it('stops an ACTIVATED EVENT trigger', async () => {
    // Prepare
    givenWorkflow([{ Name: 'on-event', Type: 'EVENT', State: 'ACTIVATED', Actions: [{ JobName: 'load' }] }]);

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedTriggers).toEqual(['on-event']);
  });

  it('untags and leaves alone a trigger whose state changed before StopTrigger', async () => {
    // Prepare
    givenWorkflow([TRIGGERS[2] ?? {}]);
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') }).resolves({ Tags: { team: 'sales' } });
    glueMock
      .on(StopTriggerCommand)
      .rejects(new InvalidInputException({ message: 'The operation is not allowed when trigger is in state: DEACTIVATED', $metadata: {} }));

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedTriggers).toEqual([]);
    expect(result.untouchedTriggers).toEqual([
      { name: 'hourly', reason: 'state changed meanwhile (The operation is not allowed when trigger is in state: DEACTIVATED)' },
    ]);
    expect(glueMock).toHaveReceivedCommandWith(UntagResourceCommand, {
      ResourceArn: arn('trigger', 'hourly'),
      TagsToRemove: ['drift-guard:incident', 'drift-guard:table'],
    });
  });

  it('puts back the tag values of an earlier incident when the stop loses a race', async () => {
    // Prepare
    givenWorkflow([TRIGGERS[2] ?? {}]);
    glueMock
      .on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') })
      .resolves({ Tags: { 'drift-guard:incident': 'inc-1', 'drift-guard:table': 'sales.orders' } });
    glueMock.on(StopTriggerCommand).rejects(new InvalidInputException({ message: 'not allowed in state: DEACTIVATED', $metadata: {} }));

    // Act
    await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(glueMock).toHaveReceivedLastCommandWith(TagResourceCommand, { ResourceArn: arn('workflow', 'nightly') });
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, {
      ResourceArn: arn('trigger', 'hourly'),
      TagsToAdd: { 'drift-guard:incident': 'inc-1', 'drift-guard:table': 'sales.orders' },
    });
    expect(glueMock).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  it('does not stop a trigger it cannot tag (50 tags per resource)', async () => {
    // Prepare
    givenWorkflow([TRIGGERS[2] ?? {}]);
    const full = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${String(i)}`, 'v']));
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') }).resolves({ Tags: full });

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedTriggers).toEqual([]);
    expect(result.untouchedTriggers).toEqual([{ name: 'hourly', reason: expect.stringContaining('tag limit: tagging it would make 51 tags (max 50)') as unknown }]);
    expect(glueMock).not.toHaveReceivedCommand(StopTriggerCommand);
    expect(glueMock).not.toHaveReceivedCommandWith(TagResourceCommand, { ResourceArn: arn('trigger', 'hourly') });
  });

  it('reports a trigger it stopped on an earlier attempt of the same incident as stopped', async () => {
    // Prepare
    givenWorkflow([{ ...TRIGGERS[2], State: 'DEACTIVATED' }]);
    glueMock.on(GetTagsCommand, { ResourceArn: arn('trigger', 'hourly') }).resolves({ Tags: ourTriggerTags });

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedTriggers).toEqual(['hourly']);
    expect(glueMock).not.toHaveReceivedCommand(StopTriggerCommand);
  });

  it('names glue:StopTrigger when the role may not stop triggers', async () => {
    // Prepare
    givenWorkflow([TRIGGERS[2] ?? {}]);
    glueMock.on(StopTriggerCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));

    // Act
    const error: unknown = await workflows.pause('nightly', incident, STOP_RUNS).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:StopTrigger' });
  });

  it('answers found: false for a workflow that does not exist', async () => {
    // Prepare
    glueMock.on(GetWorkflowCommand).rejects(new EntityNotFoundException({ message: 'Workflow with name gone not found.', $metadata: {} }));

    // Act
    const result = await workflows.pause('gone', incident, STOP_RUNS);

    // Assess
    expect(result).toEqual({ workflow: 'gone', found: false, stoppedTriggers: [], untouchedTriggers: [], stoppedRuns: [], runsLeftRunning: [], warnings: [], stoppedSchedules: [], disabledRules: [] });
    expect(mutations()).toEqual([]);
  });
});

describe('GlueWorkflows.pause: runs', () => {
  it('leaves RUNNING runs running when the policy says not to stop them, and names them', async () => {
    // Prepare
    givenWorkflow([]);
    glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [{ WorkflowRunId: 'wr_1', Status: 'RUNNING' }, { WorkflowRunId: 'wr_0', Status: 'COMPLETED' }] });

    // Act
    const result = await workflows.pause('nightly', incident, { stopRunningRuns: false });

    // Assess
    expect(result).toMatchObject({ stoppedRuns: [], runsLeftRunning: ['wr_1'] });
    expect(glueMock).not.toHaveReceivedCommand(StopWorkflowRunCommand);
    expect(mutations()).toEqual([]);
  });

  it('stops every RUNNING run across pages, skips one that finished meanwhile, records them on the workflow', async () => {
    // Prepare
    givenWorkflow([]);
    glueMock
      .on(GetWorkflowRunsCommand)
      .resolvesOnce({ Runs: [{ WorkflowRunId: 'wr_1', Status: 'RUNNING' }, { WorkflowRunId: 'wr_0', Status: 'COMPLETED' }], NextToken: 'next' })
      .resolvesOnce({ Runs: [{ WorkflowRunId: 'wr_2', Status: 'RUNNING' }, { WorkflowRunId: 'wr_3', Status: 'STOPPED' }] });
    glueMock
      .on(StopWorkflowRunCommand, { RunId: 'wr_2' })
      .rejects(new IllegalWorkflowStateException({ message: 'Workflow run wr_2 is not in RUNNING state', $metadata: {} }));

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedRuns).toEqual(['wr_1']);
    expect(glueMock).toHaveReceivedCommandTimes(GetWorkflowRunsCommand, 2);
    expect(mutations()).toEqual([
      `TagResource ${arn('workflow', 'nightly')}`,
      'StopWorkflowRun wr_1',
      'StopWorkflowRun wr_2',
      `TagResource ${arn('workflow', 'nightly')}`,
    ]);
    expect(glueMock).toHaveReceivedNthCommandWith(TagResourceCommand, 1, {
      TagsToAdd: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1 wr_2' },
    });
    expect(glueMock).toHaveReceivedNthCommandWith(TagResourceCommand, 2, {
      TagsToAdd: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1' },
    });
  });

  it('keeps the runs an earlier attempt of the same incident stopped', async () => {
    // Prepare
    givenWorkflow([]);
    glueMock
      .on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') })
      .resolves({ Tags: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1' } });
    glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [{ WorkflowRunId: 'wr_1', Status: 'STOPPED' }] });

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedRuns).toEqual(['wr_1']);
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, {
      TagsToAdd: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': 'wr_1' },
    });
  });

  it('still stops runs but does not tag a workflow that has no room for the tags', async () => {
    // Prepare
    givenWorkflow([]);
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i)}`, 'v']));
    glueMock.on(GetTagsCommand, { ResourceArn: arn('workflow', 'nightly') }).resolves({ Tags: full });
    glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: [{ WorkflowRunId: 'wr_1', Status: 'RUNNING' }] });

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedRuns).toEqual(['wr_1']);
    expect(result.warnings).toEqual(['workflow nightly not tagged: it would have 53 tags (max 50)']);
    expect(glueMock).not.toHaveReceivedCommand(TagResourceCommand);
  });

  it('keeps as many run ids as fit in a 256-character tag value, and says so', async () => {
    // Prepare
    givenWorkflow([]);
    const ids = ['a', 'b', 'c', 'd'].map((c) => `wr_${c.repeat(64)}`);
    glueMock.on(GetWorkflowRunsCommand).resolves({ Runs: ids.map((WorkflowRunId) => ({ WorkflowRunId, Status: 'RUNNING' })) });

    // Act
    const result = await workflows.pause('nightly', incident, STOP_RUNS);

    // Assess
    expect(result.stoppedRuns).toEqual(ids);
    expect(result.warnings).toEqual(['drift-guard:stopped-runs on workflow nightly lists 3 of 4 stopped runs (256-character tag value)']);
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, {
      TagsToAdd: { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders', 'drift-guard:stopped-runs': ids.slice(0, 3).join(' ') },
    });
  });
});

describe('joinWithinTagValue', () => {
  it('fills up to exactly 256 characters', () => {
    // Prepare
    const ids = ['x'.repeat(200), 'y'.repeat(55), 'z'];

    // Act
    const joined = joinWithinTagValue(ids);

    // Assess
    expect(joined.value).toHaveLength(256);
    expect(joined.dropped).toBe(1);
  });
});

describe('GlueWorkflows.workflowOfCrawler', () => {
  it('finds the workflow of the trigger that starts the crawler, across pages', async () => {
    // Prepare
    glueMock
      .on(GetTriggersCommand)
      .resolvesOnce({ Triggers: [{ Name: 'solo', Actions: [{ CrawlerName: 'raw-crawler' }] }, { Name: 'x', WorkflowName: 'other', Actions: [{ JobName: 'j' }] }], NextToken: 'n' })
      .resolvesOnce({ Triggers: [{ Name: 'start', WorkflowName: 'nightly', Actions: [{ JobName: 'j' }, { CrawlerName: 'raw-crawler' }] }] });

    // Act
    const workflow = await workflows.workflowOfCrawler('raw-crawler');

    // Assess
    expect(workflow).toBe('nightly');
    expect(glueMock).toHaveReceivedCommandTimes(GetTriggersCommand, 2);
  });

  it('returns undefined when no workflow trigger starts the crawler', async () => {
    // Prepare
    glueMock.on(GetTriggersCommand).resolves({ Triggers: [{ Name: 'x', WorkflowName: 'other', Actions: [{ JobName: 'j' }] }] });

    // Act
    const workflow = await workflows.workflowOfCrawler('raw-crawler');

    // Assess
    expect(workflow).toBeUndefined();
  });
});
