/**
 * One Powertools Logger per function: the Lambda context and the invocation's keys on every line, cleared
 * when the invocation ends; `child` (the guard core's per-table log) keeps all of it and adds its keys.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Guard } from '../../functions/core/guard/guard.js';
import { MalformedEventError, createGuardHandler } from '../../functions/handlers/guard-app.js';
import { createFunctionLogger, functionLog, logInvocation } from '../../functions/handlers/logging.js';
import { recordingLog } from '../support/guarded-stack.js';

/** The callbacks @types/aws-lambda still requires on a Context (deprecated; nothing here calls them). */
const legacyCallbacks = { done: () => undefined, fail: () => undefined, succeed: () => undefined };

function lambdaContext(requestId: string): Context {
  return {
    ...legacyCallbacks,
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'glue-drift-guard-prod-guard',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:glue-drift-guard-prod-guard',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/glue-drift-guard-prod-guard',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
  };
}

const line = z.looseObject({ message: z.string(), cold_start: z.optional(z.boolean()), function_request_id: z.optional(z.string()) });

/** The JSON lines Powertools wrote (stdout, and stderr for warnings and errors) while `run` ran, in order. */
async function printed(run: () => Promise<void>): Promise<z.infer<typeof line>[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => line.parse(JSON.parse(l)));
}

describe('The function logger (Powertools Logger)', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('POWERTOOLS_DEV', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('puts the context and the invocation keys on every line, a child adds its own, and the keys go when the invocation ends', async () => {
    // Prepare
    const log = functionLog(createFunctionLogger('glue-drift-guard'));
    // Act
    const lines = await printed(async () => {
      for (const requestId of ['req-1', 'req-2']) {
        await logInvocation(log, lambdaContext(requestId), () => {
          log.appendKeys({ eventId: `event-${requestId}`, detailType: 'Glue Data Catalog Table State Change' });
          log.info('parent');
          const table = log.child({ database: 'sales', table: 'orders' });
          table.info('table');
          table.child({ incidentId: 'dg-1' }).warn('incident');
          log.info('parent again');
          return Promise.resolve();
        });
      }
      log.info('between invocations');
    });
    // Assess
    expect(lines.map((l) => [l.message, l.function_request_id, l.cold_start, l.eventId, l.database, l.incidentId])).toEqual([
      ['parent', 'req-1', true, 'event-req-1', undefined, undefined],
      ['table', 'req-1', true, 'event-req-1', 'sales', undefined],
      ['incident', 'req-1', true, 'event-req-1', 'sales', 'dg-1'],
      ['parent again', 'req-1', true, 'event-req-1', undefined, undefined],
      ['parent', 'req-2', false, 'event-req-2', undefined, undefined],
      // Powertools alone would say cold_start: true here (a child's own flag starts true).
      ['table', 'req-2', false, 'event-req-2', 'sales', undefined],
      ['incident', 'req-2', false, 'event-req-2', 'sales', 'dg-1'],
      ['parent again', 'req-2', false, 'event-req-2', undefined, undefined],
      ['between invocations', 'req-2', false, undefined, undefined, undefined],
    ]);
    expect(lines[1]).toMatchObject({ service: 'glue-drift-guard', table: 'orders', function_name: 'glue-drift-guard-prod-guard' });
  });

  it('clears the invocation keys when the invocation throws', async () => {
    const log = functionLog(createFunctionLogger('glue-drift-guard'));
    const lines = await printed(async () => {
      await expect(
        logInvocation(log, lambdaContext('req-1'), () => {
          log.appendKeys({ eventId: 'e-1' });
          return Promise.reject(new Error('boom'));
        }),
      ).rejects.toThrow('boom');
      log.info('after');
    });
    expect(lines).toEqual([expect.not.objectContaining({ eventId: expect.anything() as unknown })]);
  });
});

describe('The guard handler log', () => {
  const event = {
    version: '0',
    id: 'a5f0e1b2-0000-4000-8000-000000000001',
    'detail-type': 'Glue Data Catalog Table State Change',
    source: 'aws.glue',
    account: '123456789012',
    time: '2026-11-21T02:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'UpdateTable' },
  };

  it('appends the event id and detail type for the invocation, hands the guard a log whose children carry them, then clears them', async () => {
    // Prepare: a guard that logs through a per-table child, as the core does.
    const log = recordingLog();
    const guard: Pick<Guard, 'handle'> = {
      handle: (work) => {
        if (work.kind === 'tables') for (const ref of work.tables) log.child({ database: ref.database, table: ref.table }).info('table judged');
        return Promise.resolve([]);
      },
    };
    const handler = createGuardHandler(guard, log);
    // Act
    await handler(event, lambdaContext('req-1'));
    log.info('after');
    // Assess
    const keys = { eventId: event.id, detailType: event['detail-type'], function_request_id: 'req-1' };
    expect(log.records.map((r) => [r.message, r.keys])).toEqual([
      ['table judged', { ...keys, database: 'sales', table: 'orders' }],
      ['event handled', keys],
      ['after', {}],
    ]);
  });

  it('logs a malformed event with the request id, no event keys, and clears the context keys', async () => {
    const log = recordingLog();
    const handler = createGuardHandler({ handle: () => Promise.resolve([]) }, log);
    await expect(handler({ ...event, detail: { databaseName: 'sales' } }, lambdaContext('req-9'))).rejects.toThrow(MalformedEventError);
    expect(log.records.map((r) => [r.level, r.message, r.keys])).toEqual([['error', 'malformed Glue event rejected', { function_request_id: 'req-9' }]]);
  });
});
