/**
 * The local AWS stack, notification side, through the real AWS SDK v3 clients: SNS over the AWS query protocol
 * (CreateTopic, Publish with Subject and MessageAttributes, ListTopics) and EventBridge PutEvents (JSON 1.1).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateTopicCommand,
  InvalidParameterException,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type BusEvent, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let sns: SNSClient;
let events: EventBridgeClient;

function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 9 });
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

afterEach(() => {
  stack.bus.unsubscribeAll();
});

describe('local stack: SNS (query protocol)', () => {
  it('records a Publish with subject, message and parsed message attributes', async () => {
    // Prepare
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'drift-alerts' }));
    const message = JSON.stringify({ version: '1.0', source: 'custom', content: { description: 'a & b < c' } });

    // Act
    const out = await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'Schema drift: sales.orders',
        Message: message,
        MessageAttributes: {
          incidentId: { DataType: 'String', StringValue: 'inc-7f3a' },
          severity: { DataType: 'Number', StringValue: '3' },
          raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );

    // Assess
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:drift-alerts');
    expect(stack.sns.published).toEqual([
      {
        messageId: out.MessageId,
        topicArn: TopicArn,
        subject: 'Schema drift: sales.orders',
        message,
        messageAttributes: {
          incidentId: { DataType: 'String', StringValue: 'inc-7f3a' },
          severity: { DataType: 'Number', StringValue: '3' },
          raw: { DataType: 'Binary', BinaryValue: 'AQID' },
        },
        at: expect.any(Date) as unknown,
      },
    ]);
  });

  it('creates topics idempotently and lists them', async () => {
    // Prepare
    await sns.send(new CreateTopicCommand({ Name: 'b-topic' }));
    await sns.send(new CreateTopicCommand({ Name: 'a-topic' }));

    // Act
    const again = await sns.send(new CreateTopicCommand({ Name: 'a-topic' }));
    const { Topics } = await sns.send(new ListTopicsCommand({}));

    // Assess
    expect(again.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:a-topic');
    expect(Topics?.map((t) => t.TopicArn)).toEqual([
      'arn:aws:sns:us-east-1:123456789012:a-topic',
      'arn:aws:sns:us-east-1:123456789012:b-topic',
    ]);
  });

  it('raises NotFoundException for an unknown topic and InvalidParameterException for bad input', async () => {
    // Prepare
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));

    // Act
    const unknownTopic = await failure(sns.send(new PublishCommand({ TopicArn: `${TopicArn ?? ''}-nope`, Message: 'hi' })));
    const emptyMessage = await failure(sns.send(new PublishCommand({ TopicArn, Message: '' })));
    const badSubject = await failure(sns.send(new PublishCommand({ TopicArn, Message: 'hi', Subject: 'line\nbreak' })));
    const badAttribute = await failure(
      sns.send(new PublishCommand({ TopicArn, Message: 'hi', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })),
    );

    // Assess
    expect(unknownTopic).toBeInstanceOf(NotFoundException);
    expect(unknownTopic).toMatchObject({ message: 'Topic does not exist', $metadata: { httpStatusCode: 404 } });
    expect(emptyMessage).toBeInstanceOf(InvalidParameterException);
    expect(badSubject).toBeInstanceOf(InvalidParameterException);
    expect(badAttribute).toBeInstanceOf(InvalidParameterException);
    expect(stack.sns.published).toHaveLength(0);
  });

  it('counts message attributes (name, type, value) toward the 262,144-byte message limit, as AWS documents', async () => {
    // Prepare: a message that fits alone, and one attribute that takes the Publish over
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    const attribute = { incident: { DataType: 'String', StringValue: 'dg-0123456789ab' } };
    const attributeBytes = 'incident'.length + 'String'.length + 'dg-0123456789ab'.length;
    const fits = 'a'.repeat(262_144 - attributeBytes);
    const over = 'a'.repeat(262_144 - attributeBytes + 1);

    // Act
    const accepted = await sns.send(new PublishCommand({ TopicArn, Message: fits, MessageAttributes: attribute }));
    const refused = await failure(sns.send(new PublishCommand({ TopicArn, Message: over, MessageAttributes: attribute })));

    // Assess
    expect(accepted.MessageId).toBeDefined();
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect(refused).toMatchObject({ message: 'Invalid parameter: Message too long' });
    expect(stack.sns.published).toHaveLength(1);
  });

  it('answers an unknown action with an XML InvalidAction error', async () => {
    // Act
    const response = await fetch(stack.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=Subscribe&Version=2010-03-31',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });
});

describe('local stack: EventBridge PutEvents', () => {
  it('records every entry and publishes accepted ones on the local bus', async () => {
    // Prepare
    const received: BusEvent[] = [];
    stack.bus.subscribe(
      (event) => {
        received.push(event);
      },
      { source: ['glue-drift-guard'] },
    );

    // Act
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'glue-drift-guard',
            DetailType: 'Schema Drift Blocked',
            Detail: JSON.stringify({ incidentId: 'inc-1', table: 'sales.orders' }),
            Resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
          },
          { Source: 'glue-drift-guard', DetailType: 'Schema Drift Blocked', Detail: 'not json' },
        ],
      }),
    );
    await stack.bus.drain();

    // Assess
    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(stack.eventBridge.entries.map((e) => [e.source, e.detailType, e.detailJson, e.errorCode])).toEqual([
      ['glue-drift-guard', 'Schema Drift Blocked', { incidentId: 'inc-1', table: 'sales.orders' }, undefined],
      ['glue-drift-guard', 'Schema Drift Blocked', undefined, 'MalformedDetail'],
    ]);
    expect(received).toEqual([
      expect.objectContaining({
        id: out.Entries?.[0]?.EventId,
        source: 'glue-drift-guard',
        'detail-type': 'Schema Drift Blocked',
        detail: { incidentId: 'inc-1', table: 'sales.orders' },
        resources: ['arn:aws:glue:us-east-1:123456789012:table/sales/orders'],
      }),
    ]);
  });

  it('rejects more than 10 entries with a ValidationException', async () => {
    // Prepare
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));

    // Act
    const error = await failure(events.send(new PutEventsCommand({ Entries: entries })));

    // Assess
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(stack.eventBridge.entries).toHaveLength(0);
  });

  it('counts an entry as AWS does: Source, DetailType, Detail, Resources and 14 bytes for Time, not JSON escaping', async () => {
    // Prepare: a Detail full of quotes, so that the request body (escaped) is far larger than the entry
    const base = { Source: 'glue-drift-guard', DetailType: 'Glue Schema Drift Blocked', Resources: ['arn:aws:glue:eu-west-1:123456789012:table/a/b'], Time: new Date(0) };
    const fixed = 14 + Buffer.byteLength(base.Source) + Buffer.byteLength(base.DetailType) + Buffer.byteLength(base.Resources[0] ?? '');
    const detailOf = (bytes: number): string => `{"q":"${'a'.repeat(bytes - 8)}"}`;
    const largest = 262_143 - fixed;
    const fits = detailOf(largest);
    const over = detailOf(largest + 1);

    // Act
    const accepted = await events.send(new PutEventsCommand({ Entries: [{ ...base, Detail: fits }] }));
    const error = await failure(events.send(new PutEventsCommand({ Entries: [{ ...base, Detail: over }] })));

    // Assess: 262,143 bytes pass; 262,144 and more fail the whole request, as AWS answers an oversized request
    expect(Buffer.byteLength(fits)).toBe(largest);
    expect(accepted.FailedEntryCount).toBe(0);
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.', $metadata: { httpStatusCode: 400 } });
    expect(stack.eventBridge.entries).toHaveLength(1);
  });

  it('takes a ~210 KB Detail whose escaping makes a ~350 KB request body: only the entry size counts', async () => {
    // Prepare: every "" in the Detail travels as \"\" in the request
    const detail = JSON.stringify({ empty: Array.from({ length: 70_000 }, () => '') });

    // Act
    const out = await events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: detail }] }));

    // Assess
    expect(out.FailedEntryCount).toBe(0);
  });
});
