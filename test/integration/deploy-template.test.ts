/**
 * `npm run package` builds offline, and the CloudFormation template says what the README promises:
 * exact event patterns, retries and a dead-letter queue on every target, failure destinations, alarms,
 * encryption, the runtime, and IAM with no wildcard action.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { packagedVariant } from '../support/packaged.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE } from '../../functions/core/reviewing/resume-request.js';

const resource = z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional(), Condition: z.string().optional() });
const template = z.object({ Resources: z.record(z.string(), resource), Outputs: z.record(z.string(), z.unknown()).optional() });
type Template = z.infer<typeof template>;

const statement = z.object({
  Sid: z.string().optional(),
  Effect: z.literal('Allow'),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
  Principal: z.unknown().optional(),
  Condition: z.unknown().optional(),
});
const policyDocument = z.object({ Statement: z.array(statement) });

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
      detail: { databaseName: ['sales'] },
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

  it('lets only the guard functions and this stack’s alarms publish to the topic', () => {
    const policy = policyDocument.parse(t.Resources.AlertTopicPolicy?.Properties?.PolicyDocument);
    const publishers = policy.Statement.filter((s) => [s.Action].flat().includes('sns:Publish')).map((s) => s.Principal);
    expect(publishers).toEqual([{ AWS: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] } }, { Service: 'cloudwatch.amazonaws.com' }]);
  });

  it('grants no wildcard action, and Resource "*" only to list actions that accept nothing narrower', () => {
    const role = t.Resources.IamRoleLambdaExecution?.Properties;
    const policies = z.array(z.object({ PolicyDocument: policyDocument })).parse(role?.Policies);
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    const anyResource = statements.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
    expect(anyResource.map((s) => [s.Sid, [s.Action].flat().sort()])).toEqual([['ListPipelines', ['glue:GetTriggers', 'glue:ListWorkflows']]]);
    const guarded = statements.find((s) => s.Sid === 'GuardedTables');
    expect(JSON.stringify(guarded?.Resource)).toContain('database/sales');
    expect(JSON.stringify(guarded?.Resource)).toContain('table/sales/*');
    expect(JSON.stringify(guarded?.Resource)).not.toMatch(/database\/\*/);
    const restart = statements.find((s) => [s.Action].flat().includes('glue:StartTrigger'));
    expect(restart?.Condition).toEqual({ Null: { 'aws:ResourceTag/drift-guard:incident': 'false' } });
  });
});
