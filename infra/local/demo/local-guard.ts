/**
 * The guard on the local stack, as `npm start` and `drift-guard local` run it: the handler Lambda runs,
 * built by the same factory (`buildGuardHandler`, functions/handlers/guard-app.ts) from a configuration
 * validated as the function's environment is, with its SDK clients pointed at the stack, invoked by the
 * stack's event bus for every `aws.glue` event.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { retryConfig } from '../../../functions/aws/client-config.js';
import { readConfig } from '../../../functions/handlers/config.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RESUME_REQUEST_SOURCE } from '../../../functions/core/reviewing/resume-request.js';
import { type GuardSummary, buildGuardHandler } from '../../../functions/handlers/guard-app.js';
import { type ReconcileSummary, buildReconcileHandler } from '../../../functions/handlers/reconcile-app.js';
import { createFunctionLogger, functionLog } from '../../../functions/handlers/logging.js';
import { type LocalStack, startLocalStack } from '../index.js';

export const LOCAL_EVENT_BUS = 'drift-guard-local';
export const LOCAL_TOPIC = 'drift-guard-alerts';

export interface LocalGuard {
  readonly stack: LocalStack;
  readonly topicArn: string;
  readonly summaries: GuardSummary[];
  /** Stops watching the contracts directory (if watched). */
  stopWatching(): void;
}

export interface LocalGuardOptions {
  readonly contractsDir: string;
  readonly port?: number;
  /** Print the guard's structured log lines (Powertools JSON). */
  readonly verbose?: boolean;
  readonly mode?: 'enforce' | 'observe';
  /** Called with each handled event's summary, as it happens. */
  readonly onSummary?: (summary: GuardSummary) => void;
  /**
   * Watch the contracts directory: a change is a deploy (the guard and reconcile reload the contracts, then reconcile
   * runs, as the stack's update event makes it run on AWS), so the review loop works locally. Off for the demo.
   */
  readonly watchContracts?: boolean;
  /** Called with what reconcile did: after each reload, and for each resume request. */
  readonly onReconcile?: (summary: ReconcileSummary) => void;
  /** Called when reloaded contracts do not load (the previous ones stay deployed, as a failed deploy leaves them). */
  readonly onDeployError?: (error: unknown) => void;
}

/** A cheap fingerprint of a directory tree: every file's path, size and modification time. */
async function fingerprint(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        const info = await stat(path);
        return `${path}:${String(info.size)}:${String(info.mtimeMs)}`;
      }),
  );
  return files.sort().join('\n');
}

export async function startLocalGuard(options: LocalGuardOptions): Promise<LocalGuard> {
  // The AWS SDK's notice that its Node 20 support ends (Lambda runs Node 22): true, but noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = await startLocalStack({ seed: 7, ...(options.port === undefined ? {} : { port: options.port }) });
  try {
    const topicArn = stack.sns.createTopic(LOCAL_TOPIC);
    const clientConfig = { ...stack.clientConfig(), ...retryConfig({}) };
    const clients = { glue: new GlueClient(clientConfig), sns: new SNSClient(clientConfig), eventBridge: new EventBridgeClient(clientConfig) };
    const log = functionLog(createFunctionLogger('glue-drift-guard', options.verbose === true ? 'INFO' : 'SILENT'));
    const origin = { region: stack.region, account: stack.accountId };
    /** What a deploy does: both functions built on the contracts as they are now. */
    const deploy = async () => {
      const config = readConfig({ CONTRACTS_DIR: options.contractsDir, ALERT_TOPIC_ARN: topicArn, EVENT_BUS_NAME: LOCAL_EVENT_BUS, GUARD_MODE: options.mode ?? 'enforce' });
      const [guard, reconcile] = await Promise.all([buildGuardHandler({ config, clients, log }), buildReconcileHandler({ config, clients, log })]);
      return { guard: guard.handler, reconcile: reconcile.handle };
    };
    let deployed = await deploy();
    const summaries: GuardSummary[] = [];
    stack.bus.subscribe(
      async (event) => {
        const summary = await deployed.guard(event);
        summaries.push(summary);
        options.onSummary?.(summary);
      },
      { source: ['aws.glue'] },
    );
    stack.bus.subscribe(
      async (event) => {
        options.onReconcile?.(await deployed.reconcile(event, origin));
      },
      { source: [RESUME_REQUEST_SOURCE] },
    );
    let timer: NodeJS.Timeout | undefined;
    if (options.watchContracts === true) {
      let seen = await fingerprint(options.contractsDir);
      let busy = false;
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        void (async () => {
          try {
            const now = await fingerprint(options.contractsDir);
            if (now === seen) return;
            seen = now;
            deployed = await deploy();
            options.onReconcile?.(await deployed.reconcile({ reconcile: 'now' }, origin));
          } catch (error) {
            options.onDeployError?.(error);
          } finally {
            busy = false;
          }
        })();
      }, 1_000);
      timer.unref();
    }
    return {
      stack,
      topicArn,
      summaries,
      stopWatching: () => {
        if (timer !== undefined) clearInterval(timer);
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
