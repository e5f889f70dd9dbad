/**
 * A reviewer's request to resume an incident, carried out by the deployed reconcile function. The schema a resume
 * writes back must be one the DEPLOYED guard accepts, or the guard (still on the old contract) restores it away again
 * within milliseconds and opens a new incident. Only the deployed functions know the deployed contracts, so
 * `drift-guard resume` does not write the table itself: it puts this request on the guard's event bus, and reconcile,
 * running with the deployed contracts, resumes or refuses (saying why in the incident's chat thread).
 */
import * as z from 'zod/mini';
import type { ContractIndex } from '../contracts/contract-index.js';
import { inputErrorsFromZod } from '../errors.js';
import { qualifiedName } from '../incidents/incident.js';
import type { GuardLog, Origin, StoredTable } from '../ports.js';
import { renderResumeRefusedAlert } from '../wording/alert.js';
import type { ResumeRefusal, ResumeReport } from './reports.js';
import { type ResumeDeps, ResumeRefusedError, resumeTable } from './resume.js';

/** The EventBridge source and detail-type of a resume request (a custom source: `aws.` ones are AWS's). */
export const RESUME_REQUEST_SOURCE = 'glue-drift-guard.reviewer';
export const RESUME_REQUEST_DETAIL_TYPE = 'Glue Schema Drift Resume Requested';

const name = z.string().check(z.minLength(1), z.maxLength(255));

export const resumeRequestDetail = z.strictObject({
  database: name,
  table: name,
  incidentId: z.optional(z.string().check(z.regex(/^dg-[0-9a-f]{12}$/, 'an incident id (dg- and 12 hex digits)'))),
  resumeRuns: z.boolean(),
  /** Start the runs the guard stopped again (StartWorkflowRun). */
  restartRuns: z.optional(z.boolean()),
  /** Let the runs the guard stopped go: the incident closes without them. */
  leaveRuns: z.optional(z.boolean()),
  requestedBy: z.string().check(z.maxLength(256)),
});

export type ResumeRequest = z.infer<typeof resumeRequestDetail>;

/** Parses a request's `detail`; anything else is an InputErrors naming the field. */
export function parseResumeRequest(detail: unknown): ResumeRequest {
  const parsed = resumeRequestDetail.safeParse(detail);
  if (!parsed.success) throw inputErrorsFromZod('resume request', parsed.error, ['detail']);
  return parsed.data;
}

export type ResumeRequestOutcome =
  | { readonly outcome: 'resumed'; readonly table: string; readonly report: ResumeReport }
  | { readonly outcome: 'refused'; readonly table: string; readonly reason: ResumeRefusal; readonly alerted: boolean };

/**
 * Resumes the requested incident with the deployed contracts, as `drift-guard resume` once did by hand. A refusal
 * (the deployed contract does not accept the blocked schema yet, say) is an answer, not a failure: it goes to the
 * incident's chat thread, where the reviewer is looking.
 */
export async function handleResumeRequest<T extends StoredTable>(
  deps: ResumeDeps<T> & { readonly contracts: ContractIndex; readonly log: GuardLog },
  request: ResumeRequest,
  origin: Origin,
): Promise<ResumeRequestOutcome> {
  const ref = { database: request.database, table: request.table };
  const table = qualifiedName(ref);
  const log = deps.log.child({ database: ref.database, table: ref.table, requestedBy: request.requestedBy });
  const contract = deps.contracts.active(ref.database, ref.table);
  let reason: ResumeRefusal;
  if (contract === undefined) {
    reason = { code: 'no-deployed-contract', table };
  } else {
    try {
      const report = await resumeTable(deps, contract, ref, origin, {
        ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }),
        resumeRuns: request.resumeRuns,
        restartRuns: request.restartRuns === true,
        leaveRuns: request.leaveRuns === true,
      });
      log.info('resumed on request', { incidentId: report.incidentId });
      return { outcome: 'resumed', table, report };
    } catch (error) {
      if (!(error instanceof ResumeRefusedError)) throw error;
      reason = error.reason;
    }
  }
  log.info('resume request refused', { reason });
  if (deps.notifier === undefined) return { outcome: 'refused', table, reason, alerted: false };
  await deps.notifier.publish(renderResumeRefusedAlert(ref, request, reason));
  return { outcome: 'refused', table, reason, alerted: true };
}
