/**
 * `npm run package` builds offline, and the CloudFormation template says what the README promises:
 * exact event patterns, retries and a dead-letter queue on every target, failure destinations, alarms,
 * encryption, the runtime, and IAM with no wildcard action, one role per function, each only what it calls, and
 * inline policies that fit IAM's 10,240 characters however many databases are guarded.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { packagedVariant } from '../support/packaged.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE } from '../../functions/core/reviewing/resume-request.js';
import { heldTableName } from '../../functions/core/incidents/incident.js';

const resource = z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional(), Condition: z.string().optional() });
const template = z.object({ Resources: z.record(z.string(), resource), Outputs: z.record(z.string(), z.unknown()).optional() });
type Template = z.infer<typeof template>;

const statement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown().optional(),
  NotResource: z.unknown().optional(),
  Principal: z.unknown().optional(),
  Condition: z.unknown().optional(),
});
const policyDocument = z.object({ Statement: z.array(statement) });
const rolePolicies = z.array(z.object({ PolicyName: z.string(), PolicyDocument: policyDocument }));

/** infra/deploy/policy-size.cjs and variables.cjs, as osls loads them (CommonJS). */
const load = createRequire(import.meta.url);
type Exported = (...args: unknown[]) => unknown;
const isExported = (value: unknown): value is Exported => typeof value === 'function';
function exported(module: unknown, name: string): Exported {
  const value: unknown = typeof module === 'object' && module !== null ? Object.getOwnPropertyDescriptor(module, name)?.value : undefined;
  if (!isExported(value)) throw new Error(`no function ${name} exported`);
  return value;
}
const policySizeModule: unknown = load('../../infra/deploy/policy-size.cjs');
const variablesModule: unknown = load('../../infra/deploy/variables.cjs');
const ROLE_POLICY_LIMIT = z.object({ ROLE_POLICY_LIMIT: z.number() }).parse(policySizeModule).ROLE_POLICY_LIMIT;
const rolePolicySizes = (t: unknown): Record<string, number> => z.record(z.string(), z.number()).parse(exported(policySizeModule, 'rolePolicySizes')(t));
const assertRolePoliciesFit = (t: unknown): void => {
  exported(policySizeModule, 'assertRolePoliciesFit')(t);
};
const catalogArnsFor = (databases: readonly string[], prefix: string): unknown => exported(variablesModule, 'catalogArnsFor')(databases, prefix);

/** Every statement of a role's inline policies. */
function statementsOf(t: Template, role: string): z.infer<typeof statement>[] {
  return rolePolicies.parse(t.Resources[role]?.Properties?.Policies).flatMap((p) => p.PolicyDocument.Statement);
}
const actionsOf = (t: Template, role: string): string[] => statementsOf(t, role).flatMap((s) => [s.Action].flat());

/** The template with the guarded-table resources of both table roles replaced (what N databases would package to). */
function withGuardedResources(t: Template, resources: unknown): Template {
  const packaged = JSON.stringify(statementsOf(t, 'GuardRole').find((s) => s.Sid === 'GuardedTables')?.Resource);
  const text = JSON.stringify(t);
  expect(text.split(packaged).length - 1).toBe(2);
  return template.parse(JSON.parse(text.split(packaged).join(JSON.stringify(resources))));
}

const HELD_SUFFIX = '_drift_guard_held';

const ROLE_OF = { GuardLambdaFunction: 'GuardRole', ReconcileLambdaFunction: 'ReconcileRole', SlackForwarderLambdaFunction: 'SlackForwarderRole' } as const;

function ofType(t: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(t.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([name, r]) => [name, r.Properties ?? {}]);
}

describe('Deployment package (osls + serverless-esbuild, offline)', { timeout: 180_000 }, () => {
  let dir = '';
  let t: Template;

  beforeAll(async () => {
    // Packaging takes 10-60 s on a busy machine: over vitest's default 10 s hook timeout, which once skipped every
    // test of this file (vitest.config.ts now gives hooks 120 s; the package is shared with cfn-lint.test.ts).
    dir = await packagedVariant('default');
    t = template.parse(JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')));
  }, 180_000);

  it('builds one small zip per function', async () => {
    for (const name of ['guard', 'reconcile', 'slackForwarder']) {
      const zip = await stat(join(dir, `${name}.zip`));
      expect(zip.size).toBeGreaterThan(50_000);
      expect(zip.size).toBeLessThan(500_000);
    }
  });

  it('runs every function on nodejs22.x (arm64) with the contracts directory configured', () => {
    const functions = ofType(t, 'AWS::Lambda::Function');
    expect(functions.map(([name]) => name).sort()).toEqual(['GuardLambdaFunction', 'ReconcileLambdaFunction', 'SlackForwarderLambdaFunction']);
    for (const [, props] of functions) {
      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.Environment).toMatchObject({ Variables: { CONTRACTS_DIR: './contracts', GUARD_MODE: 'observe', STOP_RUNNING_RUNS: 'false' } });
    }
    // The Slack forwarder and everything around it exist only when asked for.
    const slack = Object.entries(t.Resources).filter(([name]) => name.startsWith('SlackForwarder'));
    expect(slack.length).toBeGreaterThanOrEqual(5);
    for (const [, r] of slack) expect(r.Condition).toBe('WithSlackForwarder');
    expect(JSON.stringify(t.Resources.SlackForwarderLambdaFunction?.Properties?.Environment)).not.toContain('hooks.slack.com');
    expect(t.Resources.GuardLambdaFunction?.Properties?.ReservedConcurrentExecutions).toBe(10);
  });

  it('catches exactly the Glue events the guard handles, in the guarded databases', () => {
    const patterns = ofType(t, 'AWS::Events::Rule').map(([, p]) => p.EventPattern).filter((p) => p !== undefined);
    expect(patterns).toContainEqual({
      source: ['aws.glue'],
      'detail-type': ['Glue Data Catalog Table State Change', 'Glue Data Catalog Database State Change'],
      detail: { databaseName: ['sales'], typeOfChange: [{ 'anything-but': ['DeletePartition', 'BatchDeletePartition'] }] },
    });
    expect(patterns).toContainEqual({ source: ['aws.glue'], 'detail-type': ['Glue Crawler State Change'], detail: { state: ['Succeeded'] } });
  });

  it('routes reviewers\' resume requests on the guard\'s own bus to reconcile', () => {
    const rules = ofType(t, 'AWS::Events::Rule').map(([, p]) => p);
    const request = rules.find((r) => r.EventPattern !== undefined && JSON.stringify(r.EventPattern).includes(RESUME_REQUEST_DETAIL_TYPE));
    expect(request?.EventPattern).toEqual({ source: [RESUME_REQUEST_SOURCE], 'detail-type': [RESUME_REQUEST_DETAIL_TYPE] });
    expect(JSON.stringify(request?.EventBusName)).toContain('OutcomeBus');
    expect(JSON.stringify(request?.Targets)).toContain('ReconcileLambdaFunction');
  });

  it('gives every rule target a retry policy and the dead-letter queue, and every function a failure destination', () => {
    const dlq = { 'Fn::GetAtt': ['GuardDeadLetterQueue', 'Arn'] };
    const targets = ofType(t, 'AWS::Events::Rule').flatMap(([, p]) => z.array(z.record(z.string(), z.unknown())).parse(p.Targets));
    expect(targets.length).toBeGreaterThanOrEqual(4);
    for (const target of targets) {
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: expect.any(Number) as unknown });
      expect(target.DeadLetterConfig).toEqual({ Arn: dlq });
    }
    const configs = ofType(t, 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(3);
    for (const [, config] of configs) expect(config.DestinationConfig).toEqual({ OnFailure: { Destination: dlq } });
  });

  it('alarms on dead letters, guard errors and throttles, into the alert topic', () => {
    const alarms = ofType(t, 'AWS::CloudWatch::Alarm').map(([, p]) => p);
    const metrics = alarms.map((a) => `${String(a.Namespace)}/${String(a.MetricName)}`).sort();
    expect(metrics).toEqual(['AWS/Lambda/Errors', 'AWS/Lambda/Errors', 'AWS/Lambda/Errors', 'AWS/Lambda/Throttles', 'AWS/SQS/ApproximateNumberOfMessagesVisible']);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
  });

  it('encrypts the alert topic with a rotating KMS key and the dead-letter queue at rest', () => {
    expect(t.Resources.AlertTopic?.Properties?.KmsMasterKeyId).toEqual({ Ref: 'AlertTopicKey' });
    expect(t.Resources.AlertTopicKey?.Properties?.EnableKeyRotation).toBe(true);
    expect(t.Resources.GuardDeadLetterQueue?.Properties?.SqsManagedSseEnabled).toBe(true);
  });

  it('lets only the guard functions and this stack’s alarms publish to the topic, and denies every other principal explicitly', () => {
    const policy = policyDocument.parse(t.Resources.AlertTopicPolicy?.Properties?.PolicyDocument);
    const roles = [{ 'Fn::GetAtt': ['GuardRole', 'Arn'] }, { 'Fn::GetAtt': ['ReconcileRole', 'Arn'] }];
    const allowed = policy.Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('sns:Publish')).map((s) => s.Principal);
    expect(allowed).toEqual([{ AWS: roles }, { Service: 'cloudwatch.amazonaws.com' }]);
    // An Allow does not stop a principal of the account whose own policy allows sns:Publish: the Deny does. AWS
    // services (the alarms publish as cloudwatch.amazonaws.com) are outside it.
    const denied = policy.Statement.filter((s) => s.Effect === 'Deny');
    expect(denied).toEqual([
      {
        Sid: 'NobodyElsePublishes',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: { Ref: 'AlertTopic' },
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': roles }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
      },
    ]);
  });

  it('gives each function its own role, and no shared one', () => {
    const roles = ofType(t, 'AWS::IAM::Role').map(([name]) => name).sort();
    expect(roles).toEqual(['GuardRole', 'ReconcileRole', 'SlackForwarderRole']);
    for (const [fn, role] of Object.entries(ROLE_OF)) expect(t.Resources[fn]?.Properties?.Role).toEqual({ 'Fn::Sub': `\${${role}.Arn}` });
    expect(t.Resources.SlackForwarderRole?.Condition).toBe('WithSlackForwarder');
    for (const role of Object.values(ROLE_OF)) {
      // Basic execution for its own log group only, and its failure destination.
      const logs = statementsOf(t, role).find((s) => s.Sid === 'OwnLogs');
      expect([logs?.Action].flat().sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      const fn = role === 'GuardRole' ? 'guard' : role === 'ReconcileRole' ? 'reconcile' : 'slackForwarder';
      expect(JSON.stringify(logs?.Resource)).toMatch(new RegExp(`log-group:/aws/lambda/glue-drift-guard-test-${fn}:\\*"`));
      expect(statementsOf(t, role).find((s) => s.Sid === 'FailureDestination')?.Resource).toEqual({ 'Fn::GetAtt': ['GuardDeadLetterQueue', 'Arn'] });
    }
  });

  it('the Slack forwarder, which posts to an external webhook, reads its parameter and touches nothing else', () => {
    expect(actionsOf(t, 'SlackForwarderRole').sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'ssm:GetParameter']);
    expect(JSON.stringify(statementsOf(t, 'SlackForwarderRole').find((s) => s.Sid === 'SlackWebhookParameter')?.Resource)).toContain(':parameter/glue-drift-guard/slack-webhook-url');
  });

  it('the guard restores, holds and alerts, but starts nothing: its tags cannot open a StartTrigger condition', () => {
    const actions = actionsOf(t, 'GuardRole');
    for (const start of ['glue:StartTrigger', 'glue:StartWorkflowRun', 'glue:ResumeWorkflowRun']) expect(actions).not.toContain(start);
    expect(actions).toEqual(expect.arrayContaining(['glue:UpdateTable', 'glue:StopTrigger', 'glue:StopWorkflowRun', 'glue:TagResource', 'sns:Publish', 'events:PutEvents']));
    expect(actions.filter((a) => !a.startsWith('glue:') || a === 'glue:ListWorkflows' || a === 'glue:GetWorkflowRun')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:SendMessage',
      'events:ListRuleNamesByTarget',
      'events:DescribeRule',
      'events:ListTargetsByRule',
      'events:DisableRule',
      'events:ListTagsForResource',
      'events:TagResource',
      'events:UntagResource',
      'sns:Publish',
      'kms:GenerateDataKey',
      'kms:Decrypt',
      'events:PutEvents',
    ]);
    // It holds producers (a crawler's own schedule, the rules starting a held workflow) and releases none.
    for (const start of ['glue:StartCrawlerSchedule', 'events:EnableRule']) expect(actions).not.toContain(start);
  });

  it('the guard stops crawler schedules and disables rules on exactly those resources, tagging only its own keys', () => {
    const statements = statementsOf(t, 'GuardRole');
    const crawlers = ':glue:${AWS::Region}:${AWS::AccountId}:crawler/*';
    const rules = ':events:${AWS::Region}:${AWS::AccountId}:rule/*';
    const hold = statements.find((s) => s.Sid === 'HoldProducers');
    expect(hold?.Action).toEqual(['glue:GetCrawler', 'glue:StopCrawlerSchedule', 'events:ListRuleNamesByTarget', 'events:DescribeRule', 'events:ListTargetsByRule', 'events:DisableRule', 'events:ListTagsForResource']);
    expect(JSON.stringify(hold?.Resource)).toContain(crawlers);
    expect(JSON.stringify(hold?.Resource)).toContain(rules);
    expect(JSON.stringify(hold?.Resource)).not.toMatch(/trigger|workflow|table/);
    const tag = statements.find((s) => s.Sid === 'OwnTagsOnly');
    const untag = statements.find((s) => s.Sid === 'OwnTagsOffHeldOnly');
    expect(tag?.Action).toEqual(['glue:TagResource', 'events:TagResource']);
    expect(untag?.Action).toEqual(['glue:UntagResource', 'events:UntagResource']);
    for (const s of [tag, untag]) {
      expect(JSON.stringify(s?.Resource)).toContain(crawlers);
      expect(JSON.stringify(s?.Resource)).toContain(rules);
    }
    // Tags are removed only from what carries the guard's incident tag, and only its own keys.
    expect(untag?.Condition).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['drift-guard:*'] }, Null: { 'aws:ResourceTag/drift-guard:incident': 'false' } });
  });

  it('reconcile starts and resumes only what carries the guard’s incident tag', () => {
    const statements = statementsOf(t, 'ReconcileRole');
    const startActions = ['glue:StartTrigger', 'glue:StartWorkflowRun', 'glue:ResumeWorkflowRun', 'glue:StartCrawlerSchedule', 'events:EnableRule'];
    const starts = statements.filter((s) => [s.Action].flat().some((a) => startActions.includes(a)));
    expect(starts.flatMap((s) => [s.Action].flat()).sort()).toEqual([...startActions].sort());
    for (const s of starts) expect(s.Condition).toEqual({ Null: { 'aws:ResourceTag/drift-guard:incident': 'false' } });
    expect(JSON.stringify(starts.find((s) => [s.Action].flat().includes('glue:StartCrawlerSchedule'))?.Resource)).toContain(':crawler/*');
    expect(JSON.stringify(starts.find((s) => [s.Action].flat().includes('events:EnableRule'))?.Resource)).toContain(':events:${AWS::Region}:${AWS::AccountId}:rule/*');
    // Untagging: only the guard's keys, only where its incident tag is.
    const untags = statements.filter((s) => [s.Action].flat().some((a) => a === 'glue:UntagResource' || a === 'events:UntagResource'));
    expect(untags.length).toBeGreaterThan(0);
    for (const s of untags) expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['drift-guard:*'] }, Null: { 'aws:ResourceTag/drift-guard:incident': 'false' } });
  });

  it('partitions: both roles read and move partitions of the guarded tables; tables are created and deleted only under held-table names, by the guard and reconcile respectively', () => {
    for (const role of ['GuardRole', 'ReconcileRole']) {
      const guarded = statementsOf(t, role).find((s) => s.Sid === 'GuardedTables');
      expect([guarded?.Action].flat()).toEqual(expect.arrayContaining(['glue:BatchGetPartition', 'glue:GetPartitions', 'glue:BatchCreatePartition', 'glue:BatchDeletePartition', 'glue:CreateTable', 'glue:DeleteTable']));
      const heldOnly = statementsOf(t, role).find((s) => s.Sid === 'HeldTablesOnly');
      expect(heldOnly).toMatchObject({ Effect: 'Deny', Action: ['glue:CreateTable', 'glue:DeleteTable'] });
      expect(JSON.stringify(heldOnly?.NotResource)).toContain(`:table/*/*${HELD_SUFFIX}`);
      expect(JSON.stringify(heldOnly?.NotResource)).not.toMatch(/table\/\*\/\*"/);
    }
    expect(statementsOf(t, 'GuardRole').find((s) => s.Sid === 'GuardDeletesNoTable')).toMatchObject({ Effect: 'Deny', Action: ['glue:DeleteTable'] });
    expect(statementsOf(t, 'ReconcileRole').find((s) => s.Sid === 'ReconcileCreatesNoTable')).toMatchObject({ Effect: 'Deny', Action: ['glue:CreateTable'] });
    // The suffix the Deny allows is the one the guard names held tables with.
    expect(heldTableName('orders').endsWith(HELD_SUFFIX)).toBe(true);
    expect(heldTableName('x'.repeat(300)).endsWith(HELD_SUFFIX)).toBe(true);
    expect(heldTableName('Not Athena-safe!').endsWith(HELD_SUFFIX)).toBe(true);
  });

  it('grants no wildcard action, and Resource "*" only to list actions that accept nothing narrower', () => {
    for (const role of Object.values(ROLE_OF)) {
      const statements = statementsOf(t, role);
      expect(statements.flatMap((s) => [s.Action].flat()).filter((action) => action.includes('*'))).toEqual([]);
      const anyResource = statements.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      for (const s of anyResource) expect([s.Action].flat().every((a) => ['glue:GetTriggers', 'glue:ListWorkflows', 'glue:GetCrawlers', 'events:ListRules'].includes(a))).toBe(true);
      // Tags: only the guard's own keys.
      for (const s of statements.filter((x) => [x.Action].flat().some((a) => a === 'glue:TagResource' || a === 'events:TagResource'))) {
        expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['drift-guard:*'] } });
      }
    }
    for (const role of ['GuardRole', 'ReconcileRole']) {
      const guarded = statementsOf(t, role).find((s) => s.Sid === 'GuardedTables');
      expect(JSON.stringify(guarded?.Resource)).toContain('database/sales');
      expect(JSON.stringify(guarded?.Resource)).toContain('table/sales/*');
      expect(JSON.stringify(guarded?.Resource)).not.toMatch(/database\/\*/);
      // Versions are read by id (GetTableVersion), never listed: only `drift-guard history` (the user's own
      // credentials) pages GetTableVersions.
      expect([guarded?.Action].flat()).toEqual([
        'glue:GetTable',
        'glue:GetTableVersion',
        'glue:GetTables',
        'glue:UpdateTable',
        'glue:BatchGetPartition',
        'glue:GetPartitions',
        'glue:BatchCreatePartition',
        'glue:BatchDeletePartition',
        'glue:CreateTable',
        'glue:DeleteTable',
      ]);
    }
  });

  describe('IAM inline policy size (10,240 characters per role, IAM and AWS STS quotas)', () => {
    const databases = (n: number): string[] => Array.from({ length: n }, (_, i) => `lake_sales_${String(i + 1).padStart(4, '0')}`);

    it('fits with the guarded databases listed one by one up to about 33, and is refused with the way out at 50 and 500', () => {
      const sizes = (n: number): Record<string, number> => rolePolicySizes(withGuardedResources(t, catalogArnsFor(databases(n), '')));
      // Holding producers (crawler schedules, EventBridge rules) costs reconcile about 1,400 characters of the 10,240, and
      // the partition statements (GuardedTables' actions, the held-table Denies) about 600 more, whatever the databases.
      expect(sizes(1).ReconcileRole).toBeLessThan(ROLE_POLICY_LIMIT * 0.55);
      expect(sizes(33).ReconcileRole).toBeLessThan(ROLE_POLICY_LIMIT);
      expect(sizes(500).GuardRole).toBeGreaterThan(7 * ROLE_POLICY_LIMIT);
      expect(() => { assertRolePoliciesFit(withGuardedResources(t, catalogArnsFor(databases(33), ''))); }).not.toThrow();
      for (const n of [50, 500]) {
        const refusal = (): void => { assertRolePoliciesFit(withGuardedResources(t, catalogArnsFor(databases(n), ''))); };
        expect(refusal).toThrow(/ReconcileRole \d+ characters, over IAM's 10240/);
        expect(refusal).toThrow(/guardedDatabasePrefix/);
      }
    });

    it('stays the same size with guardedDatabasePrefix, at 1, 50 or 500 databases', () => {
      const sizes = [1, 50, 500].map((n) => rolePolicySizes(withGuardedResources(t, catalogArnsFor(databases(n), 'lake_'))));
      expect(new Set(sizes.map((s) => JSON.stringify(s))).size).toBe(1);
      for (const size of Object.values(sizes[0] ?? {})) expect(size).toBeLessThan(ROLE_POLICY_LIMIT * 0.55);
      expect(() => { assertRolePoliciesFit(withGuardedResources(t, catalogArnsFor(databases(500), 'lake_'))); }).not.toThrow();
    });

    it('refuses a prefix that leaves a guarded database out, or would widen the pattern', () => {
      expect(() => catalogArnsFor(['lake_sales', 'finance'], 'lake_')).toThrow(/does not cover every guarded database \(finance\)/);
      expect(() => catalogArnsFor(['lake_sales'], 'lake*')).toThrow(/guardedDatabasePrefix must be/);
    });

    it('the packaged template fits as it is', () => {
      expect(() => { assertRolePoliciesFit(t); }).not.toThrow();
    });
  });
});
