/**
 * EventBridge PutEvents over AWS JSON 1.1 (`X-Amz-Target: AWSEvents.PutEvents`). Every entry is stored in
 * `entries`; accepted entries are also published on the local bus as EventBridge envelopes (subscribe with
 * `{ source: ['aws.glue'] }` to see only Glue's own events), and routed to the rules of their bus
 * (eventbridge-rules.ts, which also serves the rule operations).
 */
import { z } from 'zod';
import type { BusEvent } from './bus.js';
import { LocalEventRules, type RuleTargetInvoker } from './eventbridge-rules.js';
import { eventsError } from './errors.js';
import type { Prng } from './prng.js';
import { eventTime } from './glue/events.js';
import { parseRequest } from './validation.js';

export interface PutEventsEntryRecord {
  readonly eventId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly eventBusName: string;
  readonly source?: string;
  readonly detailType?: string;
  /** Detail as sent (a JSON string). */
  readonly detail?: string;
  /** Detail parsed (undefined when it was not valid JSON). */
  readonly detailJson?: unknown;
  readonly resources: readonly string[];
  readonly time: Date;
}

const MAX_ENTRIES = 10;
/**
 * "The total entry size must be less than 256KB" (EventBridge user guide, "Calculating Amazon EventBridge PutEvents
 * event entry size"): 256 KB is 262,144 bytes, and "less than" is taken strictly.
 */
const MAX_ENTRY_BYTES = 262_144;
/** Time counts 14 bytes when specified. */
const TIME_BYTES = 14;
/** What AWS answers (HTTP 400, ValidationException) when the entries of a request are too large. */
export const ENTRIES_TOO_LARGE_MESSAGE = 'Total size of the entries in the request is over the limit.';

/**
 * An entry's size as EventBridge computes it: 14 bytes for Time if specified, the UTF-8 bytes of Source,
 * DetailType, Detail and each of Resources. EventBusName and TraceHeader do not count, nor does JSON escaping.
 */
export function putEventsEntrySize(entry: { readonly Time?: number | undefined; readonly Source?: string | undefined; readonly DetailType?: string | undefined; readonly Detail?: string | undefined; readonly Resources?: readonly string[] | undefined }): number {
  const bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (entry.Time === undefined ? 0 : TIME_BYTES) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0);
}

const entrySchema = z.object({
  Time: z.number().optional(),
  Source: z.string().min(1).max(256).optional(),
  Resources: z.array(z.string().min(0).max(2048)).optional(),
  DetailType: z.string().min(1).max(128).optional(),
  Detail: z.string().optional(),
  EventBusName: z.string().min(1).max(1600).optional(),
  TraceHeader: z.string().max(500).optional(),
});

const putEventsSchema = z.object({
  Entries: z.array(entrySchema).min(1).max(MAX_ENTRIES, {
    message: `Member must have length less than or equal to ${String(MAX_ENTRIES)}`,
  }),
  EndpointId: z.string().optional(),
});

type Entry = z.output<typeof entrySchema>;

const detailObjectSchema = z.record(z.string(), z.unknown());

/** EventBridge requires Detail to be a JSON object. */
function parseDetail(detail: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return undefined;
  }
  const parsed = detailObjectSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export class LocalEventBridge {
  private readonly entryLog: PutEventsEntryRecord[] = [];
  private readonly region: string;
  private readonly accountId: string;
  private readonly ids: Prng;
  private readonly publish: (event: BusEvent) => void;
  /** Rules and their targets (infra/local/eventbridge-rules.ts). */
  readonly rules: LocalEventRules;

  constructor(options: { region: string; accountId: string; ids: Prng; publish: (event: BusEvent) => void; invokeTarget?: RuleTargetInvoker }) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.ids = options.ids;
    this.publish = options.publish;
    this.rules = new LocalEventRules({ region: options.region, accountId: options.accountId, invoke: options.invokeTarget ?? (() => undefined) });
  }

  /** Every PutEvents entry received (accepted or failed), oldest first. */
  get entries(): readonly PutEventsEntryRecord[] {
    return this.entryLog;
  }

  clear(): void {
    this.entryLog.length = 0;
    this.rules.clear();
  }

  handle(operation: string, body: unknown): unknown {
    if (LocalEventRules.OPERATIONS.includes(operation)) return this.rules.handle(operation, body);
    if (operation !== 'PutEvents') throw eventsError.unknownOperation(`AWSEvents.${operation}`);
    const req = parseRequest(putEventsSchema, body, eventsError.validation);
    // Counted per entry as AWS documents it (not the HTTP body, whose JSON escaping AWS does not count). Whether AWS
    // fails only the oversized entry or the whole request is not documented; the strict side fails the request,
    // with the message AWS is reported to answer, and records nothing.
    const sizes = req.Entries.map(putEventsEntrySize);
    if (sizes.some((size) => size >= MAX_ENTRY_BYTES) || sizes.reduce((a, b) => a + b, 0) >= MAX_ENTRY_BYTES) {
      throw eventsError.validation(ENTRIES_TOO_LARGE_MESSAGE);
    }
    const results = req.Entries.map((entry) => this.accept(entry));
    return {
      FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length,
      Entries: results,
    };
  }

  private accept(entry: Entry): { EventId?: string; ErrorCode?: string; ErrorMessage?: string } {
    const time = entry.Time === undefined ? new Date() : new Date(entry.Time * 1000);
    const base = {
      eventBusName: entry.EventBusName ?? 'default',
      ...(entry.Source === undefined ? {} : { source: entry.Source }),
      ...(entry.DetailType === undefined ? {} : { detailType: entry.DetailType }),
      ...(entry.Detail === undefined ? {} : { detail: entry.Detail }),
      resources: entry.Resources ?? [],
      time,
    };
    const fail = (code: string, message: string): { ErrorCode: string; ErrorMessage: string } => {
      this.entryLog.push({ ...base, errorCode: code, errorMessage: message });
      return { ErrorCode: code, ErrorMessage: message };
    };
    if (entry.Source === undefined) return fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
    if (entry.DetailType === undefined) {
      return fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    }
    if (entry.Detail === undefined) return fail('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
    const detail = parseDetail(entry.Detail);
    if (detail === undefined) return fail('MalformedDetail', 'Detail is malformed.');
    const eventId = this.ids.uuid();
    this.entryLog.push({ ...base, eventId, detailJson: detail });
    const envelope: BusEvent = {
      version: '0',
      id: eventId,
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.accountId,
      time: eventTime(time),
      region: this.region,
      resources: entry.Resources ?? [],
      detail,
    };
    this.publish(envelope);
    const bus = base.eventBusName.startsWith('arn:') ? base.eventBusName.slice(base.eventBusName.lastIndexOf('/') + 1) : base.eventBusName;
    this.rules.route(bus, envelope);
    return { EventId: eventId };
  }
}
