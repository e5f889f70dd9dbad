/**
 * The guard wired to the local stack: the same core guard and AWS adapters as in Lambda, with SDK
 * clients pointed at the stack, subscribed to the stack's event bus as EventBridge would invoke it.
 * Used by the integration tests and by `npm start`.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { createEventPublisher } from '../../functions/aws/event-publisher.js';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { retryConfig } from '../../functions/aws/client-config.js';
import { type GlueStoredTable, createGlueCatalog } from '../../functions/aws/glue-catalog.js';
import type { CatalogPort } from '../../functions/core/ports.js';
import { createGlueWorkflows } from '../../functions/aws/glue-workflows.js';
import { createSnsNotifier } from '../../functions/aws/sns-notifier.js';
import { type ContractIndex, loadContractIndex } from '../../functions/core/contracts/contract-index.js';
import { DEFAULT_SETTINGS, type GuardSettings, createGuard } from '../../functions/core/guard/guard.js';
import { type GuardSummary, type HandlerLog, createGuardHandler } from '../../functions/handlers/guard-app.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './index.js';

export const LOCAL_EVENT_BUS = 'drift-guard-local';
export const LOCAL_TOPIC = 'drift-guard-alerts';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: readonly Record<string, unknown>[];
}

/** A logger that keeps records (and optionally prints them as JSON lines, like Powertools would). */
export function recordingLog(print = false): HandlerLog & { readonly records: LogRecord[] } {
  const records: LogRecord[] = [];
  const write = (level: LogRecord['level']) => (message: string, ...extra: Record<string, unknown>[]) => {
    records.push({ level, message, extra });
    if (print) console.log(JSON.stringify({ level, message, ...Object.assign({}, ...extra) }));
  };
  return { records, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export interface GuardedStack {
  readonly stack: LocalStack;
  readonly topicArn: string;
  readonly contracts: ContractIndex;
  readonly handler: (event: unknown) => Promise<GuardSummary>;
  /** A new deploy: the guard reloads its contracts from `contractsDir` (as a new Lambda version would). */
  redeploy(contractsDir: string): Promise<void>;
  /** Every summary the handler returned, in delivery order. */
  readonly summaries: GuardSummary[];
  readonly log: ReturnType<typeof recordingLog>;
  readonly clients: { readonly glue: GlueClient; readonly sns: SNSClient; readonly eventBridge: EventBridgeClient };
  stop(): Promise<void>;
}

export interface GuardedStackOptions {
  readonly contractsDir: string;
  readonly settings?: Partial<GuardSettings>;
  readonly stack?: LocalStackOptions;
  /** Print the guard's log lines. */
  readonly printLog?: boolean;
  /** SDK attempts per call (the SDK's retry with back-off); default the guard's production setting. */
  readonly maxAttempts?: number;
  /**
   * First retry delay in ms, doubling per attempt (the SDK's ConfiguredRetryStrategy). Default: the SDK's own
   * back-off (about 1 s for throttling), as in production; tests that throttle on purpose shorten it.
   */
  readonly retryDelayMs?: number;
  /** The guard's clock (tests move it forward to prove recovery after an interrupted delivery). */
  readonly now?: () => Date;
  /** Wraps the catalog adapter (tests use it to make a write race the guard's restore). */
  readonly wrapCatalog?: (catalog: CatalogPort<GlueStoredTable>, stack: LocalStack) => CatalogPort<GlueStoredTable>;
}

export async function startGuardedStack(options: GuardedStackOptions): Promise<GuardedStack> {
  const stack = await startLocalStack(options.stack);
  try {
    const retry = retryConfig({});
    const maxAttempts = options.maxAttempts ?? retry.maxAttempts;
    const delay = options.retryDelayMs;
    const config = {
      ...stack.clientConfig(),
      ...retry,
      maxAttempts,
      ...(delay === undefined ? {} : { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, (attempt: number) => delay * 2 ** attempt) }),
    };
    const clients = { glue: new GlueClient(config), sns: new SNSClient(config), eventBridge: new EventBridgeClient(config) };
    const topic = stack.sns.createTopic(LOCAL_TOPIC);
    const log = recordingLog(options.printLog ?? false);
    const summaries: GuardSummary[] = [];
    const catalog = (options.wrapCatalog ?? ((c) => c))(createGlueCatalog({ client: clients.glue }), stack);
    /** Loads the contracts and subscribes a guard built on them: what a deploy does. */
    const deploy = async (contractsDir: string) => {
      const contracts = await loadContractIndex(contractsDir);
      const guard = createGuard(
        {
          catalog,
          workflows: createGlueWorkflows({ client: clients.glue }),
          notifier: createSnsNotifier({ client: clients.sns, topicArn: topic }),
          events: createEventPublisher({ client: clients.eventBridge, eventBusName: LOCAL_EVENT_BUS }),
          contracts,
          log,
          ...(options.now === undefined ? {} : { now: options.now }),
        },
        { ...DEFAULT_SETTINGS, ...options.settings },
      );
      const handler = createGuardHandler(guard, log);
      const unsubscribe = stack.bus.subscribe(
        async (event) => {
          summaries.push(await handler(event));
        },
        { source: ['aws.glue'] },
      );
      return { contracts, handler, unsubscribe };
    };
    let deployed = await deploy(options.contractsDir);
    return {
      stack,
      topicArn: topic,
      get contracts() {
        return deployed.contracts;
      },
      handler: (event) => deployed.handler(event),
      async redeploy(contractsDir: string) {
        deployed.unsubscribe();
        deployed = await deploy(contractsDir);
      },
      summaries,
      log,
      clients,
      stop: async () => {
        for (const client of Object.values(clients)) client.destroy();
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
