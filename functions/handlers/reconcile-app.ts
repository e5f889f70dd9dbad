/**
 * The reconcile handler and its wiring: what invoked it (a schedule, a deploy, a manual run, or a reviewer's resume
 * request), the region and account it runs in, and `buildReconcileHandler`, the one composition used by the Lambda
 * entry point (reconcile.ts) and the local stack (`drift-guard local`).
 */
import type { GlueClient } from '@aws-sdk/client-glue';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createGlueCatalog } from '../aws/glue-catalog.js';
import { createGluePipelines } from '../aws/glue-pipelines.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import { type ContractIndex, loadContractIndex } from '../core/contracts/contract-index.js';
import { InputErrors } from '../core/errors.js';
import type { Origin } from '../core/ports.js';
import { reconcile } from '../core/reviewing/reconcile.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE, type ResumeRequest, handleResumeRequest, parseResumeRequest } from '../core/reviewing/resume-request.js';
import type { GuardConfig } from './config.js';
import { MalformedEventError } from './errors.js';
import { type HandlerLog, logInvocation } from './logging.js';
import { unwrapRedrive } from './redrive.js';

const scheduled = z.looseObject({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event') });
const stackChange = z.looseObject({
  source: z.literal('aws.cloudformation'),
  'detail-type': z.literal('CloudFormation Stack Status Change'),
  detail: z.looseObject({ 'status-details': z.looseObject({ status: z.string() }) }),
});
/** A manual run: `aws lambda invoke --payload '{"reconcile":"now"}'`. */
const manual = z.strictObject({ reconcile: z.literal('now') });
/** `drift-guard resume` puts this on the guard's event bus; a rule on that bus invokes reconcile with it. */
const resumeRequest = z.looseObject({ source: z.literal(RESUME_REQUEST_SOURCE), 'detail-type': z.literal(RESUME_REQUEST_DETAIL_TYPE), detail: z.unknown() });

export type ReconcileTrigger = 'schedule' | 'deploy' | 'manual' | 'resume-request';

export function parseReconcileTrigger(event: unknown): ReconcileTrigger {
  if (scheduled.safeParse(event).success) return 'schedule';
  if (stackChange.safeParse(event).success) return 'deploy';
  if (manual.safeParse(event).success) return 'manual';
  if (resumeRequest.safeParse(event).success) return 'resume-request';
  throw new MalformedEventError([`expected a Scheduled Event, a CloudFormation Stack Status Change, a "${RESUME_REQUEST_DETAIL_TYPE}" event or {"reconcile":"now"}`]);
}

/** The request a resume-request event carries; a malformed one is thrown (the retry and dead-letter path keep it). */
export function resumeRequestOf(event: unknown): ResumeRequest {
  const parsed = resumeRequest.safeParse(event);
  if (!parsed.success) throw new MalformedEventError([`not a "${RESUME_REQUEST_DETAIL_TYPE}" event`]);
  try {
    return parseResumeRequest(parsed.data.detail);
  } catch (error) {
    if (error instanceof InputErrors) throw new MalformedEventError(error.errors.map((e) => `${e.field}: ${e.expected}`), { cause: error });
    throw error;
  }
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME` → region and account, without an API call. */
export function originFromContext(context: Pick<Context, 'invokedFunctionArn'>): Origin {
  const [, , , region, account] = context.invokedFunctionArn.split(':');
  if (region === undefined || account === undefined || !/^\d{12}$/.test(account)) {
    throw new MalformedEventError([`invokedFunctionArn "${context.invokedFunctionArn}" is not a Lambda function ARN`]);
  }
  return { region, account };
}

export interface ReconcileSummary {
  readonly trigger: ReconcileTrigger;
  readonly incidents: readonly { readonly incidentId: string; readonly table: string; readonly outcome: string; readonly reason?: string }[];
}

export type ReconcileHandler = (event: unknown, context: Context) => Promise<ReconcileSummary>;

export interface ReconcileWiring {
  readonly config: Pick<GuardConfig, 'CONTRACTS_DIR' | 'ALERT_TOPIC_ARN'>;
  readonly clients: { readonly glue: GlueClient; readonly sns: SNSClient };
  readonly log: HandlerLog;
}

export interface BuiltReconcile {
  /** The Lambda handler: the origin comes from the invoked function's ARN. */
  readonly handler: ReconcileHandler;
  /** The same work for a known origin (the local stack invokes it so, with no Lambda context). */
  readonly handle: (event: unknown, origin: Origin) => Promise<ReconcileSummary>;
  readonly contracts: ContractIndex;
}

/** Loads and validates the contracts in CONTRACTS_DIR and builds the reconcile handler on them. */
export async function buildReconcileHandler(wiring: ReconcileWiring): Promise<BuiltReconcile> {
  const { config, clients, log } = wiring;
  const contracts = await loadContractIndex(config.CONTRACTS_DIR);
  const deps = {
    catalog: createGlueCatalog({ client: clients.glue }),
    pipelines: createGluePipelines({ client: clients.glue }),
    notifier: createSnsNotifier({ client: clients.sns, topicArn: config.ALERT_TOPIC_ARN }),
    contracts,
    log,
  };
  const work = async (event: unknown, origin: Origin): Promise<ReconcileSummary> => {
    const unwrapped = unwrapRedrive(event);
    const trigger = parseReconcileTrigger(unwrapped);
    log.appendKeys({ trigger });
    if (trigger === 'resume-request') {
      const outcome = await handleResumeRequest(deps, resumeRequestOf(unwrapped), origin);
      const incidentId = outcome.outcome === 'resumed' ? outcome.report.incidentId : '';
      return { trigger, incidents: [{ incidentId, table: outcome.table, outcome: outcome.outcome, ...(outcome.outcome === 'refused' ? { reason: outcome.reason.code } : {}) }] };
    }
    const outcomes = await reconcile(deps, origin);
    const incidents = outcomes.map((o) => ({ incidentId: o.incidentId, table: o.table, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) }));
    log.info('reconciled', { incidents });
    // Failures were logged and the others resumed; failing the run raises the reconcile-errors alarm.
    const failed = incidents.filter((o) => o.outcome === 'failed');
    if (failed.length > 0) throw new Error(`${failed.length} incident(s) could not be resumed: ${failed.map((f) => `${f.incidentId} (${f.reason ?? ''})`).join('; ')}`);
    return { trigger, incidents };
  };
  return {
    handler: (event, context) => logInvocation(log, context, () => work(event, originFromContext(context))),
    handle: (event, origin) => logInvocation(log, undefined, () => work(event, origin)),
    contracts,
  };
}
