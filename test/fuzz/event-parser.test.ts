/**
 * Fuzzing the EventBridge boundary: `parseGlueEvent` and `unwrapRedrive` accept the three Glue events
 * (and a dead-letter record wrapping one) and reject anything else with an InputErrors naming the
 * field, never an untyped exception and never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../functions/core/errors.js';
import { workFor } from '../../functions/core/guard/glue-events.js';
import { type GlueEvent, parseGlueEvent } from '../../functions/handlers/glue-event.js';
import { unwrapRedrive } from '../../functions/handlers/redrive.js';
import {
  SUITE_TIMEOUT,
  anyJson,
  anyValue,
  applyMutations,
  attempt,
  describeThrown,
  fuzzParameters,
  inputErrorViolations,
  isRecord,
  mutationPlan,
  reshaped,
  slowness,
} from './support.js';

const DETAIL_TYPES = ['Glue Data Catalog Table State Change', 'Glue Data Catalog Database State Change', 'Glue Crawler State Change'];

/** A real partition table change (the guard judges the partitions it names). */
const REAL_EVENT = {
  version: '0',
  id: 'a5f0e1b2-0000-4000-8000-000000000001',
  'detail-type': 'Glue Data Catalog Table State Change',
  source: 'aws.glue',
  account: '123456789012',
  time: '2026-11-21T02:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { databaseName: 'sales', tableName: 'orders', typeOfChange: 'BatchCreatePartition', changedPartitions: ['[2026-11-21]'] },
};

/** What Lambda's on-failure destination puts in the dead-letter queue. */
function redriveRecord(event: unknown): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: '2026-11-21T03:00:09.000Z',
    requestContext: {
      requestId: 'c0ffee',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:glue-drift-guard-prod-guard:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'AwsCallError', errorMessage: 'sns:Publish failed: InternalError' },
  };
}

const glueName = fc.oneof(fc.constantFrom('sales', 'orders', 'raw_events', 'ünïcode', '😀', 'constructor', '__proto__'), fc.string({ minLength: 1, maxLength: 16 }));

const envelope = fc.record(
  {
    version: fc.constant('0'),
    id: fc.uuid(),
    source: fc.constant('aws.glue'),
    account: fc.stringMatching(/^\d{12}$/),
    time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
    resources: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }),
    'replay-name': fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['version', 'id', 'source', 'account', 'time', 'region', 'resources'] },
);

const tableEvent = fc.record({
  envelope,
  detail: fc.record(
    {
      databaseName: glueName,
      tableName: glueName,
      typeOfChange: fc.oneof(fc.constantFrom('UpdateTable', 'CreateTable', 'DeleteTable', 'BatchCreatePartition', 'UpdatePartition'), glueName),
      changedPartitions: fc.array(fc.string({ maxLength: 20 }), { maxLength: 100 }),
    },
    { requiredKeys: ['databaseName', 'tableName', 'typeOfChange'] },
  ),
}).map(({ envelope: e, detail }) => ({ ...e, 'detail-type': 'Glue Data Catalog Table State Change', detail }));

const databaseEvent = fc.record({
  envelope,
  detail: fc.record(
    {
      databaseName: glueName,
      typeOfChange: fc.oneof(fc.constantFrom('CreateTable', 'DeleteTable', 'CreateDatabase'), glueName),
      changedTables: fc.array(glueName, { maxLength: 100 }),
    },
    { requiredKeys: ['databaseName', 'typeOfChange'] },
  ),
}).map(({ envelope: e, detail }) => ({ ...e, 'detail-type': 'Glue Data Catalog Database State Change', detail }));

const crawlerEvent = fc.record({
  envelope,
  detail: fc.record({ crawlerName: glueName, state: fc.oneof(fc.constantFrom('Succeeded', 'Failed', 'Started'), glueName) }),
}).map(({ envelope: e, detail }) => ({ ...e, 'detail-type': 'Glue Crawler State Change', detail }));

const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(fc.constant(REAL_EVENT), tableEvent, databaseEvent, crawlerEvent);

/** What an accepted event promises the guard. */
function acceptedViolations(event: GlueEvent): string[] {
  const problems: string[] = [];
  // Typed as literals, checked as values: the types promise what this property tests.
  const detailType: string = event['detail-type'];
  const source: string = event.source;
  if (!DETAIL_TYPES.includes(detailType)) problems.push(`accepted detail-type ${detailType}`);
  if (source !== 'aws.glue') problems.push('accepted a source other than aws.glue');
  if (!/^\d{12}$/.test(event.account)) problems.push(`accepted account ${event.account}`);
  if (Object.getPrototypeOf(event) !== Object.prototype || Object.getPrototypeOf(event.detail) !== Object.prototype) {
    problems.push('the parsed event does not have a plain prototype');
  }
  const work = attempt(() => workFor(event));
  if (!work.ok) return [...problems, `workFor threw on an accepted event: ${describeThrown(work.error)}`];
  const w = work.value;
  if (w.kind === 'tables' && w.tables.some((t) => typeof t.database !== 'string' || t.database === '' || typeof t.table !== 'string' || t.table === '')) {
    problems.push('workFor named a table without a database or table name');
  }
  if (w.kind === 'crawler' && (typeof w.crawlerName !== 'string' || w.crawlerName === '')) problems.push('workFor named an empty crawler');
  if (w.kind === 'partitions' && (w.table.database === '' || w.table.table === '' || w.changedPartitions.length === 0)) problems.push('workFor named partitions without a table or without a partition');
  if (w.kind === 'ignore' && w.reason === '') problems.push('workFor ignored the event without a reason');
  return problems;
}

/** Every problem with how `parseGlueEvent` treated `input`; [] when it behaved. */
function parseViolations(input: unknown): string[] {
  const outcome = attempt(() => parseGlueEvent(input));
  const slow = slowness(outcome, 'parseGlueEvent');
  return [...slow, ...(outcome.ok ? acceptedViolations(outcome.value) : inputErrorViolations(outcome.error, 'event'))];
}

/** The same for `unwrapRedrive` followed by `parseGlueEvent`, as the guard's handler does. */
function redriveViolations(input: unknown): string[] {
  const unwrapped = attempt(() => unwrapRedrive(input));
  if (!unwrapped.ok) return [`unwrapRedrive threw: ${describeThrown(unwrapped.error)}`];
  return [...slowness(unwrapped, 'unwrapRedrive'), ...parseViolations(unwrapped.value)];
}

describe('fuzz: Glue EventBridge event parser', { timeout: SUITE_TIMEOUT }, () => {
  it('property: arbitrary values are parsed or rejected with InputErrors naming the event', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, anyJson), (input) => {
        expect(parseViolations(input)).toEqual([]);
        expect(redriveViolations(input)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: generated valid events are accepted unchanged and turned into work', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        const outcome = attempt(() => parseGlueEvent(event));
        expect(outcome).toMatchObject({ ok: true, value: event });
        expect(parseViolations(event)).toEqual([]);
        // A redriven dead-letter record hands back the very event it wraps.
        expect(unwrapRedrive(redriveRecord(event))).toBe(event);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated valid events (deleted, retyped, huge, unicode, deep, "__proto__" fields) are parsed or rejected with InputErrors', () => {
    fc.assert(
      fc.property(validEvent, mutationPlan, (event, plan) => {
        const mutated = applyMutations(event, plan);
        expect(parseViolations(mutated)).toEqual([]);
        expect(redriveViolations(mutated)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: top-level fields replaced by arbitrary values are parsed or rejected with InputErrors', () => {
    fc.assert(
      fc.property(validEvent.chain(reshaped), (input) => {
        expect(parseViolations(input)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: mutated dead-letter records unwrap without throwing, and what they hand back is parsed or rejected', () => {
    fc.assert(
      fc.property(validEvent, mutationPlan, (event, plan) => {
        const mutated = applyMutations(redriveRecord(event), plan);
        expect(redriveViolations(mutated)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: deleting or retyping a required field is rejected, reported at that field', () => {
    const required: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
      'Glue Data Catalog Table State Change': [['detail', 'databaseName'], ['detail', 'tableName'], ['detail', 'typeOfChange']],
      'Glue Data Catalog Database State Change': [['detail', 'databaseName'], ['detail', 'typeOfChange']],
      'Glue Crawler State Change': [['detail', 'crawlerName'], ['detail', 'state']],
    };
    const envelopeFields = ['version', 'id', 'account', 'time', 'region', 'resources', 'detail'].map((k): readonly [string] => [k]);
    fc.assert(
      fc.property(validEvent, fc.nat(), fc.constantFrom<unknown>(undefined, null, 42, '', [], {}, ['x'], true), (event, pick, replacement) => {
        const paths = [...envelopeFields, ...(required[String(event['detail-type'])] ?? [])];
        const path = paths[pick % paths.length] ?? ['version'];
        const field = path.join('.');
        // Replacements that are still valid: an empty version or id, another list of resources.
        fc.pre(!((field === 'version' || field === 'id') && replacement === '') && !(field === 'resources' && Array.isArray(replacement)));
        const broken = structuredClone(event);
        const holder: unknown = path.length === 1 ? broken : broken[path[0]];
        if (isRecord(holder)) holder[path[path.length - 1] ?? ''] = replacement;
        const outcome = attempt(() => parseGlueEvent(broken));
        const error = outcome.ok ? 'accepted' : outcome.error;
        expect(inputErrorViolations(error, 'event')).toEqual([]);
        const fields = error instanceof InputErrors ? error.errors.map((e) => e.field) : error instanceof InputError ? [error.field] : [];
        expect(fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)), `fields reported: ${fields.join(', ')}`).toBe(true);
      }),
      fuzzParameters(),
    );
  });
});
