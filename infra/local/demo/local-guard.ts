/**
 * Runs the real Lambda handler module (functions/handlers/guard.ts) against the local stack, exactly
 * as it runs in AWS: configured by environment variables, its SDK clients pointed at the stack by
 * AWS_ENDPOINT_URL, invoked by the stack's event bus for every `aws.glue` event.
 */
import type { GuardSummary } from '../../../functions/handlers/guard-app.js';
import { type LocalStack, startLocalStack } from '../index.js';
import { LOCAL_EVENT_BUS, LOCAL_TOPIC } from '../guarded-stack.js';

export interface LocalGuard {
  readonly stack: LocalStack;
  readonly topicArn: string;
  readonly summaries: GuardSummary[];
}

export interface LocalGuardOptions {
  readonly contractsDir: string;
  readonly port?: number;
  readonly verbose?: boolean;
  readonly mode?: 'enforce' | 'observe';
  /** Called with each handled event's summary, as it happens. */
  readonly onSummary?: (summary: GuardSummary) => void;
}

export async function startLocalGuard(options: LocalGuardOptions): Promise<LocalGuard> {
  const stack = await startLocalStack({ seed: 7, ...(options.port === undefined ? {} : { port: options.port }) });
  const topicArn = stack.sns.createTopic(LOCAL_TOPIC);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: stack.endpoint,
    AWS_REGION: stack.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CONTRACTS_DIR: options.contractsDir,
    ALERT_TOPIC_ARN: topicArn,
    EVENT_BUS_NAME: LOCAL_EVENT_BUS,
    GUARD_MODE: options.mode ?? 'enforce',
    POWERTOOLS_LOG_LEVEL: options.verbose === true ? 'INFO' : 'SILENT',
    // The AWS SDK's notice that its Node 20 support ends (Lambda runs Node 22): true, but noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  // Imported only now: the module reads its configuration at load, as a Lambda cold start does.
  const { handler } = await import('../../../functions/handlers/guard.js');
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
}

