/** A Lambda context for handlers invoked outside Lambda (tests, benchmarks): what Lambda passes, nothing more. */
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from '../../infra/local/index.js';

/** The callbacks @types/aws-lambda still requires on a Context (deprecated; nothing calls them). */
const legacyCallbacks = { done: () => undefined, fail: () => undefined, succeed: () => undefined };

export function lambdaContext(functionName: string, requestId: string, { region = 'us-east-1', account = LOCAL_ACCOUNT_ID } = {}): Context {
  return {
    ...legacyCallbacks,
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 60_000,
  };
}

/** The event EventBridge Scheduler / a schedule rule sends at `time` (with no `input` configured on the target). */
export function scheduledEvent(time: string, { region = 'us-east-1', account = LOCAL_ACCOUNT_ID } = {}) {
  return {
    version: '0',
    id: `schedule-${time}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time,
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/glue-drift-guard-prod-reconcile-schedule`],
    detail: {},
  };
}
