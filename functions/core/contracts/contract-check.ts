/**
 * The CI gate reviewers rely on: every version judged against its predecessor; each breaking
 * finding must be acknowledged (rule id + path) in the newer version's approval record.
 */
import type { ContractHistory } from './contract-repository.js';
import { breakingFindings, gatingTerms } from './contract-versioning.js';
import { type Finding, judge } from '../judging/judge.js';

export interface VersionStep {
  readonly from: number;
  readonly to: number;
  readonly file: string;
  readonly findings: readonly Finding[];
  /** Breaking findings the newer version does not acknowledge. */
  readonly unacknowledged: readonly Finding[];
  /** Acknowledgements that match no breaking finding (stale, or a typo). */
  readonly staleAcknowledgements: readonly { readonly ruleId: string; readonly path: string }[];
}

export interface HistoryCheck {
  readonly database: string;
  readonly table: string;
  readonly versions: number;
  readonly activeVersion?: number;
  readonly steps: readonly VersionStep[];
  readonly ok: boolean;
}

export function checkHistory(history: ContractHistory): HistoryCheck {
  const steps: VersionStep[] = [];
  for (let i = 1; i < history.versions.length; i += 1) {
    // Each version is judged against the latest approved one before it: what consumers relied on.
    const previous = history.versions.slice(0, i).findLast((v) => v.contract.status === 'approved');
    const current = history.versions[i];
    if (previous === undefined || current === undefined) continue;
    const judgement = judge(gatingTerms(previous.contract), current.contract.schema);
    const acknowledged = current.contract.approval?.acknowledges ?? [];
    const breaking = judgement.verdict === 'breaking' ? breakingFindings(judgement) : [];
    const key = (a: { ruleId: string; path: string }): string => `${a.ruleId} ${a.path}`;
    const ackKeys = new Set(acknowledged.map(key));
    const findingKeys = new Set(breaking.map(key));
    steps.push({
      from: previous.contract.version,
      to: current.contract.version,
      file: current.file,
      findings: judgement.findings,
      unacknowledged: breaking.filter((f) => !ackKeys.has(key(f))),
      staleAcknowledgements: acknowledged.filter((a) => !findingKeys.has(key(a))),
    });
  }
  const active = history.versions.findLast((v) => v.contract.status === 'approved');
  return {
    database: history.database,
    table: history.table,
    versions: history.versions.length,
    ...(active === undefined ? {} : { activeVersion: active.contract.version }),
    steps,
    ok: steps.every((s) => s.unacknowledged.length === 0),
  };
}
