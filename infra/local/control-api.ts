/**
 * Test/CLI control endpoints under `/_local/` (plain JSON, not an AWS protocol):
 *   GET  /_local/health                  endpoint, region, account
 *   GET  /_local/faults                  active fault configuration
 *   POST /_local/faults                  set faults: {throttleRate?, errorRate?, latencyMs?, operations?, services?, failNext?}
 *   DELETE /_local/faults                clear faults
 *   GET  /_local/calls                   call log and counts per operation
 *   GET  /_local/events                  every event published on the local bus
 *   GET  /_local/sns/published           every SNS Publish received
 *   GET  /_local/eventbridge/entries     every PutEvents entry received
 *   POST /_local/crawlers/run            simulate a crawl: {crawlerName, writes: [{databaseName?, tableInput, partitions?}], fail?}
 *   POST /_local/partitions              seed partitions: {databaseName, tableName, partitions: [PartitionInput], emit?}
 *   POST /_local/reset                   drop all state
 */
import { z } from 'zod';
import type { LocalEventBus } from './bus.js';
import type { CallLog } from './call-log.js';
import type { LocalEventBridge } from './eventbridge.js';
import { AwsServiceError } from './errors.js';
import { faultConfigSchema, type FaultInjector } from './faults.js';
import type { LocalGlue } from './glue/local-glue.js';
import { partitionInputSchema, tableInputSchema } from './glue/schemas.js';
import type { LocalSns } from './sns.js';
import { formatValidationIssues } from './validation.js';

export interface ControlDeps {
  readonly info: () => Readonly<Record<string, unknown>>;
  readonly glue: LocalGlue;
  readonly sns: LocalSns;
  readonly eventBridge: LocalEventBridge;
  readonly bus: LocalEventBus;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly reset: () => void;
}

export interface ControlResponse {
  readonly status: number;
  readonly body: unknown;
}

const crawlerRunSchema = z.strictObject({
  crawlerName: z.string().min(1),
  writes: z
    .array(
      z.strictObject({
        databaseName: z.string().min(1).optional(),
        tableInput: tableInputSchema,
        partitions: z.array(partitionInputSchema).optional(),
      }),
    )
    .default([]),
  fail: z.string().min(1).optional(),
});

const seedPartitionsSchema = z.strictObject({
  databaseName: z.string().min(1),
  tableName: z.string().min(1),
  partitions: z.array(partitionInputSchema),
  emit: z.boolean().optional(),
});

function parseJson(text: string): unknown {
  return text.trim() === '' ? {} : JSON.parse(text);
}

function validated<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AwsServiceError('ValidationException', formatValidationIssues(result.error.issues, input));
  return result.data;
}

export function handleControl(deps: ControlDeps, method: string, path: string, body: string): ControlResponse {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_local/health':
        return { status: 200, body: { status: 'ok', ...deps.info() } };
      case 'GET /_local/faults':
        return { status: 200, body: deps.faults.current() };
      case 'POST /_local/faults':
        deps.faults.set(validated(faultConfigSchema, parseJson(body)));
        return { status: 200, body: deps.faults.current() };
      case 'DELETE /_local/faults':
        deps.faults.clear();
        return { status: 200, body: deps.faults.current() };
      case 'GET /_local/calls':
        return { status: 200, body: { calls: deps.calls.list(), countByOperation: deps.calls.countByOperation() } };
      case 'GET /_local/events':
        return { status: 200, body: { events: deps.bus.events } };
      case 'GET /_local/sns/published':
        return { status: 200, body: { published: deps.sns.published } };
      case 'GET /_local/eventbridge/entries':
        return { status: 200, body: { entries: deps.eventBridge.entries } };
      case 'POST /_local/crawlers/run': {
        const req = validated(crawlerRunSchema, parseJson(body));
        const writes = req.writes.map((w) => ({
          ...(w.databaseName === undefined ? {} : { databaseName: w.databaseName }),
          tableInput: w.tableInput,
          ...(w.partitions === undefined ? {} : { partitions: w.partitions }),
        }));
        const options = req.fail === undefined ? {} : { fail: req.fail };
        return { status: 200, body: deps.glue.simulateCrawlerRun(req.crawlerName, writes, options) };
      }
      case 'POST /_local/partitions': {
        const req = validated(seedPartitionsSchema, parseJson(body));
        const created = deps.glue.partitions.seed(req.databaseName, req.tableName, req.partitions, req.emit === undefined ? {} : { emit: req.emit });
        return { status: 200, body: { created: created.length } };
      }
      case 'POST /_local/reset':
        deps.reset();
        return { status: 200, body: { status: 'reset' } };
      default:
        return { status: 404, body: { error: 'NotFound', message: `No control route ${route}` } };
    }
  } catch (error: unknown) {
    if (error instanceof AwsServiceError) return { status: error.status, body: { error: error.code, message: error.message } };
    if (error instanceof SyntaxError) return { status: 400, body: { error: 'SerializationException', message: error.message } };
    throw error;
  }
}
