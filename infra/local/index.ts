/**
 * glue-drift-guard's local AWS stack: the subset of Glue, EventBridge and SNS the guard uses, spoken over the
 * real wire protocols on 127.0.0.1 so unmodified AWS SDK v3 clients work against it (`endpoint` or
 * `AWS_ENDPOINT_URL`), plus an in-process event bus that delivers the events Glue would emit.
 *
 *   const stack = await startLocalStack({ seed: 7 });
 *   const glue = new GlueClient(stack.clientConfig());
 *   stack.bus.subscribe(handler, { source: ['aws.glue'] });
 *   ...
 *   await stack.bus.drain();
 *   await stack.stop();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalEventBus, type BusOptions } from './bus.js';
import { CallLog } from './call-log.js';
import { LocalEventBridge } from './eventbridge.js';
import { FaultInjector } from './faults.js';
import type { CrawlerRunResult, CrawlerWrite } from './glue/crawlers.js';
import { LocalGlue } from './glue/local-glue.js';
import { createPrng } from './prng.js';
import { createRequestListener } from './server.js';
import { LocalSns } from './sns.js';

export type { BusEvent, BusFilter, BusListener, BusOptions, DeadLetter, DeliveryFailure, DeliveryRecord } from './bus.js';
export { LocalEventBus } from './bus.js';
export type { CallFilter, CallRecord, InjectedFault, ServiceName } from './call-log.js';
export { CallLog } from './call-log.js';
export { AwsServiceError } from './errors.js';
export type { PutEventsEntryRecord } from './eventbridge.js';
export { LocalEventBridge } from './eventbridge.js';
export type { FaultConfig } from './faults.js';
export { FaultInjector } from './faults.js';
export type { CrawlerRun, CrawlerRunResult, CrawlerWrite } from './glue/crawlers.js';
export {
  CRAWLER_STATE_CHANGE,
  DATABASE_STATE_CHANGE,
  TABLE_STATE_CHANGE,
  partitionEventName,
  type CrawlerStateChangeDetail,
  type DatabaseStateChangeDetail,
  type TableStateChangeDetail,
} from './glue/events.js';
export type { GlueSettings } from './glue/context.js';
export { LocalGlue } from './glue/local-glue.js';
export type { BatchUpdatePartitionFailureEntry, PartitionEntryFault, PartitionError } from './glue/partitions.js';
export type { TriggerFiring } from './glue/triggers.js';
export type { SnsMessageAttribute, SnsPublishedMessage, SnsTopic } from './sns.js';
export { LocalSns } from './sns.js';

export const LOCAL_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

export interface LocalStackOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Default us-east-1. */
  readonly region?: string;
  /** Seed for every random choice (faults, duplicates, reordering, ids). Default 1. */
  readonly seed?: number;
  /** Initial event bus behaviour (also changeable later with `bus.configure`). */
  readonly bus?: Partial<BusOptions>;
}

/** Client configuration for the AWS SDK v3 clients (any credentials are accepted). */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface LocalStack {
  /** `http://127.0.0.1:PORT`: the endpoint for Glue, EventBridge and SNS clients (or AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Events Glue (and PutEvents) emit; subscribe, configure duplicates/reordering, drain. */
  readonly bus: LocalEventBus;
  /** Deterministic fault injection (throttling, 5xx, latency, fail-next). */
  readonly faults: FaultInjector;
  /** Every AWS call served, one entry per HTTP attempt. */
  readonly calls: CallLog;
  /** Topics and every Publish received. */
  readonly sns: LocalSns;
  /** Every PutEvents entry received. */
  readonly eventBridge: LocalEventBridge;
  /** Glue state, with a direct API for seeding and inspection. */
  readonly glue: LocalGlue;
  /** `{ endpoint, region, credentials }` for `new GlueClient(...)` & co. */
  clientConfig(): LocalClientConfig;
  /** Runs a crawl: Started event, the writes (stamped UPDATED_BY_CRAWLER), then Succeeded (or Failed). */
  simulateCrawlerRun(crawlerName: string, writes: readonly CrawlerWrite[], options?: { fail?: string }): CrawlerRunResult;
  /** Drops all state, logs, queued events and faults (subscriptions stay). */
  reset(): void;
  /** Closes the server (and its keep-alive connections). */
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('local stack: no TCP address'));
      else resolve(address);
    });
  });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const region = options.region ?? DEFAULT_REGION;
  const seed = options.seed ?? 1;
  const accountId = LOCAL_ACCOUNT_ID;

  const bus = new LocalEventBus(seed, options.bus);
  const faults = new FaultInjector(seed);
  const calls = new CallLog();
  const publish = (event: Parameters<LocalEventBus['publish']>[0]): void => {
    bus.publish(event);
  };
  // What AWS services emit goes to the account's default bus, where rules match it too.
  const emit = (event: Parameters<LocalEventBus['publish']>[0]): void => {
    publish(event);
    eventBridge.rules.route('default', event);
  };
  const glue = new LocalGlue({ region, accountId, seed, ids: createPrng(seed, 'glue-ids'), emit });
  const sns = new LocalSns({ region, accountId, ids: createPrng(seed, 'sns-ids') });
  const eventBridge: LocalEventBridge = new LocalEventBridge({
    region,
    accountId,
    ids: createPrng(seed, 'events-ids'),
    publish,
    invokeTarget: (target) => {
      glue.startWorkflowFromEvent(target.Arn);
    },
  });

  const reset = (): void => {
    glue.clear();
    sns.clear();
    eventBridge.clear();
    bus.clear();
    faults.clear();
    calls.clear();
  };

  let endpoint = '';
  const server = createServer(
    { keepAlive: true },
    createRequestListener({
      glue,
      sns,
      eventBridge,
      bus,
      faults,
      calls,
      reset,
      requestIds: createPrng(seed, 'request-ids'),
      info: () => ({ endpoint, region, accountId }),
    }),
  );
  const address = await listen(server, options.port ?? 0);
  endpoint = `http://127.0.0.1:${String(address.port)}`;

  return {
    endpoint,
    port: address.port,
    region,
    accountId,
    bus,
    faults,
    calls,
    sns,
    eventBridge,
    glue,
    clientConfig: () => ({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    simulateCrawlerRun: (crawlerName, writes, runOptions = {}) => glue.simulateCrawlerRun(crawlerName, writes, runOptions),
    reset,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}
