/**
 * The SNS notifier and the EventBridge publisher against mocked clients: request shapes, rejected entries,
 * and typed errors naming the IAM action.
 */
import {
  AccessDeniedException as EventsAccessDeniedException,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAccessDeniedError, AwsCallError, awsCallError, EventRejectedError } from '../../functions/aws/errors.js';
import { createEventPublisher } from '../../functions/aws/event-publisher.js';
import { createSnsNotifier } from '../../functions/aws/sns-notifier.js';
import type { AlertMessage, OutcomeEvent } from '../../functions/core/ports.js';

const config = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const sns = new SNSClient(config);
const snsMock = mockClient(sns);
const events = new EventBridgeClient(config);
const eventsMock = mockClient(events);

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:drift-alerts';

const alert: AlertMessage = {
  subject: 'Schema drift blocked: sales.orders',
  body: '{"version":"1.0","source":"custom","content":{"description":"x"}}',
  attributes: { database: 'sales', table: 'orders', verdict: 'breaking', empty: '' },
};

const outcome: OutcomeEvent = {
  detailType: 'Glue Schema Drift Blocked',
  detail: { incidentId: 'inc-1', database: 'sales', table: 'orders' },
  resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
};

beforeEach(() => {
  snsMock.reset();
  eventsMock.reset();
});

describe('SnsNotifier', () => {
  it('publishes subject, body and every non-empty attribute as a String attribute', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = createSnsNotifier({ client: sns, topicArn: TOPIC });

    // Act
    await notifier.publish(alert);

    // Assess
    expect(snsMock).toHaveReceivedCommandExactlyOnceWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: alert.subject,
      Message: alert.body,
      MessageAttributes: {
        database: { DataType: 'String', StringValue: 'sales' },
        table: { DataType: 'String', StringValue: 'orders' },
        verdict: { DataType: 'String', StringValue: 'breaking' },
      },
    });
  });

  it('names sns:Publish when the role may not publish', async () => {
    // Prepare
    snsMock.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorized to perform: SNS:Publish', $metadata: {} }));
    const notifier = createSnsNotifier({ client: sns, topicArn: TOPIC });

    // Act
    const error: unknown = await notifier.publish(alert).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'sns:Publish', code: 'AuthorizationErrorException' });
  });
});

describe('EventPublisher', () => {
  it('sends one entry on the bus with the default source', async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-bus' });

    // Act
    await publisher.publish(outcome);

    // Assess
    expect(eventsMock).toHaveReceivedCommandExactlyOnceWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: 'drift-bus',
          Source: 'glue-drift-guard',
          DetailType: 'Glue Schema Drift Blocked',
          Detail: JSON.stringify(outcome.detail),
          Resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
        },
      ],
    });
  });

  it('uses a configured source', async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-bus', source: 'acme.drift' });

    // Act
    await publisher.publish(outcome);

    // Assess
    expect(eventsMock.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Source).toBe('acme.drift');
  });

  it('throws when EventBridge rejects the entry, naming its ErrorCode and ErrorMessage', async () => {
    // Prepare
    eventsMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service error' }] });
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-bus' });

    // Act
    const error: unknown = await publisher.publish(outcome).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(EventRejectedError);
    expect(error).toMatchObject({ errorCode: 'InternalFailure', errorMessage: 'Internal service error', eventBusName: 'drift-bus' });
    expect(String(error)).toContain('InternalFailure: Internal service error');
  });

  it('names events:PutEvents when the role may not put events', async () => {
    // Prepare
    eventsMock.on(PutEventsCommand).rejects(new EventsAccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const publisher = createEventPublisher({ client: events, eventBusName: 'drift-bus' });

    // Act
    const error: unknown = await publisher.publish(outcome).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'events:PutEvents' });
    expect(String(error)).toContain('must allow "events:PutEvents"');
  });
});

describe('awsCallError', () => {
  it('wraps any other failure with the action and the cause', () => {
    // Prepare
    const cause = new TypeError('fetch failed');

    // Act
    const error = awsCallError('glue:GetTable', cause);

    // Assess
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).not.toBeInstanceOf(AwsAccessDeniedError);
    expect(error.message).toBe('glue:GetTable failed: TypeError: fetch failed');
    expect(error.cause).toBe(cause);
  });

  it('passes an AwsCallError through unchanged', () => {
    // Prepare
    const original = new AwsCallError('sns:Publish', 'Throttled', 'sns:Publish failed');

    // Act
    const error = awsCallError('events:PutEvents', original);

    // Assess
    expect(error).toBe(original);
  });
});
