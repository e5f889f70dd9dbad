/**
 * Making the next contract version from a table's schema: the step behind `snapshot` (and later
 * `approve`). Metadata carries over from the latest version; every breaking finding against the
 * previous version is acknowledged in the approval record, so `drift-guard check` accepts the step.
 */
import type { Approval, Contract, EnforcementMode } from './contract.js';
import type { ContractHistory } from './contract-repository.js';
import { type Finding, type Judgement, judge } from './judge.js';
import type { CompatibilityMode } from './rules.js';
import { type CatalogTable, optional } from './table-schema.js';

export interface NewContractTerms {
  readonly compatibility?: CompatibilityMode | undefined;
  readonly enforcement?: EnforcementMode | undefined;
  readonly owners?: readonly string[] | undefined;
  readonly dependentWorkflows?: readonly string[] | undefined;
}

export interface ApprovalInput {
  readonly reviewer: string;
  readonly reason: string;
  readonly approvedAt: Date;
}

export type NextVersion =
  | { readonly outcome: 'unchanged'; readonly version: number }
  | { readonly outcome: 'created'; readonly contract: Contract; readonly previous?: Contract; readonly judgement?: Judgement };

/** Breaking findings a version must acknowledge against its predecessor. */
export function breakingFindings(judgement: Judgement): readonly Finding[] {
  return judgement.findings.filter((f) => f.severity === 'breaking');
}

export function nextContractVersion(
  history: ContractHistory | undefined,
  table: CatalogTable,
  approval: ApprovalInput,
  terms: NewContractTerms = {},
): NextVersion {
  const previous = history?.versions.at(-1)?.contract;
  let judgement: Judgement | undefined;
  if (previous !== undefined) {
    judgement = judge(previous, table.schema);
    if (judgement.findings.length === 0) return { outcome: 'unchanged', version: previous.version };
  }
  const owners = terms.owners !== undefined && terms.owners.length > 0 ? terms.owners : (previous?.owners ?? [approval.reviewer]);
  const record: Approval = {
    reviewer: approval.reviewer,
    approvedAt: approval.approvedAt.toISOString(),
    reason: approval.reason,
    ...optional('glueVersionId', table.versionId),
    acknowledges: judgement === undefined ? [] : breakingFindings(judgement).map((f) => ({ ruleId: f.ruleId, path: f.path })),
  };
  const contract: Contract = {
    version: (previous?.version ?? 0) + 1,
    status: 'approved',
    ...optional('description', previous?.description),
    compatibility: terms.compatibility ?? previous?.compatibility ?? 'consumer-safe',
    enforcement: terms.enforcement ?? previous?.enforcement ?? 'enforce',
    dependentWorkflows: terms.dependentWorkflows ?? previous?.dependentWorkflows ?? [],
    owners,
    approval: record,
    schema: table.schema,
  };
  return { outcome: 'created', contract, ...optional('previous', previous), ...optional('judgement', judgement) };
}
