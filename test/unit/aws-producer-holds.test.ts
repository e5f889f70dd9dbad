/**
 * The producer holds adapter against mocked Glue and EventBridge clients: a crawler's own schedule and the rules that
 * start a held workflow are tagged before they are stopped, a stop refused meanwhile takes its tags back, a retry of
 * the same incident converges, managed rules are never touched, and release starts exactly what carries the incident's
 * tag (start before untag), untagging only what was re-enabled by hand.
 */
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  TagResourceCommand as TagRuleCommand,
  UntagResourceCommand as UntagRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  GetCrawlerCommand,
  GetCrawlersCommand,
  GetTagsCommand,
  GlueClient,
  SchedulerNotRunningException,
  StartCrawlerScheduleCommand,
  StopCrawlerScheduleCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProducerHolds, createProducerReleases } from '../../functions/aws/producer-holds.js';
import type { IncidentRef } from '../../functions/core/ports.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const glue = new GlueClient({ region: 'eu-west-1', credentials });
const events = new EventBridgeClient({ region: 'eu-west-1', credentials });
const glueMock = mockClient(glue);
const eventsMock = mockClient(events);
const holds = createProducerHolds({ glue, events });
const releases = createProducerReleases({ glue, events });

const incident: IncidentRef = { id: 'inc-42', database: 'sales', table: 'orders', region: 'eu-west-1', account: '111122223333' };
const ours = { 'drift-guard:incident': 'inc-42', 'drift-guard:table': 'sales.orders' };
const crawlerArn = 'arn:aws:glue:eu-west-1:111122223333:crawler/hourly';
const ruleArn = (name: string): string => `arn:aws:events:eu-west-1:111122223333:rule/${name}`;
const workflowArn = 'arn:aws:glue:eu-west-1:111122223333:workflow/nightly';

const MUTATIONS: ReadonlySet<string> = new Set(['TagResourceCommand', 'UntagResourceCommand', 'StopCrawlerScheduleCommand', 'StartCrawlerScheduleCommand', 'DisableRuleCommand', 'EnableRuleCommand']);

/** The calls that change something, in order per client (Glue's, then EventBridge's; each test uses one of them). */
function mutations(): string[] {
  return [...glueMock.calls(), ...eventsMock.calls()].map((call) => call.args[0].constructor.name).filter((name) => MUTATIONS.has(name));
}

function crawler(state: 'SCHEDULED' | 'NOT_SCHEDULED' | 'TRANSITIONING' | undefined, tags: Record<string, string> = {}): void {
  glueMock.on(GetCrawlerCommand, { Name: 'hourly' }).resolves({ Crawler: { Name: 'hourly', ...(state === undefined ? {} : { Schedule: { ScheduleExpression: 'cron(0 * * * ? *)', State: state } }) } });
  glueMock.on(GetTagsCommand, { ResourceArn: crawlerArn }).resolves({ Tags: tags });
}

beforeEach(() => {
  glueMock.reset();
  eventsMock.reset();
});

describe('holding a crawler schedule', () => {
  it('SCHEDULED: tags it with the incident, then StopCrawlerSchedule', async () => {
    crawler('SCHEDULED');
    expect(await holds.holdSchedule('hourly', incident)).toEqual({ crawler: 'hourly', scheduled: true, stopped: true });
    expect(glueMock).toHaveReceivedCommandWith(TagResourceCommand, { ResourceArn: crawlerArn, TagsToAdd: ours });
    expect(glueMock).toHaveReceivedCommandWith(StopCrawlerScheduleCommand, { CrawlerName: 'hourly' });
    const order = glueMock.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('TagResourceCommand')).toBeLessThan(order.indexOf('StopCrawlerScheduleCommand'));
  });

  it('a stop refused meanwhile (SchedulerNotRunningException) takes the tags back and reports it left alone', async () => {
    crawler('SCHEDULED', { team: 'sales' });
    glueMock.on(StopCrawlerScheduleCommand).rejects(new SchedulerNotRunningException({ message: 'not running', $metadata: {} }));
    const result = await holds.holdSchedule('hourly', incident);
    expect(result).toMatchObject({ crawler: 'hourly', scheduled: true, stopped: false });
    expect(result.reason).toContain('SchedulerNotRunningException');
    expect(glueMock).toHaveReceivedCommandWith(UntagResourceCommand, { ResourceArn: crawlerArn, TagsToRemove: ['drift-guard:incident', 'drift-guard:table'] });
  });

  it('NOT_SCHEDULED by this incident (a retry) counts as stopped; by anyone else, it is left alone untouched', async () => {
    crawler('NOT_SCHEDULED', ours);
    expect(await holds.holdSchedule('hourly', incident)).toEqual({ crawler: 'hourly', scheduled: true, stopped: true });
    crawler('NOT_SCHEDULED', {});
    expect(await holds.holdSchedule('hourly', incident)).toMatchObject({ stopped: false, reason: 'already NOT_SCHEDULED' });
    expect(mutations()).toEqual([]);
  });

  it('no schedule of its own, or TRANSITIONING: nothing is written', async () => {
    crawler(undefined);
    expect(await holds.holdSchedule('hourly', incident)).toMatchObject({ scheduled: false, stopped: false });
    crawler('TRANSITIONING');
    expect(await holds.holdSchedule('hourly', incident)).toMatchObject({ scheduled: true, stopped: false, reason: 'already TRANSITIONING' });
    expect(mutations()).toEqual([]);
  });
});

describe('holding the rules that start a workflow', () => {
  beforeEach(() => {
    eventsMock
      .on(ListRuleNamesByTargetCommand, { TargetArn: workflowArn })
      .resolvesOnce({ RuleNames: ['landing', 'managed'], NextToken: 'page-2' })
      .resolvesOnce({ RuleNames: ['theirs'] });
    eventsMock.on(DescribeRuleCommand, { Name: 'landing' }).resolves({ Name: 'landing', State: 'ENABLED' });
    eventsMock.on(DescribeRuleCommand, { Name: 'managed' }).resolves({ Name: 'managed', State: 'ENABLED', ManagedBy: 'glue.amazonaws.com' });
    eventsMock.on(DescribeRuleCommand, { Name: 'theirs' }).resolves({ Name: 'theirs', State: 'DISABLED' });
    eventsMock.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    eventsMock.on(ListTargetsByRuleCommand, { Rule: 'landing' }).resolves({ Targets: [{ Id: 'wf', Arn: workflowArn }, { Id: 'q', Arn: 'arn:aws:sqs:eu-west-1:111122223333:audit' }] });
  });

  it('every page of ListRuleNamesByTarget; ENABLED ones tagged then disabled; managed and foreign-disabled ones left alone; other targets warned of', async () => {
    const result = await holds.holdRules('nightly', incident);
    expect(result.disabled).toEqual(['landing']);
    expect(result.untouched).toEqual([
      { name: 'managed', reason: 'managed by glue.amazonaws.com: never forced' },
      { name: 'theirs', reason: 'already DISABLED' },
    ]);
    expect(result.warnings).toEqual(['rule landing also has 1 other target: disabling it stops it too until release']);
    expect(eventsMock).toHaveReceivedCommandWith(TagRuleCommand, {
      ResourceARN: ruleArn('landing'),
      Tags: [
        { Key: 'drift-guard:incident', Value: 'inc-42' },
        { Key: 'drift-guard:table', Value: 'sales.orders' },
      ],
    });
    expect(mutations()).toEqual(['TagResourceCommand', 'DisableRuleCommand']);
    expect(eventsMock).toHaveReceivedCommandWith(ListRuleNamesByTargetCommand, { TargetArn: workflowArn, NextToken: 'page-2' });
  });
});

describe('releasing', () => {
  it('finds crawlers with a schedule and default-bus rules carrying the tag, filtered by incident', async () => {
    glueMock.on(GetCrawlersCommand).resolves({ Crawlers: [{ Name: 'hourly', Schedule: { ScheduleExpression: 'cron(0 * * * ? *)', State: 'NOT_SCHEDULED' } }, { Name: 'on-demand' }] });
    glueMock.on(GetTagsCommand, { ResourceArn: crawlerArn }).resolves({ Tags: ours });
    eventsMock.on(ListRulesCommand).resolves({ Rules: [{ Name: 'landing' }, { Name: 'other' }] });
    eventsMock.on(ListTagsForResourceCommand, { ResourceARN: ruleArn('landing') }).resolves({ Tags: [{ Key: 'drift-guard:incident', Value: 'inc-42' }, { Key: 'drift-guard:table', Value: 'sales.orders' }] });
    eventsMock.on(ListTagsForResourceCommand, { ResourceARN: ruleArn('other') }).resolves({ Tags: [{ Key: 'drift-guard:incident', Value: 'inc-7' }] });
    const origin = { region: 'eu-west-1', account: '111122223333' };
    expect(await releases.findHeldProducers(origin, { incidentId: 'inc-42' })).toEqual([
      { kind: 'schedule', name: 'hourly', incidentId: 'inc-42', table: 'sales.orders' },
      { kind: 'rule', name: 'landing', incidentId: 'inc-42', table: 'sales.orders' },
    ]);
    // The crawler without a schedule of its own is never read for tags.
    expect(glueMock).toHaveReceivedCommandTimes(GetTagsCommand, 1);
  });

  const origin = { region: 'eu-west-1', account: '111122223333' };

  it('a schedule still NOT_SCHEDULED: StartCrawlerSchedule, then untag', async () => {
    crawler('NOT_SCHEDULED', ours);
    expect(await releases.releaseProducer({ kind: 'schedule', name: 'hourly', incidentId: 'inc-42', table: 'sales.orders' }, origin)).toEqual({ kind: 'schedule', name: 'hourly', outcome: 'restarted' });
    expect(mutations()).toEqual(['StartCrawlerScheduleCommand', 'UntagResourceCommand']);
  });

  it('a schedule re-enabled by hand: untag only; a crawler tagged by another incident: refused, untouched', async () => {
    crawler('SCHEDULED', ours);
    expect(await releases.releaseProducer({ kind: 'schedule', name: 'hourly', incidentId: 'inc-42', table: 'sales.orders' }, origin)).toMatchObject({ outcome: 'already-active' });
    expect(glueMock).not.toHaveReceivedCommand(StartCrawlerScheduleCommand);
    glueMock.reset();
    crawler('NOT_SCHEDULED', { 'drift-guard:incident': 'inc-7' });
    expect(await releases.releaseProducer({ kind: 'schedule', name: 'hourly', incidentId: 'inc-42', table: 'sales.orders' }, origin)).toMatchObject({ outcome: 'refused' });
    expect(mutations()).toEqual([]);
  });

  it('a rule still DISABLED: EnableRule, then untag; ENABLED meanwhile: untag only', async () => {
    eventsMock.on(ListTagsForResourceCommand, { ResourceARN: ruleArn('landing') }).resolves({ Tags: [{ Key: 'drift-guard:incident', Value: 'inc-42' }] });
    eventsMock.on(DescribeRuleCommand, { Name: 'landing' }).resolvesOnce({ Name: 'landing', State: 'DISABLED' }).resolves({ Name: 'landing', State: 'ENABLED' });
    const held = { kind: 'rule', name: 'landing', incidentId: 'inc-42', table: 'sales.orders' } as const;
    expect(await releases.releaseProducer(held, origin)).toEqual({ kind: 'rule', name: 'landing', outcome: 'restarted' });
    expect(mutations()).toEqual(['EnableRuleCommand', 'UntagResourceCommand']);
    expect(eventsMock).toHaveReceivedCommandWith(UntagRuleCommand, { ResourceARN: ruleArn('landing'), TagKeys: ['drift-guard:incident', 'drift-guard:table'] });
    expect(await releases.releaseProducer(held, origin)).toEqual({ kind: 'rule', name: 'landing', outcome: 'already-active' });
    expect(eventsMock).toHaveReceivedCommandTimes(EnableRuleCommand, 1);
    expect(eventsMock).not.toHaveReceivedCommand(DisableRuleCommand);
  });
});
