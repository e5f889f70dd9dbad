/**
 * The local AWS stack, fault injection: deterministic (seeded) throttling, 5xx, latency and fail-next faults,
 * as the real SDK v3 clients and their retry strategy see them; also the HTTP control endpoint and the call log.
 */
import { EventBridgeClient, PutEventsCommand, ThrottlingException as EventsThrottlingException } from '@aws-sdk/client-eventbridge';
import {
  ConcurrentModificationException,
  GetDatabaseCommand,
  GetTableCommand,
  GlueClient,
  InternalServiceException,
  ThrottlingException,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { CreateTopicCommand, PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/index.js';

let stack: LocalStack;
let glue: GlueClient;
let glueNoRetry: GlueClient;

const getOrders = new GetTableCommand({ DatabaseName: 'sales', Name: 'orders' });

async function postFaults(body: unknown, method = 'POST'): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${stack.endpoint}/_local/faults`, { method, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  stack = await startLocalStack({ seed: 2024 });
  glue = new GlueClient(stack.clientConfig());
  glueNoRetry = new GlueClient({ ...stack.clientConfig(), maxAttempts: 1 });
});

afterAll(async () => {
  glue.destroy();
  glueNoRetry.destroy();
  await stack.stop();
});

beforeEach(() => {
  stack.reset();
  stack.glue.putTable('sales', { Name: 'orders', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] } }, { emit: false });
});

describe('local stack faults: throttling', () => {
  it('surfaces ThrottlingException "Rate exceeded" (HTTP 400) to a client with maxAttempts 1', async () => {
    // Prepare
    stack.faults.set({ throttleRate: 1 });

    // Act
    const error = await failure(glueNoRetry.send(getOrders));

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 1 } });
    expect(stack.calls.list()).toEqual([expect.objectContaining({ operation: 'GetTable', ok: false, error: 'ThrottlingException', fault: 'throttle' })]);
  });

  it('lets the default SDK retry strategy get through a 30% throttle rate, retries visible in the call log', async () => {
    // Prepare
    stack.faults.set({ throttleRate: 0.3, operations: ['GetTable'] });

    // Act
    const attempts: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const out = await glue.send(getOrders);
      attempts.push(out.$metadata.attempts ?? 0);
    }

    // Assess
    const throttled = stack.calls.count({ operation: 'GetTable', fault: 'throttle' });
    expect(stack.calls.count({ operation: 'GetTable', ok: true })).toBe(8);
    expect(throttled).toBeGreaterThan(0);
    expect(stack.calls.count('GetTable')).toBe(8 + throttled);
    expect(attempts.reduce((a, b) => a + b, 0)).toBe(8 + throttled);
    expect(attempts.some((a) => a > 1)).toBe(true);
  });

  it('injects the same faults for the same seed', async () => {
    // Prepare
    const run = async (): Promise<(string | undefined)[]> => {
      stack.faults.clear();
      stack.calls.clear();
      stack.faults.set({ throttleRate: 0.5 });
      for (let i = 0; i < 6; i += 1) await failure(glueNoRetry.send(getOrders));
      return stack.calls.list().map((c) => c.error);
    };

    // Act
    const first = await run();
    const second = await run();

    // Assess
    expect(first).toEqual(second);
    expect(first).toContain('ThrottlingException');
    expect(first).toContain(undefined);
  });

  it('uses each service’s own throttling error: SNS Throttled (429), EventBridge ThrottlingException', async () => {
    // Prepare
    const sns = new SNSClient({ ...stack.clientConfig(), maxAttempts: 1 });
    const events = new EventBridgeClient({ ...stack.clientConfig(), maxAttempts: 1 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    stack.faults.set({ throttleRate: 1, services: ['sns', 'events'] });

    // Act
    const snsError = await failure(sns.send(new PublishCommand({ TopicArn, Message: 'hi' })));
    const eventsError = await failure(events.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] })));
    const glueStillFine = await glue.send(getOrders);
    sns.destroy();
    events.destroy();

    // Assess
    expect(snsError).toBeInstanceOf(ThrottledException);
    expect(snsError).toMatchObject({ $metadata: { httpStatusCode: 429 } });
    expect(eventsError).toBeInstanceOf(EventsThrottlingException);
    expect(glueStillFine.Table?.Name).toBe('orders');
    expect(stack.sns.published).toHaveLength(0);
  });
});

describe('local stack faults: 5xx, latency, fail-next', () => {
  it('returns InternalServiceException (HTTP 500, server fault); the SDK retries it up to maxAttempts', async () => {
    // Prepare
    stack.faults.set({ errorRate: 1, operations: ['GetTable'] });

    // Act
    const once = await failure(glueNoRetry.send(getOrders));
    stack.calls.clear();
    const withRetries = await failure(glue.send(getOrders));

    // Assess
    expect(once).toBeInstanceOf(InternalServiceException);
    expect(once).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(withRetries).toBeInstanceOf(InternalServiceException);
    expect(withRetries).toMatchObject({ $metadata: { attempts: 3 } });
    expect(stack.calls.count({ operation: 'GetTable', fault: 'error' })).toBe(3);
  });

  it('adds latency to in-scope operations only and records it', async () => {
    // Prepare
    stack.faults.set({ latencyMs: 25, operations: ['GetTable'] });

    // Act
    await glue.send(getOrders);
    await glue.send(new GetDatabaseCommand({ Name: 'sales' }));

    // Assess
    expect(stack.calls.list().map((c) => [c.operation, c.injectedLatencyMs])).toEqual([
      ['GetTable', 25],
      ['GetDatabase', 0],
    ]);
  });

  it('fails the next N calls of one operation with the given error, then recovers', async () => {
    // Prepare
    stack.faults.set({ failNext: { operation: 'UpdateTable', error: 'ConcurrentModificationException', count: 1 } });
    const update = new UpdateTableCommand({ DatabaseName: 'sales', TableInput: { Name: 'orders' } });

    // Act
    const first = await failure(glue.send(update));
    await glue.send(update);

    // Assess
    expect(first).toBeInstanceOf(ConcurrentModificationException);
    expect(stack.glue.getTable('sales', 'orders')?.VersionId).toBe('1');
    expect(stack.calls.list().map((c) => [c.operation, c.error, c.fault])).toEqual([
      ['UpdateTable', 'ConcurrentModificationException', 'failNext'],
      ['UpdateTable', undefined, undefined],
    ]);
  });

  it('shows transient-error retries in $metadata.attempts', async () => {
    // Prepare
    stack.faults.set({ failNext: { operation: 'GetTable', error: 'InternalServiceException', count: 2 } });

    // Act
    const out = await glue.send(getOrders);

    // Assess
    expect(out.$metadata.attempts).toBe(3);
    expect(stack.calls.countByOperation()).toEqual({ GetTable: 3 });
    expect(stack.faults.current().failNext).toEqual([]);
  });
});

describe('local stack faults: HTTP control endpoint', () => {
  it('injects and clears faults in a running stack over POST/DELETE /_local/faults', async () => {
    // Prepare
    const set = await postFaults({ throttleRate: 1, operations: ['GetTable'] });

    // Act
    const throttled = await failure(glueNoRetry.send(getOrders));
    const unaffected = await glueNoRetry.send(new GetDatabaseCommand({ Name: 'sales' }));
    const cleared = await postFaults(undefined, 'DELETE');
    const recovered = await glueNoRetry.send(getOrders);

    // Assess
    expect(set).toEqual({ status: 200, json: expect.objectContaining({ throttleRate: 1, operations: ['GetTable'] }) as unknown });
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(unaffected.Database?.Name).toBe('sales');
    expect(cleared.status).toBe(200);
    expect(recovered.Table?.Name).toBe('orders');
  });

  it('rejects an invalid fault configuration with a 400 and keeps the old one', async () => {
    // Prepare
    stack.faults.set({ latencyMs: 5 });

    // Act
    const response = await postFaults({ throttleRate: 2 });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'ValidationException' });
    expect(stack.faults.current().latencyMs).toBe(5);
  });

  it('serves the call log and counts per operation over GET /_local/calls', async () => {
    // Prepare
    await glue.send(getOrders);
    await glue.send(getOrders);
    await glue.send(new GetDatabaseCommand({ Name: 'sales' }));

    // Act
    const response = await fetch(`${stack.endpoint}/_local/calls`);

    // Assess
    expect(await response.json()).toMatchObject({ countByOperation: { GetTable: 2, GetDatabase: 1 } });
  });
});
