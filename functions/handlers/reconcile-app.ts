/**
 * The reconcile handler and its wiring: input parsing (what invoked it: a schedule, a deploy, a manual run, or a
 * reviewer's resume request; the region and account it runs in) and `buildReconcileHandler`, the one composition
 * used by the Lambda entry point and the local stack. It builds the guard through the guard's one wiring
 * (`buildGuard`), so that the scheduled sweep restores, holds and alerts exactly as the guard does on an event.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createGlueCatalog } from '../aws/glue-catalog.js';
import { createGluePartitions } from '../aws/glue-partitions.js';
import { createGluePipelines } from '../aws/glue-pipelines.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import type { ContractIndex } from '../core/contracts/contract-index.js';
import type { SweepRecords, TableResult } from '../core/guard/guard.js';
import type { Origin, PipelinePort } from '../core/ports.js';
import { InputErrors } from '../core/errors.js';
import { reconcile } from '../core/reviewing/reconcile.js';
import { returnAllHeldPartitions } from '../core/reviewing/held-partitions.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE, type ResumeRequest, handleResumeRequest, parseResumeRequest } from '../core/reviewing/resume-request.js';
import { MalformedEventError } from './errors.js';
import { type GuardWiring, buildGuard } from './guard-app.js';
import { logInvocation } from './logging.js';
import { unwrapRedrive } from './redrive.js';

const scheduled = z.looseObject({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event'), time: z.optional(z.string()) });
const stackChange = z.looseObject({
  source: z.literal('aws.cloudformation'),
  'detail-type': z.literal('CloudFormation Stack Status Change'),
  detail: z.looseObject({ 'status-details': z.looseObject({ status: z.string() }) }),
});
/** A manual run: `aws lambda invoke --payload '{"reconcile":"now"}'` (resume only) or `'{"reconcile":"sweep"}'` (and sweep). */
const manual = z.strictObject({ reconcile: z.enum(['now', 'sweep']) });

/** `drift-guard resume` puts this on the guard's event bus; a rule on that bus invokes reconcile with it. */
const resumeRequest = z.looseObject({ source: z.literal(RESUME_REQUEST_SOURCE), 'detail-type': z.literal(RESUME_REQUEST_DETAIL_TYPE), detail: z.unknown() });

/** schedule: resume and sweep; deploy and manual: resume only; sweep: a manual run that also sweeps; resume-request: that one incident. */
export type ReconcileTrigger = 'schedule' | 'deploy' | 'manual' | 'sweep' | 'resume-request';

export function parseReconcileTrigger(event: unknown): ReconcileTrigger {
  if (scheduled.safeParse(event).success) return 'schedule';
  if (stackChange.safeParse(event).success) return 'deploy';
  const asked = manual.safeParse(event);
  if (asked.success) return asked.data.reconcile === 'sweep' ? 'sweep' : 'manual';
  if (resumeRequest.safeParse(event).success) return 'resume-request';
  throw new MalformedEventError([`expected a Scheduled Event, a CloudFormation Stack Status Change, a "${RESUME_REQUEST_DETAIL_TYPE}" event, {"reconcile":"now"} or {"reconcile":"sweep"}`]);
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

/** Does this trigger sweep the catalog for drift whose event was missed? */
export const sweeps = (trigger: ReconcileTrigger): boolean => trigger === 'schedule' || trigger === 'sweep';

/**
 * The id a sweep's restores claim their alerts with (records.ts RestoreNote.eventId): the same for every retry of
 * one run, so a retried sweep finishes what it started. A scheduled run: its Scheduled Event's time, to the minute
 * (EventBridge and Lambda's asynchronous retries deliver the same event). A manual one: the Lambda request id (Lambda's
 * retries keep it), else the current minute.
 */
export function sweepIdOf(event: unknown, context: Pick<Context, 'awsRequestId'> | undefined, now: Date): string {
  const parsed = scheduled.safeParse(event);
  const time = parsed.success && parsed.data.time !== undefined ? Date.parse(parsed.data.time) : Number.NaN;
  if (Number.isFinite(time)) return `sweep:${new Date(time).toISOString().slice(0, 16)}Z`;
  if (context !== undefined && context.awsRequestId !== '') return `sweep:${context.awsRequestId}`;
  return `sweep:${now.toISOString().slice(0, 16)}Z`;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME` → region and account, without an API call. */
export function originFromContext(context: Pick<Context, 'invokedFunctionArn'>): Origin {
  const [, , , region, account] = context.invokedFunctionArn.split(':');
  if (region === undefined || account === undefined || !/^\d{12}$/.test(account)) {
    throw new MalformedEventError([`invokedFunctionArn "${context.invokedFunctionArn}" is not a Lambda function ARN`]);
  }
  return { region, account };
}

/** The guard's records of open incidents, read at most once per run and only when a sweep asks. */
function openIncidentsOnce(pipelines: PipelinePort, origin: Origin): SweepRecords {
  let read: Promise<ReadonlySet<string>> | undefined;
  return {
    openIncidents: () => {
      read ??= Promise.all([pipelines.findPausedTriggers(origin), pipelines.findPausedWorkflows(origin), pipelines.findHeldProducers(origin)]).then(
        ([triggers, workflows, producers]) => new Set([...triggers.map((t) => t.incidentId), ...workflows.map((w) => w.incidentId), ...producers.map((p) => p.incidentId)]),
      );
      return read;
    },
  };
}

export interface SweepSummary {
  readonly sweepId: string;
  readonly tables: number;
  /** Tables per outcome (compliant, missing, blocked, cannot-restore, allowed, observed). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Every table that was not compliant: what the sweep did about it. */
  readonly drifted: readonly { readonly database: string; readonly table: string; readonly outcome: string; readonly incidentId?: string; readonly alerted?: boolean }[];
}

function summariseSweep(sweepId: string, results: readonly TableResult[]): SweepSummary {
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.result.outcome] = (outcomes[r.result.outcome] ?? 0) + 1;
  const drifted = results
    .filter((r) => r.result.outcome !== 'compliant')
    .map(({ database, table, result }) =>
      'alerted' in result ? { database, table, outcome: result.outcome, incidentId: result.incidentId, alerted: result.alerted } : { database, table, outcome: result.outcome, ...('incidentId' in result ? { incidentId: result.incidentId } : {}) },
    );
  return { sweepId, tables: results.length, outcomes, drifted };
}

export interface ReconcileSummary {
  readonly trigger: ReconcileTrigger;
  readonly incidents: readonly { readonly incidentId: string; readonly table: string; readonly outcome: string; readonly reason?: string }[];
  /** Held tables met (held-partitions.ts): what came back, what stays held. */
  readonly partitions?: readonly { readonly table: string; readonly heldTable: string; readonly returned: number; readonly stillHeld: number; readonly conflicts: number; readonly heldTableDeleted: boolean }[];
  readonly sweep?: SweepSummary;
}

export type ReconcileHandler = (event: unknown, context: Context) => Promise<ReconcileSummary>;

export interface BuiltReconcile {
  /** The Lambda handler: the origin comes from the invoked function's ARN. */
  readonly handler: ReconcileHandler;
  /** The same work for a known origin (the local stack invokes it so, with no Lambda context). */
  readonly handle: (event: unknown, origin: Origin) => Promise<ReconcileSummary>;
  readonly contracts: ContractIndex;
}

/**
 * Loads the contracts and builds the reconcile handler: resume every open incident the contracts now accept, then,
 * on the schedule, sweep every guarded table with the guard itself (built by `buildGuard`, the guard's one wiring).
 */
export async function buildReconcileHandler(wiring: GuardWiring): Promise<BuiltReconcile> {
  const { config, clients, log } = wiring;
  const { guard, contracts } = await buildGuard(wiring);
  const pipelines = createGluePipelines({ client: clients.glue, events: clients.eventBridge });
  const deps = {
    catalog: wiring.catalog ?? createGlueCatalog({ client: clients.glue }),
    partitions: createGluePartitions({ client: clients.glue }),
    pipelines,
    notifier: createSnsNotifier({ client: clients.sns, topicArn: config.ALERT_TOPIC_ARN }),
    contracts,
    log,
  };
  const now = wiring.now ?? (() => new Date());
  const work = async (event: unknown, origin: Origin, context: Context | undefined): Promise<ReconcileSummary> => {
    const input = unwrapRedrive(event);
    const trigger = parseReconcileTrigger(input);
    log.appendKeys({ trigger });
    if (trigger === 'resume-request') {
      const outcome = await handleResumeRequest(deps, resumeRequestOf(input), origin);
      const incidentId = outcome.outcome === 'resumed' ? outcome.report.incidentId : '';
      return { trigger, incidents: [{ incidentId, table: outcome.table, outcome: outcome.outcome, ...(outcome.outcome === 'refused' ? { reason: outcome.reason.code } : {}) }] };
    }
    const outcomes = await reconcile(deps, origin);
    const incidents = outcomes.map((o) => ({ incidentId: o.incidentId, table: o.table, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) }));
    log.info('reconciled', { incidents });
    // Held partitions the deployed contracts accept come back; emptied held tables of closed incidents are deleted.
    const records = openIncidentsOnce(pipelines, origin);
    // One GetTables listing per database this run, shared by the held-table pass and the sweep (taken after the
    // resumes above; the pass writes partitions and deletes held tables only, never a guarded table).
    const listings = new Map<string, ReturnType<typeof deps.catalog.listTables>>();
    const listTables: typeof deps.catalog.listTables = (database) => {
      const key = database.toLowerCase();
      const listed = listings.get(key) ?? deps.catalog.listTables(database);
      listings.set(key, listed);
      return listed;
    };
    const held = await returnAllHeldPartitions({ ...deps, catalog: { ...deps.catalog, listTables } }, records.openIncidents);
    const partitions = held.map((h) => ({ table: `${h.database}.${h.table}`, heldTable: h.heldTable, returned: h.returned.length, stillHeld: h.stillHeld.length, conflicts: h.conflicts.length, heldTableDeleted: h.heldTableDeleted }));
    let sweep: SweepSummary | undefined;
    if (sweeps(trigger)) {
      // After the resumes: a table whose incident was just resumed is compliant, and costs nothing here.
      const sweepId = sweepIdOf(input, context, now());
      log.appendKeys({ sweepId });
      sweep = summariseSweep(sweepId, await guard.sweep({ ...origin, eventId: sweepId }, { ...records, listTables }));
      log.info('swept', { tables: sweep.tables, outcomes: sweep.outcomes, drifted: sweep.drifted });
    }
    // Failures were logged and the others resumed; failing the run raises the reconcile-errors alarm.
    const failed = incidents.filter((o) => o.outcome === 'failed');
    if (failed.length > 0) throw new Error(`${failed.length} incident(s) could not be resumed: ${failed.map((f) => `${f.incidentId} (${f.reason ?? ''})`).join('; ')}`);
    return { trigger, incidents, ...(partitions.length === 0 ? {} : { partitions }), ...(sweep === undefined ? {} : { sweep }) };
  };
  return {
    handler: (event, context) => logInvocation(log, context, () => work(event, originFromContext(context), context)),
    handle: (event, origin) => logInvocation(log, undefined, () => work(event, origin, undefined)),
    contracts,
  };
}
