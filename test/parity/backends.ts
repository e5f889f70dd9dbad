/**
 * The two emulators the parity scenarios run on, behind one shape: SDK clients, the environment for the CLI, a reset,
 * and a per-backend capture of what the guard sent out. On moto the capture is AWS's own wiring (an SQS queue
 * subscribed to the SNS topic; an EventBridge rule with an SQS target); the local stack has no SQS, so there it
 * reads the messages the stack received (`sns.published`, `eventBridge.entries`), as its other tests do.
 */
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { DEFAULT_EVENT_SOURCE } from '../../functions/aws/event-publisher.js';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';
import { type MotoServer, startMoto } from '../support/moto.js';
import { RESUME_REQUEST_SOURCE } from '../../functions/core/reviewing/resume-request.js';

export const EVENT_BUS = 'drift-guard-parity';
export const TOPIC = 'drift-guard-parity-alerts';

export interface CapturedAlert {
  readonly subject: string | undefined;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

export interface CapturedEvent {
  readonly detailType: string;
  readonly source: string;
  readonly detail: unknown;
}

export interface Backend {
  readonly name: 'moto' | 'local stack';
  readonly region: string;
  readonly accountId: string;
  readonly clients: { readonly glue: GlueClient; readonly sns: SNSClient; readonly eventBridge: EventBridgeClient };
  /** Environment for the `drift-guard` binary (AWS_ENDPOINT_URL & co). */
  env(): NodeJS.ProcessEnv;
  /** Empties every service, then creates the topic and bus the guard publishes to, wired to the capture. */
  reset(): Promise<{ readonly topicArn: string }>;
  /** Alerts published on the topic since the last reset, in order. */
  alerts(): Promise<CapturedAlert[]>;
  /** Events put on the guard's bus since the last reset (outcome events, resume requests), in order. */
  outcomeEvents(): Promise<CapturedEvent[]>;
  stop(): Promise<void>;
}

function clientsFor(config: object) {
  return { glue: new GlueClient(config), sns: new SNSClient(config), eventBridge: new EventBridgeClient(config) };
}

// ---- moto: SQS over its JSON protocol (the project has no SQS client; four calls do not justify one) ----

async function sqs(endpoint: string, action: string, body: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SQS ${action}: HTTP ${String(response.status)} ${text}`);
  return text === '' ? {} : JSON.parse(text);
}

const queueCreated = z.object({ QueueUrl: z.string() });
const queueAttributes = z.object({ Attributes: z.object({ QueueArn: z.string() }) });
const received = z.object({ Messages: z.array(z.object({ Body: z.string(), ReceiptHandle: z.string() })).optional() });
const snsEnvelope = z.object({
  Message: z.string(),
  Subject: z.string().optional(),
  MessageAttributes: z.record(z.string(), z.object({ Value: z.string() })).optional(),
});
const eventEnvelope = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown() });

async function createQueue(endpoint: string, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = queueCreated.parse(await sqs(endpoint, 'CreateQueue', { QueueName: name }));
  const { Attributes } = queueAttributes.parse(await sqs(endpoint, 'GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl, arn: Attributes.QueueArn };
}

/** Every message waiting in the queue, deleted as read (the order SQS gives; standard queues keep it here). */
async function drainQueue(endpoint: string, url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = received.parse(await sqs(endpoint, 'ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return bodies;
    for (const m of Messages) {
      bodies.push(m.Body);
      await sqs(endpoint, 'DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    }
  }
}

export async function motoBackend(python: string): Promise<Backend> {
  const moto: MotoServer = await startMoto(python);
  const clients = clientsFor(moto.clientConfig());
  let queues: { alerts: string; events: string } | undefined;
  const captured: { alerts: CapturedAlert[]; events: CapturedEvent[] } = { alerts: [], events: [] };
  return {
    name: 'moto',
    region: moto.region,
    accountId: moto.accountId,
    clients,
    env: () => moto.env(),
    async reset() {
      const response = await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset: HTTP ${String(response.status)}`);
      captured.alerts = [];
      captured.events = [];
      const alertsQueue = await createQueue(moto.endpoint, 'parity-alerts');
      const eventsQueue = await createQueue(moto.endpoint, 'parity-events');
      queues = { alerts: alertsQueue.url, events: eventsQueue.url };
      const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: TOPIC }));
      if (TopicArn === undefined) throw new Error('moto CreateTopic: no TopicArn');
      await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: alertsQueue.arn }));
      await clients.eventBridge.send(new CreateEventBusCommand({ Name: EVENT_BUS }));
      await clients.eventBridge.send(
        new PutRuleCommand({ Name: 'parity-outcomes', EventBusName: EVENT_BUS, EventPattern: JSON.stringify({ source: [DEFAULT_EVENT_SOURCE, RESUME_REQUEST_SOURCE] }) }),
      );
      await clients.eventBridge.send(
        new PutTargetsCommand({ Rule: 'parity-outcomes', EventBusName: EVENT_BUS, Targets: [{ Id: 'queue', Arn: eventsQueue.arn }] }),
      );
      return { topicArn: TopicArn };
    },
    async alerts() {
      if (queues === undefined) return [];
      for (const body of await drainQueue(moto.endpoint, queues.alerts)) {
        const envelope = snsEnvelope.parse(JSON.parse(body));
        captured.alerts.push({
          subject: envelope.Subject,
          message: envelope.Message,
          attributes: Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value])),
        });
      }
      return [...captured.alerts];
    },
    async outcomeEvents() {
      if (queues === undefined) return [];
      for (const body of await drainQueue(moto.endpoint, queues.events)) {
        const event = eventEnvelope.parse(JSON.parse(body));
        captured.events.push({ detailType: event['detail-type'], source: event.source, detail: event.detail });
      }
      return [...captured.events];
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await moto.stop();
    },
  };
}

export async function localBackend(): Promise<Backend> {
  const stack: LocalStack = await startLocalStack({ seed: 11 });
  const clients = clientsFor(stack.clientConfig());
  return {
    name: 'local stack',
    region: stack.region,
    accountId: stack.accountId,
    clients,
    env: () => ({
      AWS_ENDPOINT_URL: stack.endpoint,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    }),
    reset() {
      stack.reset();
      return Promise.resolve({ topicArn: stack.sns.createTopic(TOPIC) });
    },
    alerts() {
      return Promise.resolve(
        stack.sns.published.map((m) => ({
          subject: m.subject,
          message: m.message,
          attributes: Object.fromEntries(Object.entries(m.messageAttributes).map(([k, v]) => [k, v.StringValue])),
        })),
      );
    },
    outcomeEvents() {
      return Promise.resolve(
        stack.eventBridge.entries
          .filter((e) => e.eventBusName === EVENT_BUS && e.errorCode === undefined)
          .map((e) => ({ detailType: e.detailType ?? '', source: e.source ?? '', detail: e.detailJson })),
      );
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await stack.stop();
    },
  };
}
