/**
 * `drift-guard history`: a table's timeline from its Glue versions, the guard's own notes on the versions
 * it wrote (restores, resumes), the contract versions that approved a Glue version, and the incidents
 * still open (paused triggers).
 */
import type { ContractHistory } from '../contracts/contract-repository.js';
import type { TableRef } from '../incidents/incident.js';
import { incidentIdFor } from '../incidents/incident.js';
import type { CatalogPort, Origin, PipelinePort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { versionNoteOf } from '../incidents/records.js';

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

function crawlerOf(document: unknown): string | undefined {
  const value = record(record(document).Parameters).UPDATED_BY_CRAWLER;
  return typeof value === 'string' ? value : undefined;
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
  const notes = new Map(versions.map((v) => [v.versionId, versionNoteOf(v.versionId, v.document)]));
  // Incidents the guard really raised: named in its notes on versions it wrote, or on triggers it holds paused.
  const known = new Set([...paused.map((t) => t.incidentId), ...[...notes.values()].flatMap((note) => (note === undefined ? [] : [note.incidentId]))]);
  const entries = versions.map((version): HistoryEntry => {
    const events: string[] = [];
    const crawler = crawlerOf(version.document);
    let writer = crawler === undefined ? 'unknown (API / job)' : `crawler ${crawler}`;
    const note = notes.get(version.versionId);
    if (note !== undefined) {
      writer = 'drift-guard';
      if (note.kind === 'resume') events.push(`resume: approved schema of version ${note.resumedFrom} written back (incident ${note.incidentId})`);
      else if (note.alert === 'sent') events.push(`alert for incident ${note.incidentId} sent (same schema as the version before)`);
      else events.push(`restore: schema of version ${note.restoredFrom} written back over version ${note.replaced} (incident ${note.incidentId})`);
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
