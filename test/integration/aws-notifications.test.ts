/**
 * The SNS notifier and the EventBridge publisher with real SDK clients over HTTP against the local stack
 * (SNS query protocol, EventBridge JSON 1.1), including throttling under the SDK's default retry.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../functions/aws/errors.js';
import { createEventPublisher } from '../../functions/aws/event-publisher.js';
import { createSnsNotifier } from '../../functions/aws/sns-notifier.js';
import type { AlertMessage, OutcomeEvent } from '../../functions/core/ports.js';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let sns: SNSClient;
let events: EventBridgeClient;

const alert: AlertMessage = {
  subject: 'Schema drift blocked: sales.orders',
  body: JSON.stringify({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: 'Drift', description: 'a & b < c' } }),
  attributes: { database: 'sales', table: 'orders', incident: 'inc-0001' },
};

const outcome: OutcomeEvent = {
  detailType: 'Glue Schema Drift Blocked',
  detail: { incidentId: 'inc-0001', database: 'sales', table: 'orders', findings: [] },
  resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
};

beforeAll(async () => {
  stack = await startLocalStack({ seed: 31 });
  sns = new SNSClient(stack.clientConfig());
  events = new EventBridgeClient(stack.clientConfig());
});

afterAll(async () => {
  sns.destroy();
  events.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
});

describe('SnsNotifier over the local stack', () => {
  it('lands in the topic with subject, body and String attributes', async () => {
    // Prepare
    const topicArn = stack.sns.createTopic('drift-alerts');
    const notifier = createSnsNotifier({ client: sns, topicArn });

    // Act
    await notifier.publish(alert);

    // Assess
    expect(stack.sns.published).toEqual([
      expect.objectContaining({
        topicArn,
        subject: alert.subject,
        message: alert.body,
        messageAttributes: {
          database: { DataType: 'String', StringValue: 'sales' },
          table: { DataType: 'String', StringValue: 'orders' },
          incident: { DataType: 'String', StringValue: 'inc-0001' },
        },
      }),
    ]);
  });

  it('fails with a typed error naming sns:Publish for a topic that does not exist', async () => {
    // Prepare
    const notifier = createSnsNotifier({ client: sns, topicArn: stack.sns.topicArn('missing') });

    // Act
    const error: unknown = await notifier.publish(alert).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ action: 'sns:Publish' });
    expect(stack.sns.published).toEqual([]);
  });
});

describe('EventPublisher over the local stack', () => {
  it('lands one entry on the bus with source, detail-type, detail and resources', async () => {
    // Prepare
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-guard' });

    // Act
    await publisher.publish(outcome);

    // Assess
    expect(stack.eventBridge.entries).toEqual([
      expect.objectContaining({
        eventBusName: 'drift-guard',
        source: 'glue-drift-guard',
        detailType: 'Glue Schema Drift Blocked',
        detailJson: outcome.detail,
        resources: outcome.resources,
        eventId: expect.any(String) as unknown,
      }),
    ]);
  });
});

describe('notifications over the local stack: throttling', () => {
  it('get through a 30% throttle rate with the default SDK retry', async () => {
    // Prepare
    stack.faults.set({ throttleRate: 0.3, services: ['sns', 'events'] });
    const topicArn = stack.sns.createTopic('drift-alerts');
    const notifier = createSnsNotifier({ client: sns, topicArn });
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-guard' });

    // Act
    for (let i = 0; i < 3; i += 1) {
      await notifier.publish(alert);
      await publisher.publish(outcome);
    }

    // Assess
    expect(stack.sns.published).toHaveLength(3);
    expect(stack.eventBridge.entries).toHaveLength(3);
    expect(stack.calls.count({ fault: 'throttle' })).toBeGreaterThan(0);
  });
});
