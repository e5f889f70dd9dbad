/**
 * `drift-guard history`: a table's timeline from its Glue versions, the guard's own notes on the versions
 * it wrote (restores, resumes), the contract versions that approved a Glue version, and the incidents
 * still open (paused triggers).
 */
import type { ContractHistory } from '../contracts/contract-repository.js';
import type { TableRef } from '../guard/glue-events.js';
import { incidentIdFor } from '../guard/guard.js';
import type { CatalogPort, Origin, PipelinePort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';

export interface HistoryEntry {
  readonly versionId: string;
  readonly updateTime?: string;
  /** Who wrote it, as far as the catalog tells: a crawler, the guard (restore / resume), or unknown. */
  readonly writer: string;
  /** Judged against the contract active now. */
  readonly judgement: DocumentJudgement;
  readonly incidentId?: string;
  readonly events: readonly string[];
}

export interface TableHistory {
  readonly database: string;
  readonly table: string;
  readonly activeContract?: number;
  readonly entries: readonly HistoryEntry[];
}

function record(document: unknown): Record<string, unknown> {
  return typeof document === 'object' && document !== null ? Object.fromEntries(Object.entries(document)) : {};
}

function stringParameters(document: unknown): Record<string, string> {
  const parameters = record(record(document).Parameters);
  return Object.fromEntries(Object.entries(parameters).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function timeOf(document: unknown): string | undefined {
  const value = record(document).UpdateTime;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : undefined;
}

export async function tableHistory<T extends StoredTable>(
  deps: { readonly catalog: CatalogPort<T>; readonly pipelines: PipelinePort },
  contracts: ContractHistory | undefined,
  ref: TableRef,
  origin: Origin,
): Promise<TableHistory> {
  const versions = [...(await deps.catalog.listVersions(ref.database, ref.table))].reverse();
  const active = contracts?.versions.findLast((v) => v.contract.status === 'approved')?.contract;
  const paused = await deps.pipelines.findPausedTriggers(origin, { table: `${ref.database}.${ref.table}` });
  // Incidents the guard really raised: named in the notes on versions it wrote, or on triggers it holds paused.
  const known = new Set([
    ...paused.map((t) => t.incidentId),
    ...versions.flatMap((v) => {
      const id = stringParameters(v.document)['drift-guard:incident'];
      return id === undefined ? [] : [id];
    }),
  ]);
  const entries = versions.map((version): HistoryEntry => {
    const parameters = stringParameters(version.document);
    const events: string[] = [];
    let writer = parameters.UPDATED_BY_CRAWLER === undefined ? 'unknown (API / job)' : `crawler ${parameters.UPDATED_BY_CRAWLER}`;
    // Notes count only on the version the guard wrote them with (writes by others can copy the parameters).
    const replaced = Number(parameters['drift-guard:replaced-version'] ?? Number.NaN);
    const written = Number(version.versionId) - replaced;
    const sent = parameters['drift-guard:alert'] === 'sent';
    const mine = written === 1 || (sent && written === 2);
    const restoredFrom = mine ? parameters['drift-guard:restored-from-version'] : undefined;
    const resumedFrom = mine ? parameters['drift-guard:resumed-from-version'] : undefined;
    const noteIncident = mine ? parameters['drift-guard:incident'] : undefined;
    if (restoredFrom !== undefined && noteIncident !== undefined && sent && written === 2) {
      writer = 'drift-guard';
      events.push(`alert for incident ${noteIncident} sent (same schema as the version before)`);
    } else if (restoredFrom !== undefined && noteIncident !== undefined) {
      writer = 'drift-guard';
      events.push(`restore: schema of version ${restoredFrom} written back over version ${String(replaced)} (incident ${noteIncident})`);
    } else if (resumedFrom !== undefined && noteIncident !== undefined) {
      writer = 'drift-guard';
      events.push(`resume: approved schema of version ${resumedFrom} written back (incident ${noteIncident})`);
    }
    for (const approved of contracts?.versions ?? []) {
      const approval = approved.contract.approval;
      if (approval?.glueVersionId === version.versionId && approved.contract.status === 'approved') {
        events.push(`approved as contract v${approved.contract.version} by ${approval.reviewer} at ${approval.approvedAt}: ${approval.reason}`);
      }
    }
    const judgement =
      active === undefined
        ? ({ verdict: 'compliant', mode: 'consumer-safe', format: 'unknown', findings: [], hasBreakingFindings: false } satisfies DocumentJudgement)
        : judgeDocument(active, `glue://${ref.database}/${ref.table}@${version.versionId}`, version.document);
    const candidate = incidentIdFor(ref.database, ref.table, version.versionId);
    const incidentId = known.has(candidate) ? candidate : undefined;
    if (incidentId !== undefined) {
      const open = paused.filter((t) => t.incidentId === incidentId);
      if (open.length > 0) events.push(`incident ${incidentId} open: triggers ${open.map((t) => t.name).join(', ')} paused`);
    }
    const updateTime = timeOf(version.document);
    return {
      versionId: version.versionId,
      ...(updateTime === undefined ? {} : { updateTime }),
      writer,
      judgement,
      ...(incidentId === undefined ? {} : { incidentId }),
      events,
    };
  });
  return { database: ref.database, table: ref.table, ...(active === undefined ? {} : { activeContract: active.version }), entries };
}
