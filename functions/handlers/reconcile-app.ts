/** Input parsing for the reconcile handler: what invoked it, and the region and account it runs in. */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Origin } from '../core/ports.js';
import { MalformedEventError } from './errors.js';

const scheduled = z.looseObject({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event') });
const stackChange = z.looseObject({
  source: z.literal('aws.cloudformation'),
  'detail-type': z.literal('CloudFormation Stack Status Change'),
  detail: z.looseObject({ 'status-details': z.looseObject({ status: z.string() }) }),
});
/** A manual run: `aws lambda invoke --payload '{"reconcile":"now"}'`. */
const manual = z.strictObject({ reconcile: z.literal('now') });

export type ReconcileTrigger = 'schedule' | 'deploy' | 'manual';

export function parseReconcileTrigger(event: unknown): ReconcileTrigger {
  if (scheduled.safeParse(event).success) return 'schedule';
  if (stackChange.safeParse(event).success) return 'deploy';
  if (manual.safeParse(event).success) return 'manual';
  throw new MalformedEventError(['expected a Scheduled Event, a CloudFormation Stack Status Change or {"reconcile":"now"}']);
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME` → region and account, without an API call. */
export function originFromContext(context: Pick<Context, 'invokedFunctionArn'>): Origin {
  const [, , , region, account] = context.invokedFunctionArn.split(':');
  if (region === undefined || account === undefined || !/^\d{12}$/.test(account)) {
    throw new MalformedEventError([`invokedFunctionArn "${context.invokedFunctionArn}" is not a Lambda function ARN`]);
  }
  return { region, account };
}
