/**
 * The Slack forwarder handler: a real SNS event shape in, a fake webhook out; its configuration; and the
 * webhook URL read through Powertools Parameters over a mocked SSM client (decrypted, cached, typed errors).
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsAccessDeniedError, AwsCallError } from '../../functions/aws/errors.js';
import type { SlackWebhookPort } from '../../functions/aws/slack-webhook.js';
import { InputError } from '../../functions/core/errors.js';
import { MalformedAlertError, type SlackMessage } from '../../functions/core/wording/slack-blocks.js';
import type * as Forwarder from '../../functions/handlers/slack-forwarder.js';
import { sampleAlerts, snsEventFor } from '../fixtures/alerts/sample-alerts.js';

const PARAMETER = '/glue-drift-guard/slack-webhook-url';
const WEBHOOK_URL = 'https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnopqrstuvwx';

// The module builds the production handler at import (cold start), so it is imported with its variable set.
let forwarder: typeof Forwarder;
beforeAll(async () => {
  vi.stubEnv('SLACK_WEBHOOK_PARAMETER', PARAMETER);
  forwarder = await import('../../functions/handlers/slack-forwarder.js');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

function fakeWebhook(): SlackWebhookPort & { readonly posted: SlackMessage[] } {
  const posted: SlackMessage[] = [];
  return {
    posted,
    post(message) {
      posted.push(message);
      return Promise.resolve();
    },
  };
}

function fakeLog() {
  const entries: { level: 'info' | 'error'; message: string; extra: Record<string, unknown>[] }[] = [];
  return {
    entries,
    info: (message: string, ...extra: Record<string, unknown>[]) => entries.push({ level: 'info', message, extra }),
    error: (message: string, ...extra: Record<string, unknown>[]) => entries.push({ level: 'error', message, extra }),
  };
}

function alert(name: string) {
  const found = sampleAlerts()[name];
  if (found === undefined) throw new Error(`no sample alert ${name}`);
  return found;
}

describe('Slack forwarder: SNS event → Block Kit → webhook', () => {
  it('posts the blocked alert once, with the fields from the message attributes', async () => {
    // Prepare
    const webhook = fakeWebhook();
    const log = fakeLog();
    const handler = forwarder.createSlackForwarder({ webhook, log });
    const blocked = alert('blocked.json');
    // Act
    const summary = await handler(snsEventFor(blocked));
    // Assess
    expect(webhook.posted).toHaveLength(1);
    const [message] = webhook.posted;
    expect(message?.text).toBe('BLOCKED breaking schema change on sales.orders: 2 findings');
    expect(message?.blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Table*\n`sales.orders`' },
        { type: 'mrkdwn', text: '*Verdict*\nbreaking' },
        { type: 'mrkdwn', text: '*Outcome*\nblocked' },
        { type: 'mrkdwn', text: `*Incident*\n\`${blocked.attributes.incident ?? ''}\`` },
      ],
    });
    expect(summary).toEqual({ forwarded: [{ messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', incident: blocked.attributes.incident, blocks: 6 }] });
    expect(log.entries.map((e) => [e.level, e.message])).toEqual([['info', 'alert forwarded to Slack']]);
  });

  it('forwards the resumed alert into the same thread id', async () => {
    // Prepare
    const webhook = fakeWebhook();
    const handler = forwarder.createSlackForwarder({ webhook, log: fakeLog() });
    // Act
    await handler(snsEventFor(alert('resumed.json')));
    // Assess
    expect(webhook.posted[0]?.blocks.at(-1)).toMatchObject({ type: 'context', elements: [{ text: 'Thread `glue-drift-guard/sales.orders`' }, { text: 'Glue Schema Drift Resumed' }] });
  });

  it('a body that is not a Chatbot notification throws a typed error, is logged, and posts nothing', async () => {
    // Prepare
    const webhook = fakeWebhook();
    const log = fakeLog();
    const handler = forwarder.createSlackForwarder({ webhook, log });
    const event = snsEventFor({ subject: 'x', body: JSON.stringify({ version: '1.0', source: 'custom', content: { title: 'no description' } }), attributes: {} });
    // Act
    const act = handler(event);
    // Assess
    await expect(act).rejects.toThrow(MalformedAlertError);
    await expect(act).rejects.toThrow(/content\.description/);
    expect(webhook.posted).toEqual([]);
    expect(log.entries).toMatchObject([{ level: 'error', message: 'alert is not a Chatbot custom notification' }]);
  });

  it('an invocation that is not an SNS event is rejected naming what is missing', async () => {
    // Prepare
    const webhook = fakeWebhook();
    const handler = forwarder.createSlackForwarder({ webhook, log: fakeLog() });
    const notSns = { Records: [{ EventSource: 'aws:sqs', body: '{}' }] };
    // Act
    // @ts-expect-error -- the handler is typed for SNS events; Lambda would still hand it anything.
    const act = handler(notSns);
    // Assess
    await expect(act).rejects.toThrow(forwarder.MalformedSnsEventError);
    await expect(act).rejects.toThrow(/Records\[0\]\.EventSource/);
    expect(webhook.posted).toEqual([]);
  });

  it('a failed post fails the invocation (SNS retries it and keeps it for the failure destination)', async () => {
    // Prepare
    const failure = new Error('Slack webhook answered HTTP 404: no_service');
    const handler = forwarder.createSlackForwarder({ webhook: { post: () => Promise.reject(failure) }, log: fakeLog() });
    // Act
    const act = handler(snsEventFor(alert('blocked.json')));
    // Assess
    await expect(act).rejects.toBe(failure);
  });
});

describe('Slack forwarder: configuration, read at cold start', () => {
  it('takes an SSM parameter name and a cache time', () => {
    // Act
    const config = forwarder.readForwarderConfig({ SLACK_WEBHOOK_PARAMETER: PARAMETER, SLACK_WEBHOOK_CACHE_SECONDS: '60' });
    // Assess
    expect(config).toEqual({ parameterName: PARAMETER, cacheSeconds: 60 });
  });

  it('caches the URL for 5 minutes by default', () => {
    // Act
    const config = forwarder.readForwarderConfig({ SLACK_WEBHOOK_PARAMETER: PARAMETER });
    // Assess
    expect(config.cacheSeconds).toBe(300);
  });

  it.each([
    ['nothing set', {}, /SLACK_WEBHOOK_PARAMETER: an SSM parameter name starting with \/.*\(not set\)/],
    ['a name without the leading slash', { SLACK_WEBHOOK_PARAMETER: 'slack-webhook' }, /SLACK_WEBHOOK_PARAMETER: an SSM parameter name starting with \/.*\(got "slack-webhook"\)/],
    ['a URL where the name belongs', { SLACK_WEBHOOK_PARAMETER: 'https://hooks.slack.com/services/x' }, /SLACK_WEBHOOK_PARAMETER/],
    ['a secret ARN (the Secrets Manager client is not installed)', { SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack-AbCdEf' }, /SLACK_WEBHOOK_SECRET_ARN: not supported by this build/],
    ['a negative cache time', { SLACK_WEBHOOK_PARAMETER: PARAMETER, SLACK_WEBHOOK_CACHE_SECONDS: '-1' }, /SLACK_WEBHOOK_CACHE_SECONDS/],
  ])('fails naming the variable: %s', (_what, env, expected) => {
    // Act
    const act = () => forwarder.readForwarderConfig(env);
    // Assess
    expect(act).toThrow(InputError);
    expect(act).toThrow(expected);
  });

  it('the module itself fails at import (cold start) when the variable is missing', async () => {
    // Prepare
    vi.resetModules();
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', undefined);
    // Act
    const act = import('../../functions/handlers/slack-forwarder.js');
    // Assess
    await expect(act).rejects.toThrow(/SLACK_WEBHOOK_PARAMETER/);
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', PARAMETER);
  });
});

describe('Slack forwarder: the webhook URL from Parameter Store (Powertools Parameters)', () => {
  const client = new SSMClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const ssmMock = mockClient(client);
  beforeEach(() => {
    ssmMock.reset();
  });

  it('reads the SecureString decrypted, once per cache period', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: WEBHOOK_URL, Version: 3 } });
    const url = forwarder.parameterStoreUrl(new SSMProvider({ awsSdkV3Client: client }), { parameterName: PARAMETER, cacheSeconds: 300 });
    // Act
    const first = await url();
    const second = await url();
    // Assess
    expect([first, second]).toEqual([WEBHOOK_URL, WEBHOOK_URL]);
    const calls = ssmMock.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
  });

  it('a denied read names the IAM action ssm:GetParameter', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), { name: 'AccessDeniedException' }));
    const url = forwarder.parameterStoreUrl(new SSMProvider({ awsSdkV3Client: client }), { parameterName: PARAMETER, cacheSeconds: 0 });
    // Act
    const act = url();
    // Assess
    await expect(act).rejects.toThrow(AwsAccessDeniedError);
    await expect(act).rejects.toMatchObject({ action: 'ssm:GetParameter', code: 'AccessDeniedException' });
  });

  it('a missing parameter is an AwsCallError with the service’s code', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error('parameter not found'), { name: 'ParameterNotFound' }));
    const url = forwarder.parameterStoreUrl(new SSMProvider({ awsSdkV3Client: client }), { parameterName: PARAMETER, cacheSeconds: 0 });
    // Act
    const act = url();
    // Assess
    await expect(act).rejects.toThrow(AwsCallError);
    await expect(act).rejects.toMatchObject({ action: 'ssm:GetParameter', code: 'ParameterNotFound' });
  });

  it('an empty parameter is an error naming the parameter, not a post to nowhere', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Type: 'SecureString', Value: ' ' } });
    const url = forwarder.parameterStoreUrl(new SSMProvider({ awsSdkV3Client: client }), { parameterName: PARAMETER, cacheSeconds: 0 });
    // Act
    const act = url();
    // Assess
    await expect(act).rejects.toThrow(`SSM parameter ${PARAMETER}: the Slack webhook URL (the parameter is empty)`);
  });
});
