/**
 * `drift-guard approve`: turn a schema the table really had (a blocked incident, or a Glue version) into
 * the next contract version, with the approval record. Refuses what cannot be approved; approving
 * twice is harmless.
 */
import { type ContractHistory, activeContract } from '../contracts/contract-repository.js';
import { type ApprovalInput, type NextVersion, nextContractVersion } from '../contracts/contract-versioning.js';
import type { TableRef } from '../incidents/incident.js';
import { incidentIdOf } from '../incidents/incident.js';
import type { CatalogPort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { compareVersionIds, isVersionId } from '../version-ids.js';
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

export type ApprovalPlan =
  | { readonly outcome: 'already-approved'; readonly version: number; readonly glueVersionId: string; readonly notes: readonly ApprovalNote[] }
  | {
      readonly outcome: 'approved';
      readonly next: Extract<NextVersion, { outcome: 'created' }>;
      readonly glueVersionId: string;
      readonly incidentId: string;
      readonly notes: readonly ApprovalNote[];
    };

const name = (ref: TableRef): string => `${ref.database}.${ref.table}`;

function selectVersion<T extends StoredTable>(
  ref: TableRef,
  versions: readonly T[],
  judged: (version: T) => DocumentJudgement,
  selector: ApprovalSelector,
): T {
  if (selector.glueVersion !== undefined) {
    const wanted = selector.glueVersion;
    const found = isVersionId(wanted) ? versions.find((v) => compareVersionIds(v.versionId, wanted) === 0) : undefined;
    if (found === undefined) {
      throw new ApprovalRefusedError({ code: 'no-such-version', table: name(ref), glueVersion: selector.glueVersion, versionIds: versions.map((v) => v.versionId) });
    }
    return found;
  }
  if (selector.incidentId !== undefined) {
    const found = versions.find((v) => incidentIdOf(ref, v.versionId, v.document) === selector.incidentId);
    if (found === undefined) throw new ApprovalRefusedError({ code: 'unknown-incident', table: name(ref), incidentId: selector.incidentId });
    return found;
  }
  // By default: the newest version the contract does not accept (the latest blocked change), else the newest drift.
  const breaking = versions.find((v) => judged(v).verdict === 'breaking');
  const drifted = breaking ?? versions.find((v) => judged(v).verdict !== 'compliant');
  if (drifted === undefined) throw new ApprovalRefusedError({ code: 'nothing-to-approve', table: name(ref) });
  return drifted;
}

export async function planApproval<T extends StoredTable>(
  catalog: CatalogPort<T>,
  history: ContractHistory | undefined,
  ref: TableRef,
  selector: ApprovalSelector,
  approval: ApprovalInput,
): Promise<ApprovalPlan> {
  const active = history === undefined ? undefined : activeContract(history)?.contract;
  if (history === undefined || active === undefined) {
    throw new ApprovalRefusedError({ code: 'no-contract', table: name(ref) });
  }
  const versions = await catalog.listVersions(ref.database, ref.table);
  if (versions.length === 0) throw new ApprovalRefusedError({ code: 'table-missing', table: name(ref) });
  const cache = new Map<string, DocumentJudgement>();
  const judged = (version: T): DocumentJudgement => {
    const known = cache.get(version.versionId);
    if (known !== undefined) return known;
    const result = judgeDocument(active, `glue://${name(ref)}@${version.versionId}`, version.document);
    cache.set(version.versionId, result);
    return result;
  };
  const chosen = selectVersion(ref, versions, judged, selector);
  const judgement = judged(chosen);
  if (judgement.table === undefined) {
    throw new ApprovalRefusedError({ code: 'unreadable', table: name(ref), versionId: chosen.versionId, findings: judgement.findings });
  }
  const notes: ApprovalNote[] = [];
  const current = versions[0];
  if (current !== undefined && compareVersionIds(current.versionId, chosen.versionId) !== 0) {
    notes.push({
      kind: 'catalog-moved-on',
      table: name(ref),
      approvedVersionId: chosen.versionId,
      currentVersionId: current.versionId,
      currentVerdict: judged(current).verdict,
      contractVersion: active.version,
    });
  }
  const next = nextContractVersion(history, judgement.table, approval);
  if (next.outcome === 'unchanged') return { outcome: 'already-approved', version: next.version, glueVersionId: chosen.versionId, notes };
  return { outcome: 'approved', next, glueVersionId: chosen.versionId, incidentId: incidentIdOf(ref, chosen.versionId, chosen.document), notes };
}
