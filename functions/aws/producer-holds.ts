/**
 * Holding and releasing the producers of a drift: a crawler's own schedule and the EventBridge rules that start a held
 * workflow. Decisions are core's (core/incidents/policy.ts: scheduleHoldAction, ruleHoldAction, *ReleaseAction); tags
 * are written by core/incidents/records.ts. As for triggers: tag first, then stop (a crash in between leaves a tag on a
 * running producer, never a stopped one without its tag); on release, start first, then untag.
 *
 * AWS behaviour relied on:
 * - StopCrawlerSchedule sets the schedule NOT_SCHEDULED "but does not stop the crawler if it is already running";
 *   StartCrawlerSchedule sets it SCHEDULED "unless the crawler is already running or the schedule state is already
 *   SCHEDULED" (Glue API, "Crawler scheduler API"; API_StopCrawlerSchedule, API_StartCrawlerSchedule). A crawl already
 *   under way is not stopped: the alert says the schedule was stopped, not the run.
 * - Crawler tags: ARN arn:aws:glue:<region>:<account>:crawler/<name> (Glue developer guide, "AWS tags in AWS Glue";
 *   "Specifying AWS Glue resource ARNs").
 * - ListRuleNamesByTarget lists, a page at a time, the rules of one bus (the default bus when EventBusName is not given)
 *   that target an ARN (EventBridge API, API_ListRuleNamesByTarget). Only the default bus is searched: rules on other
 *   buses that target the workflow are not held (README "Known limitations").
 * - DisableRule: "A disabled rule won't match any events, and won't self-trigger if it has a schedule expression";
 *   EnableRule puts it back (API_DisableRule, API_EnableRule). Both refuse a managed rule without Force
 *   (ManagedRuleException): the guard never forces.
 * - Rule tags: TagResource / UntagResource / ListTagsForResource on the rule ARN, at most 50 tags (API_TagResource).
 */
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  ListTagsForResourceCommand,
  ManagedRuleException,
  ResourceNotFoundException,
  TagResourceCommand as TagRuleCommand,
  UntagResourceCommand as UntagRuleCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CrawlerRunningException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetTagsCommand,
  type GlueClient,
  NoScheduleException,
  SchedulerNotRunningException,
  SchedulerRunningException,
  SchedulerTransitioningException,
  StartCrawlerScheduleCommand,
  StopCrawlerScheduleCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateGetCrawlers,
  type Crawler,
} from '@aws-sdk/client-glue';
import { glueArn } from '../core/arn.js';
import { mapBounded } from '../core/concurrency.js';
import { ruleHoldAction, ruleReleaseAction, scheduleHoldAction, scheduleReleaseAction } from '../core/incidents/policy.js';
import { MAX_TAGS_PER_RESOURCE, PRODUCER_HOLD_KEYS, heldBy, producerHoldOf, producerHoldTags, tagList, tagMap } from '../core/incidents/records.js';
import type { HeldProducer, IncidentRef, Origin, ProducerRelease, ScheduleHold } from '../core/ports.js';
import { producerLeaveText, producerWaitText, ruleOtherTargetsText } from '../core/wording/incident.js';
import { awsCallError } from './errors.js';

type Tags = Readonly<Record<string, string>>;

const NO_SCHEDULE_LEFT = producerLeaveText({ code: 'no-schedule' });

/** Tag reads in flight at once while scanning the account's crawlers and rules. */
const TAG_READ_CONCURRENCY = 8;

export function crawlerArn(origin: Origin, name: string): string {
  return glueArn(origin, `crawler/${name}`);
}

/** A rule on the default bus: arn:aws:events:<region>:<account>:rule/<name> (custom buses add the bus name). */
export function ruleArn(origin: Origin, name: string): string {
  return `arn:aws:events:${origin.region}:${origin.account}:rule/${name}`;
}

/** What holding the rules that start one workflow did. */
export interface RuleHolds {
  readonly disabled: readonly string[];
  readonly untouched: readonly { readonly name: string; readonly reason: string }[];
  readonly warnings: readonly string[];
}

export interface ProducerHolds {
  /** Stops the crawler's own schedule when SCHEDULED (tag first). */
  holdSchedule(crawler: string, incident: IncidentRef): Promise<ScheduleHold>;
  /** Disables the ENABLED rules of the default bus that target the workflow (tag first). */
  holdRules(workflow: string, incident: IncidentRef): Promise<RuleHolds>;
}

export interface ProducerReleases {
  findHeldProducers(origin: Origin, filter?: { readonly table?: string; readonly incidentId?: string }): Promise<readonly HeldProducer[]>;
  releaseProducer(held: HeldProducer, origin: Origin): Promise<ProducerRelease>;
}

function tagCountAfter(existing: Tags, toAdd: Tags): number {
  return new Set([...Object.keys(existing), ...Object.keys(toAdd)]).size;
}

function glueTags(glue: GlueClient) {
  return {
    /** undefined: the resource no longer exists. */
    async get(arn: string): Promise<Tags | undefined> {
      try {
        return (await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags ?? {};
      } catch (error) {
        if (error instanceof EntityNotFoundException) return undefined;
        throw awsCallError('glue:GetTags', error);
      }
    },
    async add(arn: string, tags: Tags): Promise<void> {
      try {
        await glue.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { ...tags } }));
      } catch (error) {
        throw awsCallError('glue:TagResource', error);
      }
    },
    async remove(arn: string, keys: readonly string[]): Promise<void> {
      try {
        await glue.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: [...keys] }));
      } catch (error) {
        if (error instanceof EntityNotFoundException) return;
        throw awsCallError('glue:UntagResource', error);
      }
    },
  };
}

function ruleTags(events: EventBridgeClient) {
  return {
    async get(arn: string): Promise<Tags | undefined> {
      try {
        return tagMap((await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags);
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw awsCallError('events:ListTagsForResource', error);
      }
    },
    async add(arn: string, tags: Tags): Promise<void> {
      try {
        await events.send(new TagRuleCommand({ ResourceARN: arn, Tags: tagList(tags) }));
      } catch (error) {
        throw awsCallError('events:TagResource', error);
      }
    },
    async remove(arn: string, keys: readonly string[]): Promise<void> {
      try {
        await events.send(new UntagRuleCommand({ ResourceARN: arn, TagKeys: [...keys] }));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return;
        throw awsCallError('events:UntagResource', error);
      }
    },
  };
}

async function getCrawler(glue: GlueClient, name: string): Promise<Crawler | undefined> {
  try {
    return (await glue.send(new GetCrawlerCommand({ Name: name }))).Crawler;
  } catch (error) {
    if (error instanceof EntityNotFoundException) return undefined;
    throw awsCallError('glue:GetCrawler', error);
  }
}

async function describeRule(events: EventBridgeClient, name: string): Promise<{ readonly state?: string | undefined; readonly managedBy?: string | undefined } | undefined> {
  try {
    const rule = await events.send(new DescribeRuleCommand({ Name: name }));
    return { state: rule.State, managedBy: rule.ManagedBy };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw awsCallError('events:DescribeRule', error);
  }
}

const scheduleOf = (crawler: Crawler) => ({ expression: crawler.Schedule?.ScheduleExpression, state: crawler.Schedule?.State });

export function createProducerHolds({ glue, events }: { readonly glue: GlueClient; readonly events: EventBridgeClient }): ProducerHolds {
  const crawlerTags = glueTags(glue);
  const tagsOfRules = ruleTags(events);

  const rulesTargeting = async (arn: string): Promise<string[]> => {
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: arn, ...(token === undefined ? {} : { NextToken: token }) }));
        names.push(...(page.RuleNames ?? []));
        token = page.NextToken;
      } while (token !== undefined && token !== '');
    } catch (error) {
      throw awsCallError('events:ListRuleNamesByTarget', error);
    }
    return [...new Set(names)].sort();
  };

  const otherTargets = async (rule: string, arn: string): Promise<number> => {
    let others = 0;
    let token: string | undefined;
    try {
      do {
        const page = await events.send(new ListTargetsByRuleCommand({ Rule: rule, ...(token === undefined ? {} : { NextToken: token }) }));
        others += (page.Targets ?? []).filter((t) => t.Arn !== arn).length;
        token = page.NextToken;
      } while (token !== undefined && token !== '');
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return 0;
      throw awsCallError('events:ListTargetsByRule', error);
    }
    return others;
  };

  return {
    async holdSchedule(name, incident): Promise<ScheduleHold> {
      const left = (reason: string): ScheduleHold => ({ crawler: name, scheduled: true, stopped: false, reason });
      const crawler = await getCrawler(glue, name);
      if (crawler === undefined) return { crawler: name, scheduled: false, stopped: false, reason: producerLeaveText({ code: 'not-found' }) };
      const decision = scheduleHoldAction(scheduleOf(crawler));
      const arn = crawlerArn(incident, name);
      if (decision.action === 'leave' && decision.reason.code === 'no-schedule') return { crawler: name, scheduled: false, stopped: false, reason: producerLeaveText(decision.reason) };
      if (decision.action === 'leave') return left(producerLeaveText(decision.reason));
      const before = await crawlerTags.get(arn);
      if (before === undefined) return left(producerLeaveText({ code: 'not-found' }));
      // A retry of this incident finds its own stop done: held, so results converge.
      if (decision.action === 'check-own') return heldBy(before, incident.id) ? { crawler: name, scheduled: true, stopped: true } : left(producerLeaveText({ code: 'state', state: 'NOT_SCHEDULED' }));
      const toAdd = producerHoldTags(incident);
      const count = tagCountAfter(before, toAdd);
      if (count > MAX_TAGS_PER_RESOURCE) return left(`tag limit: tagging it would make ${String(count)} tags (max ${String(MAX_TAGS_PER_RESOURCE)}); not stopped, as release finds it by its tag`);
      await crawlerTags.add(arn, toAdd);
      try {
        await glue.send(new StopCrawlerScheduleCommand({ CrawlerName: name }));
      } catch (error) {
        if (error instanceof SchedulerNotRunningException || error instanceof SchedulerTransitioningException) {
          // Someone changed the schedule since GetCrawler: not ours to hold; take the tags back.
          await crawlerTags.remove(arn, Object.keys(toAdd).filter((k) => before[k] === undefined));
          return left(producerLeaveText({ code: 'changed-meanwhile', detail: error.name }));
        }
        if (error instanceof EntityNotFoundException) return left(producerLeaveText({ code: 'not-found' }));
        throw awsCallError('glue:StopCrawlerSchedule', error);
      }
      return { crawler: name, scheduled: true, stopped: true };
    },

    async holdRules(workflow, incident): Promise<RuleHolds> {
      const target = glueArn(incident, `workflow/${workflow}`);
      const disabled: string[] = [];
      const untouched: { name: string; reason: string }[] = [];
      const warnings: string[] = [];
      for (const name of await rulesTargeting(target)) {
        const rule = await describeRule(events, name);
        if (rule === undefined) continue;
        const decision = ruleHoldAction(rule);
        const arn = ruleArn(incident, name);
        if (decision.action === 'leave') {
          untouched.push({ name, reason: producerLeaveText(decision.reason) });
          continue;
        }
        const before = await tagsOfRules.get(arn);
        if (before === undefined) continue;
        if (decision.action === 'check-own') {
          if (heldBy(before, incident.id)) disabled.push(name);
          else untouched.push({ name, reason: producerLeaveText({ code: 'state', state: rule.state ?? 'DISABLED' }) });
          continue;
        }
        const toAdd = producerHoldTags(incident);
        const count = tagCountAfter(before, toAdd);
        if (count > MAX_TAGS_PER_RESOURCE) {
          untouched.push({ name, reason: `tag limit: tagging it would make ${String(count)} tags (max ${String(MAX_TAGS_PER_RESOURCE)}); not disabled` });
          continue;
        }
        const others = await otherTargets(name, target);
        await tagsOfRules.add(arn, toAdd);
        try {
          await events.send(new DisableRuleCommand({ Name: name }));
        } catch (error) {
          if (error instanceof ResourceNotFoundException) continue;
          if (error instanceof ManagedRuleException) {
            await tagsOfRules.remove(arn, Object.keys(toAdd).filter((k) => before[k] === undefined));
            untouched.push({ name, reason: producerLeaveText({ code: 'changed-meanwhile', detail: error.name }) });
            continue;
          }
          throw awsCallError('events:DisableRule', error);
        }
        disabled.push(name);
        if (others > 0) warnings.push(ruleOtherTargetsText(name, others));
      }
      return { disabled, untouched, warnings };
    },
  };
}

export function createProducerReleases({ glue, events }: { readonly glue: GlueClient; readonly events?: EventBridgeClient | undefined }): ProducerReleases {
  const crawlerTags = glueTags(glue);

  /** Crawlers with a schedule of their own: the only ones the guard ever holds. */
  const scheduledCrawlers = async (): Promise<string[]> => {
    const names: string[] = [];
    try {
      for await (const page of paginateGetCrawlers({ client: glue }, {})) {
        for (const c of page.Crawlers ?? []) if (c.Name !== undefined && (c.Schedule?.ScheduleExpression ?? '') !== '') names.push(c.Name);
      }
    } catch (error) {
      throw awsCallError('glue:GetCrawlers', error);
    }
    return names;
  };

  const defaultBusRules = async (client: EventBridgeClient): Promise<string[]> => {
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await client.send(new ListRulesCommand({ ...(token === undefined ? {} : { NextToken: token }) }));
        for (const r of page.Rules ?? []) if (r.Name !== undefined) names.push(r.Name);
        token = page.NextToken;
      } while (token !== undefined && token !== '');
    } catch (error) {
      throw awsCallError('events:ListRules', error);
    }
    return names;
  };

  const matching = (filter: { readonly table?: string; readonly incidentId?: string }) => (hold: { incidentId: string; table: string } | undefined): boolean =>
    hold !== undefined && (filter.incidentId === undefined || hold.incidentId === filter.incidentId) && (filter.table === undefined || hold.table === filter.table);

  const refused = (held: HeldProducer, reason: string): ProducerRelease => ({ kind: held.kind, name: held.name, outcome: 'refused', reason });

  const releaseSchedule = async (held: HeldProducer, origin: Origin): Promise<ProducerRelease> => {
    const arn = crawlerArn(origin, held.name);
    const crawler = await getCrawler(glue, held.name);
    if (crawler === undefined) return refused(held, 'the crawler no longer exists');
    const tags = await crawlerTags.get(arn);
    if (tags === undefined) return refused(held, 'the crawler no longer exists');
    if (!heldBy(tags, held.incidentId)) return refused(held, `it no longer carries incident ${held.incidentId}'s tag`);
    const decision = scheduleReleaseAction(scheduleOf(crawler));
    if (decision.action === 'wait') return refused(held, producerWaitText(decision.state));
    if (decision.action === 'untag-only') {
      await crawlerTags.remove(arn, PRODUCER_HOLD_KEYS);
      return decision.why === 'already-active' ? { kind: held.kind, name: held.name, outcome: 'already-active' } : { kind: held.kind, name: held.name, outcome: 'untagged', reason: NO_SCHEDULE_LEFT };
    }
    try {
      await glue.send(new StartCrawlerScheduleCommand({ CrawlerName: held.name }));
    } catch (error) {
      if (error instanceof SchedulerRunningException) {
        await crawlerTags.remove(arn, PRODUCER_HOLD_KEYS);
        return { kind: held.kind, name: held.name, outcome: 'already-active' };
      }
      if (error instanceof SchedulerTransitioningException || error instanceof CrawlerRunningException) return refused(held, producerWaitText(error.name));
      if (error instanceof NoScheduleException) {
        await crawlerTags.remove(arn, PRODUCER_HOLD_KEYS);
        return { kind: held.kind, name: held.name, outcome: 'untagged', reason: NO_SCHEDULE_LEFT };
      }
      if (error instanceof EntityNotFoundException) return refused(held, 'the crawler was deleted meanwhile');
      throw awsCallError('glue:StartCrawlerSchedule', error);
    }
    await crawlerTags.remove(arn, PRODUCER_HOLD_KEYS);
    return { kind: held.kind, name: held.name, outcome: 'restarted' };
  };

  const releaseRule = async (client: EventBridgeClient, held: HeldProducer, origin: Origin): Promise<ProducerRelease> => {
    const tagsOfRules = ruleTags(client);
    const arn = ruleArn(origin, held.name);
    const rule = await describeRule(client, held.name);
    if (rule === undefined) return refused(held, 'the rule no longer exists');
    const tags = await tagsOfRules.get(arn);
    if (tags === undefined) return refused(held, 'the rule no longer exists');
    if (!heldBy(tags, held.incidentId)) return refused(held, `it no longer carries incident ${held.incidentId}'s tag`);
    const decision = ruleReleaseAction(rule);
    if (decision.action === 'wait') return refused(held, producerWaitText(decision.state));
    if (decision.action === 'untag-only') {
      await tagsOfRules.remove(arn, PRODUCER_HOLD_KEYS);
      return { kind: held.kind, name: held.name, outcome: 'already-active' };
    }
    try {
      await client.send(new EnableRuleCommand({ Name: held.name }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return refused(held, 'the rule was deleted meanwhile');
      if (error instanceof ManagedRuleException) return refused(held, producerWaitText(error.name));
      throw awsCallError('events:EnableRule', error);
    }
    await tagsOfRules.remove(arn, PRODUCER_HOLD_KEYS);
    return { kind: held.kind, name: held.name, outcome: 'restarted' };
  };

  return {
    async findHeldProducers(origin, filter = {}) {
      const wanted = matching(filter);
      const crawlers = await mapBounded(await scheduledCrawlers(), TAG_READ_CONCURRENCY, async (name) => ({ name, hold: producerHoldOf(await crawlerTags.get(crawlerArn(origin, name))) }));
      const held: HeldProducer[] = crawlers.flatMap(({ name, hold }) => (hold !== undefined && wanted(hold) ? [{ kind: 'schedule' as const, name, ...hold }] : []));
      if (events === undefined) return held;
      const tagsOfRules = ruleTags(events);
      const rules = await mapBounded(await defaultBusRules(events), TAG_READ_CONCURRENCY, async (name) => ({ name, hold: producerHoldOf(await tagsOfRules.get(ruleArn(origin, name))) }));
      return [...held, ...rules.flatMap(({ name, hold }) => (hold !== undefined && wanted(hold) ? [{ kind: 'rule' as const, name, ...hold }] : []))];
    },

    async releaseProducer(held, origin) {
      if (held.kind === 'schedule') return releaseSchedule(held, origin);
      if (events === undefined) return refused(held, 'no EventBridge client configured');
      return releaseRule(events, held, origin);
    },
  };
}
