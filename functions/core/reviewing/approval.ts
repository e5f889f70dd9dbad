/**
 * `drift-guard approve`: turn a schema the table really had (a blocked incident, or a Glue version) into
 * the next contract version, with the approval record. Refuses what cannot be approved; approving
 * twice is harmless.
 */
import { type ContractHistory, activeContract } from '../contracts/contract-repository.js';
import { type ApprovalInput, type NextVersion, nextContractVersion } from '../contracts/contract-versioning.js';
import type { TableRef } from '../incidents/incident.js';
import { heldTableName, incidentIdOf } from '../incidents/incident.js';
import type { CatalogPort, PartitionDefinition, PartitionPort, StoredTable } from '../ports.js';
import { judgePartition } from '../judging/partition-judge.js';
import { partitionHoldOf } from '../incidents/records.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { compareVersionIds, isVersionId, versionIdAfter } from '../version-ids.js';
import { versionNoteOf } from '../incidents/records.js';
import { REVIEW_VERSIONS_WALKED, type VersionReader, findIncidentVersion, recentVersions, versionReader } from './version-lookup.js';
import { approvalRefusalText } from '../wording/incident.js';
import type { ApprovalNote, ApprovalRefusal } from './reports.js';


export interface ApprovalSelector {
  readonly incidentId?: string;
  readonly glueVersion?: string;
}

/** Approval refused: `reason` says why; the message words it, with what to do instead. */
export class ApprovalRefusedError extends Error {
  override readonly name = 'ApprovalRefusedError';
  constructor(readonly reason: ApprovalRefusal) {
    super(approvalRefusalText(reason));
  }
}

/** Where an approved schema was read: a Glue version of the table, or a partition a partition incident holds. */
export type ApprovalSource =
  | { readonly kind: 'glue-version'; readonly versionId: string }
  | {
      readonly kind: 'held-partition';
      /** `database.held_table`, where the incident's partitions are held. */
      readonly heldTable: string;
      /** The partition whose descriptor was read (the first the incident holds). */
      readonly values: readonly string[];
      /** How many partitions the incident holds there (all come back once the approval is deployed, if it accepts them). */
      readonly held: number;
    };

export type ApprovalPlan =
  | { readonly outcome: 'already-approved'; readonly version: number; readonly source: ApprovalSource; readonly notes: readonly ApprovalNote[] }
  | {
      readonly outcome: 'approved';
      readonly next: Extract<NextVersion, { outcome: 'created' }>;
      readonly source: ApprovalSource;
      readonly incidentId: string;
      readonly notes: readonly ApprovalNote[];
    };

const name = (ref: TableRef): string => `${ref.database}.${ref.table}`;

/**
 * The version to approve, found by id and within a bounded reach (version-lookup.ts), never by listing the history:
 * `--glue-version` reads that version (`--incident` is found by planApproval); by default the newest version within
 * reach the contract does not accept (the latest blocked change: the guard's note on the current table names it),
 * else the newest drift.
 */
async function selectVersion<T extends StoredTable>(
  reader: VersionReader<T>,
  ref: TableRef,
  current: T,
  judged: (version: T) => DocumentJudgement,
  selector: ApprovalSelector,
): Promise<T> {
  if (selector.glueVersion !== undefined) {
    const wanted = selector.glueVersion;
    // As an integer: "03" is version 3 (read by its canonical spelling).
    const found = !isVersionId(wanted) ? undefined : compareVersionIds(wanted, current.versionId) === 0 ? current : await reader.read(versionIdAfter(wanted, 0));
    if (found === undefined) {
      throw new ApprovalRefusedError({ code: 'no-such-version', table: name(ref), glueVersion: selector.glueVersion, currentVersionId: current.versionId });
    }
    return found;
  }
  const note = versionNoteOf(current.versionId, current.document);
  if (note?.kind === 'restore') {
    const blocked = await reader.read(note.replaced);
    if (blocked !== undefined && judged(blocked).verdict === 'breaking') return blocked;
  }
  let drifted: T | undefined;
  for await (const version of recentVersions(reader, current)) {
    const verdict = judged(version).verdict;
    if (verdict === 'breaking') return version;
    drifted ??= verdict === 'allowed' ? version : undefined;
  }
  if (drifted === undefined) throw new ApprovalRefusedError({ code: 'nothing-to-approve', table: name(ref), reach: REVIEW_VERSIONS_WALKED });
  return drifted;
}

/**
 * A partition incident's schema (partitions.ts: breaking partitions moved to the held table, the table itself
 * unchanged): the first partition it holds, read as the table a reader sees through it. Undefined when no partition
 * of that incident is held (or no partitions port was given).
 */
async function heldPartitionOf(partitions: PartitionPort | undefined, ref: TableRef, incidentId: string): Promise<{ readonly partition: PartitionDefinition; readonly heldTable: string; readonly held: number } | undefined> {
  if (partitions === undefined) return undefined;
  const heldTable = heldTableName(ref.table);
  const mine = ((await partitions.listPartitions(ref.database, heldTable)) ?? []).filter((p) => partitionHoldOf(p.Parameters)?.incidentId === incidentId);
  const first = mine[0];
  return first === undefined ? undefined : { partition: first, heldTable: `${ref.database}.${heldTable}`, held: mine.length };
}

export async function planApproval<T extends StoredTable>(
  catalog: CatalogPort<T>,
  history: ContractHistory | undefined,
  ref: TableRef,
  selector: ApprovalSelector,
  approval: ApprovalInput,
  partitions?: PartitionPort,
): Promise<ApprovalPlan> {
  const active = history === undefined ? undefined : activeContract(history)?.contract;
  if (history === undefined || active === undefined) {
    throw new ApprovalRefusedError({ code: 'no-contract', table: name(ref) });
  }
  const current = await catalog.getTable(ref.database, ref.table);
  if (current === undefined) throw new ApprovalRefusedError({ code: 'table-missing', table: name(ref) });
  const cache = new Map<string, DocumentJudgement>();
  const judged = (version: T): DocumentJudgement => {
    const known = cache.get(version.versionId);
    if (known !== undefined) return known;
    const result = judgeDocument(active, `glue://${name(ref)}@${version.versionId}`, version.document);
    cache.set(version.versionId, result);
    return result;
  };
  const reader = versionReader(catalog, ref);
  // `--incident`: the incident's Glue version, read once; a partition incident has none of its own: its schema is the
  // held partitions' descriptor.
  const incidentVersion = selector.incidentId === undefined ? undefined : await findIncidentVersion(reader, ref, current, selector.incidentId, active.approval?.glueVersionId);
  if (selector.incidentId !== undefined && incidentVersion === undefined) {
    const held = await heldPartitionOf(partitions, ref, selector.incidentId);
    if (held === undefined) throw new ApprovalRefusedError({ code: 'unknown-incident', table: name(ref), incidentId: selector.incidentId, reach: REVIEW_VERSIONS_WALKED });
    const judgement = judgePartition(active, ref, held.partition);
    const source: ApprovalSource = { kind: 'held-partition', heldTable: held.heldTable, values: held.partition.Values, held: held.held };
    if (judgement.table === undefined) {
      throw new ApprovalRefusedError({ code: 'unreadable', table: name(ref), versionId: `partition [${held.partition.Values.join(', ')}]`, findings: judgement.findings });
    }
    const next = nextContractVersion(history, judgement.table, approval);
    if (next.outcome === 'unchanged') return { outcome: 'already-approved', version: next.version, source, notes: [] };
    return { outcome: 'approved', next, source, incidentId: selector.incidentId, notes: [] };
  }
  const chosen = incidentVersion ?? (await selectVersion(reader, ref, current, judged, selector));
  const judgement = judged(chosen);
  if (judgement.table === undefined) {
    throw new ApprovalRefusedError({ code: 'unreadable', table: name(ref), versionId: chosen.versionId, findings: judgement.findings });
  }
  const notes: ApprovalNote[] = [];
  if (compareVersionIds(current.versionId, chosen.versionId) !== 0) {
    notes.push({
      kind: 'catalog-moved-on',
      table: name(ref),
      approvedVersionId: chosen.versionId,
      currentVersionId: current.versionId,
      currentVerdict: judged(current).verdict,
      contractVersion: active.version,
    });
  }
  const source: ApprovalSource = { kind: 'glue-version', versionId: chosen.versionId };
  const next = nextContractVersion(history, judgement.table, approval);
  if (next.outcome === 'unchanged') return { outcome: 'already-approved', version: next.version, source, notes };
  return { outcome: 'approved', next, source, incidentId: incidentIdOf(ref, chosen.versionId, chosen.document), notes };
}
