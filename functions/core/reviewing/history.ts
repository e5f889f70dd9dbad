/**
 * `drift-guard history`: a table's timeline from its Glue versions, the guard's own notes on the versions
 * it wrote (restores, resumes), the contract versions that approved a Glue version, and the incidents
 * still open (paused triggers).
 */
import type { ContractHistory } from '../contracts/contract-repository.js';
import type { TableRef } from '../incidents/incident.js';
import { incidentIdOf } from '../incidents/incident.js';
import type { CatalogPort, Origin, PipelinePort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { versionNoteOf } from '../incidents/records.js';

/** Who wrote a version, as far as the catalog tells: a crawler, the guard (restore / resume), or unknown. */
export type HistoryWriter = { readonly kind: 'crawler'; readonly crawler: string } | { readonly kind: 'guard' } | { readonly kind: 'unknown' };

/** Something that happened to a version (worded in core/wording/incident.ts). */
export type HistoryEvent =
  /** The guard wrote the approved schema of `resumedFrom` back. */
  | { readonly kind: 'resume'; readonly incidentId: string; readonly resumedFrom: string }
  /** The guard's confirmation that the incident's alert went out (the restored schema written again). */
  | { readonly kind: 'alert-sent'; readonly incidentId: string }
  /** The guard wrote the schema of `restoredFrom` back over `replaced`. */
  | { readonly kind: 'restore'; readonly incidentId: string; readonly restoredFrom: string; readonly replaced: string }
  /** A contract version approved this Glue version. */
  | { readonly kind: 'approved'; readonly contractVersion: number; readonly reviewer: string; readonly approvedAt: string; readonly reason: string }
  /** The incident is still open: these triggers are paused. */
  | {
      readonly kind: 'open';
      readonly incidentId: string;
      readonly triggers: readonly string[];
      /** Crawler schedules stopped and EventBridge rules disabled for the incident (absent when none). */
      readonly producers?: readonly { readonly kind: 'schedule' | 'rule'; readonly name: string }[];
    };

export interface HistoryEntry {
  readonly versionId: string;
  readonly updateTime?: string;
  readonly writer: HistoryWriter;
  /** Judged against the contract active now. */
  readonly judgement: DocumentJudgement;
  readonly incidentId?: string;
  readonly events: readonly HistoryEvent[];
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
  const producers = await deps.pipelines.findHeldProducers(origin, { table: `${ref.database}.${ref.table}` });
  const notes = new Map(versions.map((v) => [v.versionId, versionNoteOf(v.versionId, v.document)]));
  // Incidents the guard really raised: named in its notes on versions it wrote, or on triggers it holds paused.
  const known = new Set([...paused.map((t) => t.incidentId), ...producers.map((p) => p.incidentId), ...[...notes.values()].flatMap((note) => (note === undefined ? [] : [note.incidentId]))]);
  const entries = versions.map((version): HistoryEntry => {
    const events: HistoryEvent[] = [];
    const crawler = crawlerOf(version.document);
    let writer: HistoryWriter = crawler === undefined ? { kind: 'unknown' } : { kind: 'crawler', crawler };
    const note = notes.get(version.versionId);
    if (note !== undefined) {
      writer = { kind: 'guard' };
      if (note.kind === 'resume') events.push({ kind: 'resume', incidentId: note.incidentId, resumedFrom: note.resumedFrom });
      else if (note.alert === 'sent') events.push({ kind: 'alert-sent', incidentId: note.incidentId });
      else events.push({ kind: 'restore', incidentId: note.incidentId, restoredFrom: note.restoredFrom, replaced: note.replaced });
    }
    for (const approved of contracts?.versions ?? []) {
      const approval = approved.contract.approval;
      if (approval?.glueVersionId === version.versionId && approved.contract.status === 'approved') {
        const { reviewer, approvedAt, reason } = approval;
        events.push({ kind: 'approved', contractVersion: approved.contract.version, reviewer, approvedAt, reason });
      }
    }
    const judgement =
      active === undefined
        ? ({ verdict: 'compliant', mode: 'consumer-safe', format: 'unknown', findings: [], hasBreakingFindings: false } satisfies DocumentJudgement)
        : judgeDocument(active, `glue://${ref.database}/${ref.table}@${version.versionId}`, version.document);
    const candidate = incidentIdOf(ref, version.versionId, version.document);
    const incidentId = known.has(candidate) ? candidate : undefined;
    if (incidentId !== undefined) {
      const open = paused.filter((t) => t.incidentId === incidentId);
      const held = producers.filter((p) => p.incidentId === incidentId).map((p) => ({ kind: p.kind, name: p.name }));
      if (open.length > 0 || held.length > 0) events.push({ kind: 'open', incidentId, triggers: open.map((t) => t.name), ...(held.length === 0 ? {} : { producers: held }) });
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
