/**
 * `drift-guard approve`: turn a schema the table really had (a blocked incident, or a Glue version) into
 * the next contract version, with the approval record. Refuses what cannot be approved; approving
 * twice is harmless.
 */
import { type ContractHistory, activeContract } from '../contracts/contract-repository.js';
import { type ApprovalInput, type NextVersion, nextContractVersion } from '../contracts/contract-versioning.js';
import type { TableRef } from '../incidents/incident.js';
import { incidentIdFor } from '../incidents/incident.js';
import type { CatalogPort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';
import { compareVersionIds, isVersionId } from '../version-ids.js';
import { findingMessage } from '../wording/findings.js';

export interface ApprovalSelector {
  readonly incidentId?: string;
  readonly glueVersion?: string;
}

/** Approval refused: the message says why and what to do instead. */
export class ApprovalRefusedError extends Error {
  override readonly name = 'ApprovalRefusedError';
}

export type ApprovalPlan =
  | { readonly outcome: 'already-approved'; readonly version: number; readonly glueVersionId: string; readonly notes: readonly string[] }
  | {
      readonly outcome: 'approved';
      readonly next: Extract<NextVersion, { outcome: 'created' }>;
      readonly glueVersionId: string;
      readonly incidentId: string;
      readonly notes: readonly string[];
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
      const ids = versions.map((v) => v.versionId);
      throw new ApprovalRefusedError(
        `${name(ref)} has no Glue version ${selector.glueVersion} (it has ${ids.length === 0 ? 'none' : `${ids.at(-1) ?? ''}..${ids[0] ?? ''}`})`,
      );
    }
    return found;
  }
  if (selector.incidentId !== undefined) {
    const found = versions.find((v) => incidentIdFor(ref.database, ref.table, v.versionId) === selector.incidentId);
    if (found === undefined) {
      throw new ApprovalRefusedError(
        `no Glue version of ${name(ref)} has incident ${selector.incidentId}: that schema never was this table's (check the table name and the id in the alert)`,
      );
    }
    return found;
  }
  // By default: the newest version the contract does not accept (the latest blocked change), else the newest drift.
  const breaking = versions.find((v) => judged(v).verdict === 'breaking');
  const drifted = breaking ?? versions.find((v) => judged(v).verdict !== 'compliant');
  if (drifted === undefined) throw new ApprovalRefusedError(`nothing to approve: every Glue version of ${name(ref)} matches its active contract`);
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
    throw new ApprovalRefusedError(`${name(ref)} has no approved contract to build on: start one with \`drift-guard snapshot ${name(ref)}\``);
  }
  const versions = await catalog.listVersions(ref.database, ref.table);
  if (versions.length === 0) throw new ApprovalRefusedError(`${name(ref)} does not exist in the catalog (or has no versions)`);
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
    throw new ApprovalRefusedError(
      `Glue version ${chosen.versionId} of ${name(ref)} cannot be read (${judgement.findings.map(findingMessage).join('; ')}): fix the table, do not approve it`,
    );
  }
  const notes: string[] = [];
  const current = versions[0];
  if (current !== undefined && compareVersionIds(current.versionId, chosen.versionId) !== 0) {
    notes.push(
      `the catalog has moved on since Glue version ${chosen.versionId}: it is now at version ${current.versionId} (${judged(current).verdict} against contract v${active.version}); \`drift-guard resume ${name(ref)}\` writes the approved schema back once this contract version is deployed`,
    );
  }
  const next = nextContractVersion(history, judgement.table, approval);
  if (next.outcome === 'unchanged') return { outcome: 'already-approved', version: next.version, glueVersionId: chosen.versionId, notes };
  return { outcome: 'approved', next, glueVersionId: chosen.versionId, incidentId: incidentIdFor(ref.database, ref.table, chosen.versionId), notes };
}
