/**
 * EventBridge rules on the local stack (AWS JSON 1.1, `AWSEvents.<Operation>`), each as the EventBridge API reference
 * describes it:
 * - PutRule (API_PutRule): creates or updates a rule, ENABLED unless State says otherwise; answers RuleArn
 *   (`arn:aws:events:<region>:<account>:rule/<name>` on the default bus). EventPattern must be valid JSON whose leaves
 *   are arrays ("Event patterns": "the values being matched are in arrays"); a pattern that is not answers
 *   InvalidEventPatternException.
 * - DescribeRule / EnableRule / DisableRule / DeleteRule: ResourceNotFoundException ("Rule <name> does not exist.") for
 *   an unknown rule; DeleteRule of a rule that still has targets answers ValidationException (API_DeleteRule: "Before
 *   you can delete the rule, you must remove all targets"). A rule with ManagedBy refuses changes with
 *   ManagedRuleException unless Force is true (API_DisableRule / API_EnableRule / API_DeleteRule).
 * - PutTargets / RemoveTargets / ListTargetsByRule: at most 5 targets per rule (EventBridge quotas, "Targets per
 *   rule": 5): more answers LimitExceededException. ListTargetsByRule and ListRuleNamesByTarget / ListRules page with
 *   Limit (1..100) and an opaque NextToken.
 * - ListRuleNamesByTarget (API_ListRuleNamesByTarget): names of the rules on one bus that have a target with that ARN.
 * - TagResource / UntagResource / ListTagsForResource on rule ARNs (API_TagResource: "You can associate as many as 50
 *   tags with a resource"; tag values up to 256 characters).
 * Buses: the stack has no CreateEventBus, so only the default bus holds rules; a rule call naming another bus answers
 * ResourceNotFoundException (the strict side: AWS answers the same for a bus that does not exist).
 * Delivery: an ENABLED rule whose pattern matches an event on its bus (PutEvents, or an event AWS services emit, which
 * go to the default bus) invokes its targets; DISABLED rules invoke nothing ("Disabling a rule": it stops matching).
 * A Glue workflow target (`arn:aws:glue:…:workflow/<name>`) starts a run of the workflow when the workflow has an
 * EVENT trigger (Glue developer guide, "Starting a workflow with an Amazon EventBridge event"); the trigger's
 * EventBatchingCondition is not modelled: every matching event starts one run (batch size 1, its default).
 * The pattern matcher is deliberately minimal: exact values in arrays (any listed value matches; an array field of the
 * event matches when one of its values is listed) and nested objects. Content filters (prefix, anything-but, numeric,
 * exists, …) are refused at PutRule with InvalidEventPatternException naming the local stack: narrower than AWS, never
 * kinder.
 */
import { z } from 'zod';
import type { BusEvent } from './bus.js';
import { AwsServiceError, eventsError } from './errors.js';
import { parseRequest } from './validation.js';

export const DEFAULT_BUS = 'default';
export const MAX_TARGETS_PER_RULE = 5;
export const MAX_RULE_TAGS = 50;

export interface LocalRuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly Input?: string;
}

export interface LocalRule {
  readonly Name: string;
  readonly Arn: string;
  readonly EventBusName: string;
  State: 'ENABLED' | 'DISABLED';
  EventPattern?: string;
  ScheduleExpression?: string;
  Description?: string;
  ManagedBy?: string;
  readonly targets: LocalRuleTarget[];
  readonly tags: Map<string, string>;
}

const ruleName = z.string().min(1).max(64).regex(/^[.\-_A-Za-z0-9]+$/);
const busName = z.string().min(1).max(1600).optional();
const limit = z.number().int().min(1).max(100).optional();
const nextToken = z.string().min(1).max(2048).optional();

const putRuleSchema = z.object({
  Name: ruleName,
  EventPattern: z.string().max(4096).optional(),
  ScheduleExpression: z.string().max(256).optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  Description: z.string().max(512).optional(),
  RoleArn: z.string().optional(),
  Tags: z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })).optional(),
  EventBusName: busName,
});
const ruleRequest = z.object({ Name: ruleName, EventBusName: busName, Force: z.boolean().optional() });
const targetSchema = z.object({ Id: z.string().min(1).max(64), Arn: z.string().min(1).max(1600), RoleArn: z.string().optional(), Input: z.string().optional() }).loose();
const putTargetsSchema = z.object({ Rule: ruleName, EventBusName: busName, Targets: z.array(targetSchema).min(1).max(100) });
const removeTargetsSchema = z.object({ Rule: ruleName, EventBusName: busName, Ids: z.array(z.string().min(1).max(64)).min(1).max(100), Force: z.boolean().optional() });
const listTargetsSchema = z.object({ Rule: ruleName, EventBusName: busName, Limit: limit, NextToken: nextToken });
const namesByTargetSchema = z.object({ TargetArn: z.string().min(1).max(1600), EventBusName: busName, Limit: limit, NextToken: nextToken });
const listRulesSchema = z.object({ NamePrefix: z.string().min(1).max(64).optional(), EventBusName: busName, Limit: limit, NextToken: nextToken });
const tagResourceSchema = z.object({ ResourceARN: z.string().min(1).max(1600), Tags: z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })) });
const untagResourceSchema = z.object({ ResourceARN: z.string().min(1).max(1600), TagKeys: z.array(z.string().min(1).max(128)) });
const listTagsSchema = z.object({ ResourceARN: z.string().min(1).max(1600) });

const tokenSchema = z.object({ scope: z.string(), offset: z.number().int().min(0) });

function page<T>(items: readonly T[], scope: string, size: number | undefined, token: string | undefined): { items: T[]; next: string | undefined } {
  let offset = 0;
  if (token !== undefined) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      throw eventsError.validation('The NextToken is not valid.');
    }
    const parsed = tokenSchema.safeParse(decoded);
    if (!parsed.success || parsed.data.scope !== scope) throw eventsError.validation('The NextToken is not valid.');
    offset = parsed.data.offset;
  }
  const end = offset + (size ?? 100);
  return { items: items.slice(offset, end), next: end < items.length ? Buffer.from(JSON.stringify({ scope, offset: end }), 'utf8').toString('base64url') : undefined };
}

const invalidPattern = (reason: string): AwsServiceError => new AwsServiceError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);

/** Checks a pattern is one the matcher serves: objects whose leaves are arrays of plain values. */
function checkPattern(pattern: unknown, path: string): void {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw invalidPattern(`${path || 'the pattern'} must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'object' && item !== null) throw invalidPattern(`${at}: content filters are not served by the local stack (exact values only)`);
      }
    } else if (typeof value === 'object' && value !== null) {
      checkPattern(value, at);
    } else {
      throw invalidPattern(`"${at}" must be an object or an array`);
    }
  }
}

function matches(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const fields: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(event));
  return Object.entries(pattern).every(([key, wanted]) => {
    const actual = fields[key];
    if (Array.isArray(wanted)) {
      const values: unknown[] = Array.isArray(actual) ? actual : [actual];
      return values.some((v) => v !== undefined && wanted.some((w) => w === v));
    }
    if (typeof wanted === 'object' && wanted !== null) return matches(Object.fromEntries(Object.entries(wanted)), actual);
    return false;
  });
}

export interface RuleTargetInvoker {
  /** Delivers `event` to one target of a rule. */
  (target: LocalRuleTarget, event: BusEvent): void;
}

export class LocalEventRules {
  private readonly rules = new Map<string, LocalRule>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly invoke: RuleTargetInvoker;

  constructor(options: { region: string; accountId: string; invoke: RuleTargetInvoker }) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.invoke = options.invoke;
  }

  static readonly OPERATIONS: readonly string[] = [
    'PutRule',
    'DescribeRule',
    'DeleteRule',
    'EnableRule',
    'DisableRule',
    'ListRules',
    'PutTargets',
    'RemoveTargets',
    'ListTargetsByRule',
    'ListRuleNamesByTarget',
    'TagResource',
    'UntagResource',
    'ListTagsForResource',
  ];

  ruleArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${name}`;
  }

  clear(): void {
    this.rules.clear();
    this.invocations.length = 0;
  }

  /** Every target invocation, oldest first: which rule delivered which event to which target. */
  readonly invocations: { readonly rule: string; readonly targetArn: string; readonly eventId: string }[] = [];

  /** A rule as stored (tests inspect state and targets). */
  get(name: string): LocalRule | undefined {
    return this.rules.get(name);
  }

  private bus(name: string | undefined): string {
    const bus = name ?? DEFAULT_BUS;
    // Rules may name their bus by ARN too.
    const plain = bus.startsWith('arn:') ? bus.slice(bus.lastIndexOf('/') + 1) : bus;
    if (plain !== DEFAULT_BUS) throw eventsError.resourceNotFound(`Event bus ${plain} does not exist.`);
    return plain;
  }

  private rule(name: string, bus: string | undefined): LocalRule {
    this.bus(bus);
    const rule = this.rules.get(name);
    if (rule === undefined) throw eventsError.resourceNotFound(`Rule ${name} does not exist on EventBus ${DEFAULT_BUS}.`);
    return rule;
  }

  private byArn(arn: string): LocalRule {
    const prefix = `arn:aws:events:${this.region}:${this.accountId}:rule/`;
    const name = arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
    const rule = name === undefined ? undefined : this.rules.get(name);
    if (rule === undefined) throw eventsError.resourceNotFound(`Rule ${name ?? arn} does not exist on EventBus ${DEFAULT_BUS}.`);
    return rule;
  }

  private checkUnmanaged(rule: LocalRule, force: boolean | undefined): void {
    if (rule.ManagedBy !== undefined && force !== true) throw eventsError.managedRule(`Rule ${rule.Name} is managed by ${rule.ManagedBy}; use Force to change it.`);
  }

  private setTags(rule: LocalRule, tags: readonly { Key: string; Value: string }[]): void {
    const next = new Map(rule.tags);
    for (const { Key, Value } of tags) next.set(Key, Value);
    if (next.size > MAX_RULE_TAGS) throw eventsError.limitExceeded(`A resource can have at most ${String(MAX_RULE_TAGS)} tags.`);
    rule.tags.clear();
    for (const [k, v] of next) rule.tags.set(k, v);
  }

  /** Test seeding: a rule managed by another service (ManagedBy set). */
  markManaged(name: string, by: string): void {
    const rule = this.rules.get(name);
    if (rule === undefined) throw new Error(`no rule ${name}`);
    rule.ManagedBy = by;
  }

  handle(operation: string, body: unknown): unknown {
    switch (operation) {
      case 'PutRule': {
        const req = parseRequest(putRuleSchema, body, eventsError.validation);
        const bus = this.bus(req.EventBusName);
        if (req.EventPattern === undefined && req.ScheduleExpression === undefined) {
          throw eventsError.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
        }
        if (req.EventPattern !== undefined) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(req.EventPattern);
          } catch {
            throw invalidPattern('the pattern is not valid JSON');
          }
          checkPattern(parsed, '');
        }
        const existing = this.rules.get(req.Name);
        if (existing !== undefined) this.checkUnmanaged(existing, undefined);
        const rule: LocalRule = existing ?? { Name: req.Name, Arn: this.ruleArn(req.Name), EventBusName: bus, State: 'ENABLED', targets: [], tags: new Map() };
        rule.State = req.State ?? 'ENABLED';
        if (req.EventPattern !== undefined) rule.EventPattern = req.EventPattern;
        if (req.ScheduleExpression !== undefined) rule.ScheduleExpression = req.ScheduleExpression;
        if (req.Description !== undefined) rule.Description = req.Description;
        if (req.Tags !== undefined) this.setTags(rule, req.Tags);
        this.rules.set(req.Name, rule);
        return { RuleArn: rule.Arn };
      }
      case 'DescribeRule': {
        const req = parseRequest(ruleRequest, body, eventsError.validation);
        const rule = this.rule(req.Name, req.EventBusName);
        return {
          Name: rule.Name,
          Arn: rule.Arn,
          EventBusName: rule.EventBusName,
          State: rule.State,
          ...(rule.EventPattern === undefined ? {} : { EventPattern: rule.EventPattern }),
          ...(rule.ScheduleExpression === undefined ? {} : { ScheduleExpression: rule.ScheduleExpression }),
          ...(rule.Description === undefined ? {} : { Description: rule.Description }),
          ...(rule.ManagedBy === undefined ? {} : { ManagedBy: rule.ManagedBy }),
        };
      }
      case 'DeleteRule': {
        const req = parseRequest(ruleRequest, body, eventsError.validation);
        this.bus(req.EventBusName);
        const rule = this.rules.get(req.Name);
        // AWS: deleting a rule that does not exist succeeds (idempotent).
        if (rule === undefined) return {};
        this.checkUnmanaged(rule, req.Force);
        if (rule.targets.length > 0) throw eventsError.validation('Rule can\'t be deleted since it has targets.');
        this.rules.delete(req.Name);
        return {};
      }
      case 'EnableRule':
      case 'DisableRule': {
        const req = parseRequest(ruleRequest, body, eventsError.validation);
        const rule = this.rule(req.Name, req.EventBusName);
        this.checkUnmanaged(rule, req.Force);
        rule.State = operation === 'EnableRule' ? 'ENABLED' : 'DISABLED';
        return {};
      }
      case 'ListRules': {
        const req = parseRequest(listRulesSchema, body, eventsError.validation);
        this.bus(req.EventBusName);
        const all = [...this.rules.values()].filter((r) => req.NamePrefix === undefined || r.Name.startsWith(req.NamePrefix)).sort((a, b) => a.Name.localeCompare(b.Name));
        const { items, next } = page(all, `ListRules:${req.NamePrefix ?? ''}`, req.Limit, req.NextToken);
        return {
          Rules: items.map((r) => ({ Name: r.Name, Arn: r.Arn, State: r.State, EventBusName: r.EventBusName, ...(r.EventPattern === undefined ? {} : { EventPattern: r.EventPattern }), ...(r.ManagedBy === undefined ? {} : { ManagedBy: r.ManagedBy }) })),
          ...(next === undefined ? {} : { NextToken: next }),
        };
      }
      case 'PutTargets': {
        const req = parseRequest(putTargetsSchema, body, eventsError.validation);
        const rule = this.rule(req.Rule, req.EventBusName);
        const byId = new Map(rule.targets.map((t) => [t.Id, t]));
        for (const t of req.Targets) byId.set(t.Id, { Id: t.Id, Arn: t.Arn, ...(t.RoleArn === undefined ? {} : { RoleArn: t.RoleArn }), ...(t.Input === undefined ? {} : { Input: t.Input }) });
        if (byId.size > MAX_TARGETS_PER_RULE) {
          throw eventsError.limitExceeded(`The requested resource exceeds the maximum number allowed: a rule can have at most ${String(MAX_TARGETS_PER_RULE)} targets.`);
        }
        rule.targets.splice(0, rule.targets.length, ...byId.values());
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      case 'RemoveTargets': {
        const req = parseRequest(removeTargetsSchema, body, eventsError.validation);
        const rule = this.rule(req.Rule, req.EventBusName);
        this.checkUnmanaged(rule, req.Force);
        const kept = rule.targets.filter((t) => !req.Ids.includes(t.Id));
        rule.targets.splice(0, rule.targets.length, ...kept);
        return { FailedEntryCount: 0, FailedEntries: [] };
      }
      case 'ListTargetsByRule': {
        const req = parseRequest(listTargetsSchema, body, eventsError.validation);
        const rule = this.rule(req.Rule, req.EventBusName);
        const { items, next } = page(rule.targets, `ListTargetsByRule:${rule.Name}`, req.Limit, req.NextToken);
        return { Targets: items, ...(next === undefined ? {} : { NextToken: next }) };
      }
      case 'ListRuleNamesByTarget': {
        const req = parseRequest(namesByTargetSchema, body, eventsError.validation);
        this.bus(req.EventBusName);
        const names = [...this.rules.values()].filter((r) => r.targets.some((t) => t.Arn === req.TargetArn)).map((r) => r.Name).sort();
        const { items, next } = page(names, `ListRuleNamesByTarget:${req.TargetArn}`, req.Limit, req.NextToken);
        return { RuleNames: items, ...(next === undefined ? {} : { NextToken: next }) };
      }
      case 'TagResource': {
        const req = parseRequest(tagResourceSchema, body, eventsError.validation);
        this.setTags(this.byArn(req.ResourceARN), req.Tags);
        return {};
      }
      case 'UntagResource': {
        const req = parseRequest(untagResourceSchema, body, eventsError.validation);
        const rule = this.byArn(req.ResourceARN);
        for (const key of req.TagKeys) rule.tags.delete(key);
        return {};
      }
      case 'ListTagsForResource': {
        const req = parseRequest(listTagsSchema, body, eventsError.validation);
        return { Tags: [...this.byArn(req.ResourceARN).tags].map(([Key, Value]) => ({ Key, Value })) };
      }
      default:
        throw eventsError.unknownOperation(`AWSEvents.${operation}`);
    }
  }

  /** Delivers an event put on `bus` to the targets of every ENABLED rule whose pattern matches it. */
  route(bus: string, event: BusEvent): void {
    if (bus !== DEFAULT_BUS) return;
    for (const rule of this.rules.values()) {
      if (rule.State !== 'ENABLED' || rule.EventPattern === undefined) continue;
      const pattern: unknown = JSON.parse(rule.EventPattern);
      if (typeof pattern !== 'object' || pattern === null || !matches(Object.fromEntries(Object.entries(pattern)), event)) continue;
      for (const target of rule.targets) {
        this.invocations.push({ rule: rule.Name, targetArn: target.Arn, eventId: event.id });
        this.invoke(target, event);
      }
    }
  }
}
