/**
 * Reconcile: after each deploy and on a schedule, every open incident whose blocked schema the active
 * contract now accepts is resumed, as `drift-guard resume` would. Approvals need no manual step after merge.
 */
import type { ContractIndex } from '../contracts/contract-index.js';
import type { GuardLog } from '../guard/guard.js';
import type { Origin, StoredTable } from '../ports.js';
import { reconcileUnguardedText } from '../wording/incident.js';
import type { ResumeReport } from './reports.js';
import { type ResumeDeps, ResumeRefusedError, resumeTable } from './resume.js';

export type ReconcileOutcome =
  | { readonly incidentId: string; readonly table: string; readonly outcome: 'resumed'; readonly report: ResumeReport }
  | { readonly incidentId: string; readonly table: string; readonly outcome: 'waiting' | 'unguarded' | 'failed'; readonly reason: string };

export async function reconcile<T extends StoredTable>(
  deps: ResumeDeps<T> & { readonly contracts: ContractIndex; readonly log: GuardLog },
  origin: Origin,
): Promise<readonly ReconcileOutcome[]> {
  const paused = await deps.pipelines.findPausedTriggers(origin);
  const incidents = new Map<string, string>();
  for (const trigger of paused) incidents.set(trigger.incidentId, trigger.table);
  // An incident whose only record is a held producer (a crawler on its own schedule) is reconciled too.
  for (const held of await deps.pipelines.findHeldProducers(origin)) if (!incidents.has(held.incidentId)) incidents.set(held.incidentId, held.table);
  const outcomes: ReconcileOutcome[] = [];
  for (const [incidentId, table] of incidents) {
    const dot = table.indexOf('.');
    const ref = { database: table.slice(0, dot), table: table.slice(dot + 1) };
    const contract = dot <= 0 ? undefined : deps.contracts.active(ref.database, ref.table);
    if (contract === undefined) {
      outcomes.push({ incidentId, table, outcome: 'unguarded', reason: reconcileUnguardedText() });
      continue;
    }
    try {
      const report = await resumeTable(deps, contract, ref, origin, { incidentId });
      deps.log.info('incident resumed by reconcile', { incidentId, table });
      if (report.alert.status === 'failed') deps.log.warn('the "resumed" alert could not be sent', { incidentId, table, error: report.alert.error });
      outcomes.push({ incidentId, table, outcome: 'resumed', report });
    } catch (error) {
      // One incident failing must not hold the others back: record it and carry on.
      const waiting = error instanceof ResumeRefusedError;
      const reason = error instanceof Error ? error.message : String(error);
      if (!waiting) deps.log.warn('incident could not be resumed', { incidentId, table, error: reason });
      outcomes.push({ incidentId, table, outcome: waiting ? 'waiting' : 'failed', reason });
    }
  }
  return outcomes;
}
