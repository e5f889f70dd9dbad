/**
 * The local AWS stack, the producers of a drift, through the real AWS SDK v3 clients: a crawler's own schedule
 * (Glue API "Crawler scheduler API": StopCrawlerSchedule, StartCrawlerSchedule, UpdateCrawlerSchedule and their errors),
 * tags on crawlers, and EventBridge rules (PutRule … ListRuleNamesByTarget, Enable/DisableRule, rule tags) whose
 * ENABLED ones start their Glue workflow target when an event matches (DISABLED ones do not).
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListRuleNamesByTargetCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  ManagedRuleException,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  TagResourceCommand as TagRuleCommand,
  UntagResourceCommand as UntagRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CrawlerRunningException,
  CreateCrawlerCommand,
  CreateJobCommand,
  CreateTriggerCommand,
  CreateWorkflowCommand,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetCrawlersCommand,
  GetTagsCommand,
  GlueClient,
  NoScheduleException,
  SchedulerNotRunningException,
  SchedulerRunningException,
  SchedulerTransitioningException,
  StartCrawlerScheduleCommand,
  StopCrawlerScheduleCommand,
  TagResourceCommand,
  UpdateCrawlerScheduleCommand,
} from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;
let events: EventBridgeClient;

const crawlerArn = (name: string): string => `arn:aws:glue:us-east-1:123456789012:crawler/${name}`;
const workflowArn = (name: string): string => `arn:aws:glue:us-east-1:123456789012:workflow/${name}`;
const ruleArn = (name: string): string => `arn:aws:events:us-east-1:123456789012:rule/${name}`;
const write = { tableInput: { Name: 'orders', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'int' }] } } };

beforeAll(async () => {
  stack = await startLocalStack({ seed: 12 });
  glue = new GlueClient(stack.clientConfig());
  events = new EventBridgeClient(stack.clientConfig());
});

afterAll(async () => {
  glue.destroy();
  events.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
});

async function scheduledCrawler(name = 'hourly-raw', schedule: string | null = 'cron(0 * * * ? *)'): Promise<void> {
  await glue.send(
    new CreateCrawlerCommand({ Name: name, Role: 'role', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://raw/' }] }, ...(schedule === null ? {} : { Schedule: schedule }) }),
  );
}

const scheduleOf = async (name: string) => (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler?.Schedule;

describe('crawler schedules', () => {
  it('a crawler created with a Schedule is SCHEDULED; StopCrawlerSchedule makes it NOT_SCHEDULED, StartCrawlerSchedule SCHEDULED again', async () => {
    await scheduledCrawler();
    expect(await scheduleOf('hourly-raw')).toEqual({ ScheduleExpression: 'cron(0 * * * ? *)', State: 'SCHEDULED' });
    await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    expect((await scheduleOf('hourly-raw'))?.State).toBe('NOT_SCHEDULED');
    const listed = (await glue.send(new GetCrawlersCommand({}))).Crawlers?.find((c) => c.Name === 'hourly-raw');
    expect(listed?.Schedule?.State).toBe('NOT_SCHEDULED');
    await glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    expect((await scheduleOf('hourly-raw'))?.State).toBe('SCHEDULED');
  });

  it('answers the documented errors', async () => {
    await scheduledCrawler();
    await scheduledCrawler('on-demand', null);
    await expect(glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }))).rejects.toBeInstanceOf(SchedulerRunningException);
    await expect(glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'on-demand' }))).rejects.toBeInstanceOf(NoScheduleException);
    await expect(glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'on-demand' }))).rejects.toBeInstanceOf(SchedulerNotRunningException);
    await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    await expect(glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }))).rejects.toBeInstanceOf(SchedulerNotRunningException);
    stack.glue.crawlers.setScheduleState('hourly-raw', 'TRANSITIONING');
    await expect(glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }))).rejects.toBeInstanceOf(SchedulerTransitioningException);
    await expect(glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }))).rejects.toBeInstanceOf(SchedulerTransitioningException);
    await expect(glue.send(new UpdateCrawlerScheduleCommand({ CrawlerName: 'hourly-raw', Schedule: 'cron(5 * * * ? *)' }))).rejects.toBeInstanceOf(
      SchedulerTransitioningException,
    );
  });

  it('StartCrawlerSchedule refuses while the crawler runs (the strict side of "unless the crawler is already running")', async () => {
    await scheduledCrawler();
    await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    const run = stack.glue.startCrawlerRun('hourly-raw');
    await expect(glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }))).rejects.toBeInstanceOf(CrawlerRunningException);
    run.finish();
    await glue.send(new StartCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    expect((await scheduleOf('hourly-raw'))?.State).toBe('SCHEDULED');
  });

  it('UpdateCrawlerSchedule changes the expression and keeps the state', async () => {
    await scheduledCrawler();
    await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    await glue.send(new UpdateCrawlerScheduleCommand({ CrawlerName: 'hourly-raw', Schedule: 'cron(5 * * * ? *)' }));
    expect(await scheduleOf('hourly-raw')).toEqual({ ScheduleExpression: 'cron(5 * * * ? *)', State: 'NOT_SCHEDULED' });
  });

  it("the scheduler's tick crawls only a SCHEDULED crawler", async () => {
    await scheduledCrawler();
    stack.glue.createDatabase('raw', {}, { emit: false });
    expect(stack.glue.fireCrawlerSchedule('hourly-raw', [write])?.state).toBe('Succeeded');
    await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: 'hourly-raw' }));
    expect(stack.glue.fireCrawlerSchedule('hourly-raw', [write])).toBeUndefined();
  });

  it('crawlers carry tags (arn:aws:glue:region:account:crawler/name)', async () => {
    await scheduledCrawler();
    await glue.send(new TagResourceCommand({ ResourceArn: crawlerArn('hourly-raw'), TagsToAdd: { 'drift-guard:incident': 'inc-1' } }));
    expect((await glue.send(new GetTagsCommand({ ResourceArn: crawlerArn('hourly-raw') }))).Tags).toEqual({ 'drift-guard:incident': 'inc-1' });
    await expect(glue.send(new GetTagsCommand({ ResourceArn: crawlerArn('nope') }))).rejects.toBeInstanceOf(EntityNotFoundException);
  });
});

/** A workflow started by EventBridge: an EVENT trigger starting a job. */
async function eventWorkflow(name = 'landing'): Promise<void> {
  await glue.send(new CreateWorkflowCommand({ Name: name }));
  await glue.send(new CreateJobCommand({ Name: `${name}-load`, Role: 'role', Command: { Name: 'glueetl' } }));
  await glue.send(new CreateTriggerCommand({ Name: `${name}-on-event`, WorkflowName: name, Type: 'EVENT', Actions: [{ JobName: `${name}-load` }] }));
}

const landingPattern = JSON.stringify({ source: ['app.landing'], 'detail-type': ['Object Created'], detail: { bucket: ['raw', 'raw-2'] } });

async function landingRule(name = 'start-landing', workflow = 'landing'): Promise<void> {
  await events.send(new PutRuleCommand({ Name: name, EventPattern: landingPattern }));
  await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'glue', Arn: workflowArn(workflow), RoleArn: 'arn:aws:iam::123456789012:role/events-glue' }] }));
}

const putLanding = (bucket: string) =>
  events.send(new PutEventsCommand({ Entries: [{ Source: 'app.landing', DetailType: 'Object Created', Detail: JSON.stringify({ bucket }) }] }));

describe('EventBridge rules', () => {
  it('PutRule creates an ENABLED rule on the default bus; DescribeRule, Disable/EnableRule change and show its state', async () => {
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'r1', EventPattern: landingPattern }));
    expect(RuleArn).toBe(ruleArn('r1'));
    expect(await events.send(new DescribeRuleCommand({ Name: 'r1' }))).toMatchObject({ Name: 'r1', Arn: ruleArn('r1'), State: 'ENABLED', EventBusName: 'default' });
    await events.send(new DisableRuleCommand({ Name: 'r1' }));
    expect((await events.send(new DescribeRuleCommand({ Name: 'r1' }))).State).toBe('DISABLED');
    await events.send(new EnableRuleCommand({ Name: 'r1' }));
    expect((await events.send(new DescribeRuleCommand({ Name: 'r1' }))).State).toBe('ENABLED');
  });

  it('answers ResourceNotFoundException for unknown rules and buses, and refuses invalid patterns and managed rules', async () => {
    await expect(events.send(new DescribeRuleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(events.send(new DisableRuleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(events.send(new EnableRuleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{}', EventBusName: 'other' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(events.send(new PutRuleCommand({ Name: 'r', EventPattern: JSON.stringify({ source: 'app.landing' }) }))).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{not json' }))).rejects.toBeInstanceOf(InvalidEventPatternException);
    await events.send(new PutRuleCommand({ Name: 'managed', EventPattern: landingPattern }));
    stack.eventBridge.rules.markManaged('managed', 'glue.amazonaws.com');
    await expect(events.send(new DisableRuleCommand({ Name: 'managed' }))).rejects.toBeInstanceOf(ManagedRuleException);
  });

  it('targets: PutTargets (at most 5), ListTargetsByRule, RemoveTargets; DeleteRule refuses while targets remain', async () => {
    await landingRule();
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'start-landing' }))).Targets?.map((t) => t.Arn)).toEqual([workflowArn('landing')]);
    const more = [1, 2, 3, 4, 5].map((i) => ({ Id: `t${String(i)}`, Arn: `arn:aws:sqs:us-east-1:123456789012:q${String(i)}` }));
    await expect(events.send(new PutTargetsCommand({ Rule: 'start-landing', Targets: more }))).rejects.toBeInstanceOf(LimitExceededException);
    await expect(events.send(new DeleteRuleCommand({ Name: 'start-landing' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await events.send(new RemoveTargetsCommand({ Rule: 'start-landing', Ids: ['glue'] }));
    await events.send(new DeleteRuleCommand({ Name: 'start-landing' }));
    await expect(events.send(new DescribeRuleCommand({ Name: 'start-landing' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ListRuleNamesByTarget lists the rules targeting an ARN, a page at a time', async () => {
    for (const name of ['a', 'b', 'c']) await landingRule(`rule-${name}`);
    await events.send(new PutRuleCommand({ Name: 'unrelated', EventPattern: landingPattern }));
    const first = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: workflowArn('landing'), Limit: 2 }));
    expect(first.RuleNames).toEqual(['rule-a', 'rule-b']);
    const second = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: workflowArn('landing'), Limit: 2, NextToken: first.NextToken }));
    expect(second).toMatchObject({ RuleNames: ['rule-c'] });
    expect(second.NextToken).toBeUndefined();
  });

  it('rules carry tags: TagResource, ListTagsForResource, UntagResource', async () => {
    await landingRule();
    await events.send(new TagRuleCommand({ ResourceARN: ruleArn('start-landing'), Tags: [{ Key: 'drift-guard:incident', Value: 'inc-1' }] }));
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('start-landing') }))).Tags).toEqual([{ Key: 'drift-guard:incident', Value: 'inc-1' }]);
    await events.send(new UntagRuleCommand({ ResourceARN: ruleArn('start-landing'), TagKeys: ['drift-guard:incident'] }));
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('start-landing') }))).Tags).toEqual([]);
    await expect(events.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn('nope') }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('an ENABLED rule whose pattern matches starts its workflow; a DISABLED one, or an event that does not match, starts nothing', async () => {
    await eventWorkflow();
    await landingRule();
    await putLanding('raw');
    expect(stack.glue.getWorkflowRuns('landing')).toHaveLength(1);
    await putLanding('elsewhere');
    expect(stack.glue.getWorkflowRuns('landing')).toHaveLength(1);
    await events.send(new DisableRuleCommand({ Name: 'start-landing' }));
    await putLanding('raw-2');
    expect(stack.glue.getWorkflowRuns('landing')).toHaveLength(1);
    await events.send(new EnableRuleCommand({ Name: 'start-landing' }));
    await putLanding('raw-2');
    expect(stack.glue.getWorkflowRuns('landing')).toHaveLength(2);
  });

  it('a workflow without an EVENT trigger is not started by a rule', async () => {
    await glue.send(new CreateWorkflowCommand({ Name: 'landing' }));
    await landingRule();
    await putLanding('raw');
    expect(stack.glue.getWorkflowRuns('landing')).toHaveLength(0);
  });
});
