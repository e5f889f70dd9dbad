/**
 * Test harness: the guard on the local stack, composed by the production factory (`buildGuardHandler`),
 * with what tests, the benchmarks and the chaos runs look at afterwards: every summary, every log record,
 * the SDK clients. Only tests, bench and chaos use it; the demo and `drift-guard local` use
 * infra/local/demo/local-guard.ts.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { retryConfig } from '../../functions/aws/client-config.js';
import { type GlueStoredTable, createGlueCatalog } from '../../functions/aws/glue-catalog.js';
import type { ContractIndex } from '../../functions/core/contracts/contract-index.js';
import type { GuardSettings } from '../../functions/core/guard/guard.js';
import type { CatalogPort } from '../../functions/core/ports.js';
import { readConfig } from '../../functions/handlers/config.js';
import { type GuardHandler, type GuardSummary, buildGuardHandler } from '../../functions/handlers/guard-app.js';
import type { HandlerLog } from '../../functions/handlers/logging.js';
import { type ReconcileHandler, type ReconcileSummary, buildReconcileHandler } from '../../functions/handlers/reconcile-app.js';
import { RESUME_REQUEST_SOURCE } from '../../functions/core/reviewing/resume-request.js';
import { LOCAL_EVENT_BUS, LOCAL_TOPIC } from '../../infra/local/demo/local-guard.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/index.js';

export { LOCAL_EVENT_BUS, LOCAL_TOPIC };

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: readonly Record<string, unknown>[];
  /** The keys the line carries: the invocation's (appendKeys, the Lambda request id) and a child's. */
  readonly keys: Readonly<Record<string, unknown>>;
}

export type RecordingLog = HandlerLog & { readonly records: LogRecord[] };

/**
 * A log that keeps records. Like a Powertools child logger, a child carries the invocation's keys as they
 * were when it was created, plus its own.
 */
export function recordingLog(): RecordingLog {
  const records: LogRecord[] = [];
  let invocation: Record<string, unknown> = {};
  const make = (childKeys: Readonly<Record<string, unknown>> | undefined): HandlerLog => {
    const write = (level: LogRecord['level']) => (message: string, ...extra: Record<string, unknown>[]) => {
      const keys = childKeys ?? { ...invocation };
      records.push({ level, message, extra, keys });
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      addContext: (context) => {
        invocation = { ...invocation, function_request_id: context.awsRequestId };
      },
      appendKeys: (keys) => {
        invocation = { ...invocation, ...keys };
      },
      resetKeys: () => {
        invocation = {};
      },
      child: (keys) => make({ ...(childKeys ?? invocation), ...keys }),
    };
  };
  return Object.assign(make(undefined), { records });
}

export interface GuardedStack {
  readonly stack: LocalStack;
  readonly topicArn: string;
  readonly contracts: ContractIndex;
  readonly handler: GuardHandler;
  /**
   * A new deploy: the guard and reconcile reload their contracts from `contractsDir` (as new Lambda versions would);
   * with `reconcile`, reconcile then runs as the stack's update event makes it run.
   */
  redeploy(contractsDir: string, options?: { readonly reconcile?: boolean }): Promise<void>;
  /** What reconcile answered (resume requests, and runs after a deploy), in order. */
  readonly reconciled: ReconcileSummary[];
  /** The reconcile function of the deployed contracts, built by the production wiring on the same clients and log. */
  reconcile(): Promise<ReconcileHandler>;
  /** Every summary the handler returned, in delivery order. */
  readonly summaries: GuardSummary[];
  readonly log: RecordingLog;
  readonly clients: { readonly glue: GlueClient; readonly sns: SNSClient; readonly eventBridge: EventBridgeClient };
  stop(): Promise<void>;
}

export interface GuardedStackOptions {
  readonly contractsDir: string;
  readonly settings?: Partial<GuardSettings>;
  readonly stack?: LocalStackOptions;
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
    const log = recordingLog();
    const summaries: GuardSummary[] = [];
    const reconciled: ReconcileSummary[] = [];
    const catalog = (options.wrapCatalog ?? ((c) => c))(createGlueCatalog({ client: clients.glue }), stack);
    const wiring = (contractsDir: string) => ({
      config: readConfig({ CONTRACTS_DIR: contractsDir, ALERT_TOPIC_ARN: topic, EVENT_BUS_NAME: LOCAL_EVENT_BUS, GUARD_MODE: 'enforce' }),
      clients,
      log,
      catalog,
      ...(options.settings === undefined ? {} : { settings: options.settings }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    /** Loads the contracts and subscribes a guard built on them: what a deploy does. */
    const deploy = async (contractsDir: string) => {
      const built = await buildGuardHandler(wiring(contractsDir));
      const unsubscribeGuard = stack.bus.subscribe(
        async (event) => {
          summaries.push(await built.handler(event));
        },
        { source: ['aws.glue'] },
      );
      // The reconcile function, deployed with the same contracts: it answers reviewers' resume requests.
      const reconcile = await buildReconcileHandler(wiring(contractsDir));
      const origin = { region: stack.region, account: stack.accountId };
      const unsubscribeReconcile = stack.bus.subscribe(
        async (event) => {
          reconciled.push(await reconcile.handle(event, origin));
        },
        { source: [RESUME_REQUEST_SOURCE] },
      );
      const unsubscribe = (): void => {
        unsubscribeGuard();
        unsubscribeReconcile();
      };
      return { ...built, reconcile, unsubscribe };
    };
    let deployed = await deploy(options.contractsDir);
    return {
      stack,
      topicArn: topic,
      get contracts() {
        return deployed.contracts;
      },
      handler: (event, context) => deployed.handler(event, context),
      async redeploy(contractsDir: string, { reconcile = false }: { readonly reconcile?: boolean } = {}) {
        deployed.unsubscribe();
        deployed = await deploy(contractsDir);
        // What a real deploy does next: the stack's update event invokes reconcile.
        if (reconcile) reconciled.push(await deployed.reconcile.handle({ reconcile: 'now' }, { region: stack.region, account: stack.accountId }));
      },
      reconciled,
      reconcile: () => Promise.resolve(deployed.reconcile.handler),
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
