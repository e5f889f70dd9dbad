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
import { type GuardSummary, buildGuardHandler } from '../../../functions/handlers/guard-app.js';
import { createFunctionLogger, functionLog } from '../../../functions/handlers/logging.js';
import { type LocalStack, startLocalStack } from '../index.js';

export const LOCAL_EVENT_BUS = 'drift-guard-local';
export const LOCAL_TOPIC = 'drift-guard-alerts';

export interface LocalGuard {
  readonly stack: LocalStack;
  readonly topicArn: string;
  readonly summaries: GuardSummary[];
}

export interface LocalGuardOptions {
  readonly contractsDir: string;
  readonly port?: number;
  /** Print the guard's structured log lines (Powertools JSON). */
  readonly verbose?: boolean;
  readonly mode?: 'enforce' | 'observe';
  /** Called with each handled event's summary, as it happens. */
  readonly onSummary?: (summary: GuardSummary) => void;
}

export async function startLocalGuard(options: LocalGuardOptions): Promise<LocalGuard> {
  // The AWS SDK's notice that its Node 20 support ends (Lambda runs Node 22): true, but noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = await startLocalStack({ seed: 7, ...(options.port === undefined ? {} : { port: options.port }) });
  try {
    const topicArn = stack.sns.createTopic(LOCAL_TOPIC);
    const config = readConfig({ CONTRACTS_DIR: options.contractsDir, ALERT_TOPIC_ARN: topicArn, EVENT_BUS_NAME: LOCAL_EVENT_BUS, GUARD_MODE: options.mode ?? 'enforce' });
    const clientConfig = { ...stack.clientConfig(), ...retryConfig({}) };
    const { handler } = await buildGuardHandler({
      config,
      clients: { glue: new GlueClient(clientConfig), sns: new SNSClient(clientConfig), eventBridge: new EventBridgeClient(clientConfig) },
      log: functionLog(createFunctionLogger('glue-drift-guard', options.verbose === true ? 'INFO' : 'SILENT')),
    });
    const summaries: GuardSummary[] = [];
    stack.bus.subscribe(
      async (event) => {
        const summary = await handler(event);
        summaries.push(summary);
        options.onSummary?.(summary);
      },
      { source: ['aws.glue'] },
    );
    return { stack, topicArn, summaries };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
