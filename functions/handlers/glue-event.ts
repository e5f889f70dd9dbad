/**
 * The guard's event boundary: an EventBridge event from Glue, parsed with Powertools' parser. The envelope
 * is Powertools' EventBridge schema written in zod/mini (the parser's own EventBridgeSchema is classic zod,
 * 445 KB, which would double the Lambda bundle): the compiler holds it to Powertools' `EventBridgeEvent`
 * type, key for key, and tightens what Glue guarantees (source, account, detail-type); the detail schemas
 * are the core's.
 */
import { parse } from '@aws-lambda-powertools/parser';
import type { EventBridgeEvent } from '@aws-lambda-powertools/parser/types';
import * as z from 'zod/mini';
import { InputError, InputErrors, checkJsonShape, formatIssuePath } from '../core/errors.js';
import {
  CRAWLER_STATE_CHANGE,
  DATABASE_STATE_CHANGE,
  TABLE_STATE_CHANGE,
  crawlerStateChangeDetail,
  databaseStateChangeDetail,
  tableStateChangeDetail,
} from '../core/guard/glue-events.js';

/** Powertools' EventBridgeSchema, field for field (`detail-type` and `detail` are per event below). */
const envelope = {
  version: z.string(),
  id: z.string(),
  source: z.literal('aws.glue'),
  account: z.string().check(z.regex(/^\d{12}$/, 'a 12-digit account id')),
  time: z.iso.datetime(),
  region: z.string().check(z.minLength(1)),
  resources: z.array(z.string()),
  'replay-name': z.optional(z.string()),
} satisfies Record<Exclude<keyof EventBridgeEvent, 'detail-type' | 'detail'>, z.ZodMiniType>;

export const glueEvent = z.discriminatedUnion('detail-type', [
  z.looseObject({ ...envelope, 'detail-type': z.literal(TABLE_STATE_CHANGE), detail: tableStateChangeDetail }),
  z.looseObject({ ...envelope, 'detail-type': z.literal(DATABASE_STATE_CHANGE), detail: databaseStateChangeDetail }),
  z.looseObject({ ...envelope, 'detail-type': z.literal(CRAWLER_STATE_CHANGE), detail: crawlerStateChangeDetail }),
]);

/** Compiles only while every Glue event is also an EventBridgeEvent as Powertools defines it. */
type ConformsTo<Base, T extends Base> = T;
export type GlueEvent = ConformsTo<EventBridgeEvent, z.infer<typeof glueEvent>>;

/** A Standard Schema issue (what the parser's ParseError carries as its cause). */
interface Issue {
  readonly message: string;
  readonly path?: readonly unknown[];
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null || !('message' in value) || typeof value.message !== 'string') return false;
  return !('path' in value) || value.path === undefined || Array.isArray(value.path);
}

/** A path segment is a key, or `{ key }` (Standard Schema allows both). */
function pathKey(segment: unknown): PropertyKey {
  if (typeof segment === 'string' || typeof segment === 'number' || typeof segment === 'symbol') return segment;
  const key: unknown = typeof segment === 'object' && segment !== null && 'key' in segment ? segment.key : undefined;
  return typeof key === 'string' || typeof key === 'number' || typeof key === 'symbol' ? key : String(segment);
}

function inputErrorsFrom(error: Error): InputErrors {
  const issues = Array.isArray(error.cause) ? error.cause.filter(isIssue) : [];
  if (issues.length === 0) return new InputErrors([new InputError('event', '', error.message, { cause: error })]);
  return new InputErrors(issues.map((issue) => new InputError('event', formatIssuePath((issue.path ?? []).map(pathKey)), issue.message)));
}

/** Parses an EventBridge event from Glue; anything else is an InputErrors naming the field. */
export function parseGlueEvent(event: unknown): GlueEvent {
  checkJsonShape('event', event);
  const parsed = parse(event, undefined, glueEvent, true);
  if (!parsed.success) throw inputErrorsFrom(parsed.error);
  return parsed.data;
}
