/**
 * Lambda entry point (optional, for teams without AWS Chatbot): subscribed to the alert topic, it posts
 * each alert to a Slack incoming webhook as Block Kit. The webhook URL is a secret: it lives in Parameter
 * Store as a SecureString, named by SLACK_WEBHOOK_PARAMETER, and is read with Powertools Parameters
 * (decrypted, cached for SLACK_WEBHOOK_CACHE_SECONDS) — never in the template or the environment.
 *
 * `createSlackForwarder` is the testable wiring (parse, render, post; any webhook); the module scope
 * below builds the production one at cold start, where a missing or bad setting fails naming the variable.
 */
import { GetParameterError } from '@aws-lambda-powertools/parameters';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { Context, SNSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { retryConfig } from '../aws/client-config.js';
import { awsCallError } from '../aws/errors.js';
import { type SlackWebhookPort, createSlackWebhook } from '../aws/slack-webhook.js';
import { InputError, formatIssuePath } from '../core/errors.js';
import { MalformedAlertError, parseChatbotNotification, renderSlackMessage } from '../core/wording/slack-blocks.js';
import { createFunctionLogger, functionLog, logInvocation } from './logging.js';
import { unwrapRedrive } from './redrive.js';

/** The SNS → Lambda event, as far as forwarding needs it (one record per event, as SNS delivers). */
const snsEvent = z.looseObject({
  Records: z
    .array(
      z.looseObject({
        EventSource: z.literal('aws:sns'),
        Sns: z.looseObject({
          MessageId: z.string().check(z.minLength(1)),
          TopicArn: z.string(),
          Message: z.string(),
          MessageAttributes: z.optional(z.record(z.string(), z.looseObject({ Type: z.string(), Value: z.string() }))),
        }),
      }),
    )
    .check(z.minLength(1)),
});

/** An invocation that is not an SNS event: thrown, so the async retry and failure destination keep it. */
export class MalformedSnsEventError extends Error {
  override readonly name = 'MalformedSnsEventError';
  constructor(readonly problems: readonly string[]) {
    super(`malformed SNS event: ${problems.join('; ')}`);
  }
}

export interface ForwarderLog {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface ForwardSummary {
  readonly forwarded: readonly { readonly messageId: string; readonly incident?: string; readonly blocks: number }[];
}

/** String attributes only (the guard sets nothing else); Binary and Number ones are not for chat. */
function stringAttributes(attributes: Readonly<Record<string, { Type: string; Value: string }>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes ?? {}).flatMap(([name, a]) => (a.Type === 'String' ? [[name, a.Value]] : [])));
}

export function createSlackForwarder({ webhook, log }: { webhook: SlackWebhookPort; log: ForwarderLog }) {
  return async (event: SNSEvent): Promise<ForwardSummary> => {
    // A failure record redriven from the dead-letter queue carries the SNS event it failed on.
    const parsed = snsEvent.safeParse(unwrapRedrive(event));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${formatIssuePath(issue.path) || '(event)'}: ${issue.message}`);
      log.error('not an SNS event', { problems });
      throw new MalformedSnsEventError(problems);
    }
    const forwarded: ForwardSummary['forwarded'][number][] = [];
    for (const { Sns: sns } of parsed.data.Records) {
      const attributes = stringAttributes(sns.MessageAttributes);
      let notification;
      try {
        notification = parseChatbotNotification(sns.Message);
      } catch (error) {
        if (error instanceof MalformedAlertError) log.error('alert is not a Chatbot custom notification', { messageId: sns.MessageId, topicArn: sns.TopicArn, problems: error.problems });
        throw error;
      }
      const message = renderSlackMessage(notification, attributes);
      const incident = notification.metadata?.additionalContext?.incidentId ?? attributes.incident;
      await webhook.post(message);
      forwarded.push({ messageId: sns.MessageId, ...(incident === undefined ? {} : { incident }), blocks: message.blocks.length });
      log.info('alert forwarded to Slack', { messageId: sns.MessageId, incident, database: attributes.database, table: attributes.table, blocks: message.blocks.length });
    }
    return { forwarded };
  };
}

/** SSM parameter names: letters, digits, `_ . - /`, at most 1,011 characters; here a full path. */
const parameterName = z.string().check(z.regex(/^\/[\w.\-/]{1,1010}$/, 'an SSM parameter name starting with / (a SecureString holding the webhook URL)'));

const environment = z.object({
  SLACK_WEBHOOK_PARAMETER: z.optional(parameterName),
  SLACK_WEBHOOK_SECRET_ARN: z.optional(z.string()),
  SLACK_WEBHOOK_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(86_400)), 300),
});

export interface ForwarderConfig {
  readonly parameterName: string;
  /** How long a fetched URL is reused: a rotated URL is picked up within this time. */
  readonly cacheSeconds: number;
}

/** The forwarder's settings, read once at cold start; a missing or bad value fails naming the variable. */
export function readForwarderConfig(env: NodeJS.ProcessEnv): ForwarderConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const variable = String(issue?.path[0] ?? 'environment');
    const value = env[variable];
    throw new InputError('environment', variable, `${issue?.message ?? 'a value'}${value === undefined ? ' (not set)' : ` (got "${value}")`}`);
  }
  const { SLACK_WEBHOOK_PARAMETER: name, SLACK_WEBHOOK_SECRET_ARN: secretArn, SLACK_WEBHOOK_CACHE_SECONDS: cacheSeconds } = parsed.data;
  if (secretArn !== undefined) {
    // Powertools' getSecret needs @aws-sdk/client-secrets-manager, which this project does not install.
    throw new InputError(
      'environment',
      'SLACK_WEBHOOK_SECRET_ARN',
      'not supported by this build (@aws-sdk/client-secrets-manager is not installed): store the webhook URL as an SSM SecureString and set SLACK_WEBHOOK_PARAMETER',
    );
  }
  if (name === undefined) {
    throw new InputError('environment', 'SLACK_WEBHOOK_PARAMETER', 'an SSM parameter name starting with / (a SecureString holding the webhook URL) (not set)');
  }
  return { parameterName: name, cacheSeconds };
}

/** What the forwarder needs of Powertools' SSMProvider (tests hand it one over a mocked SSM client). */
export interface ParameterReader {
  get(name: string, options: { decrypt: boolean; maxAge: number }): Promise<unknown>;
}

/** The webhook URL from Parameter Store, decrypted, cached by Powertools for `cacheSeconds`. */
export function parameterStoreUrl(provider: ParameterReader, config: ForwarderConfig): () => Promise<string> {
  return async () => {
    let value: unknown;
    try {
      value = await provider.get(config.parameterName, { decrypt: true, maxAge: config.cacheSeconds });
    } catch (error) {
      throw awsCallError('ssm:GetParameter', error instanceof GetParameterError && error.cause !== undefined ? error.cause : error);
    }
    if (typeof value !== 'string' || value.trim() === '') throw new InputError(`SSM parameter ${config.parameterName}`, '', 'the Slack webhook URL (the parameter is empty)');
    return value;
  };
}

const log = functionLog(createFunctionLogger('glue-drift-guard-slack'));
const config = readForwarderConfig(process.env);
const ssm = new SSMProvider({ clientConfig: retryConfig() });
const forward = createSlackForwarder({ webhook: createSlackWebhook({ url: parameterStoreUrl(ssm, config) }), log });

export const handler = (event: SNSEvent, context: Context) => logInvocation(log, context, () => forward(event));
