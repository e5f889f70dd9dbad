/**
 * Making the next contract version from a table's schema: the step behind `snapshot` (and later
 * `approve`). Metadata carries over from the latest version; every breaking finding against the
 * previous version is acknowledged in the approval record, so `drift-guard check` accepts the step.
 */
import type { Approval, Contract, EnforcementMode } from './contract.js';
import { type ContractHistory, activeContract } from './contract-repository.js';
import { type ContractTerms, type Finding, type Judgement, judge } from '../judging/judge.js';
import type { CompatibilityMode } from '../judging/rules.js';
import { InputError } from '../errors.js';
import { type CatalogTable, optional } from '../schema/table-schema.js';
import { emptyTableExpectation } from '../wording/contract-input.js';

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

/**
 * The terms a new version is gated by: its approved predecessor's schema, judged consumer-safe (or
 * strict, if the predecessor is strict). An observe-mode predecessor does not waive the review.
 */
export function gatingTerms(previous: Contract): ContractTerms {
  return { schema: previous.schema, compatibility: previous.compatibility === 'strict' ? 'strict' : 'consumer-safe' };
}

function sameList(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b === undefined || b.length === 0 || (a.length === b.length && a.every((x, i) => x === b[i]));
}

/** True when the terms asked for are those the contract already has. */
function sameTerms(contract: Contract, terms: NewContractTerms): boolean {
  return (
    (terms.compatibility === undefined || terms.compatibility === contract.compatibility) &&
    (terms.enforcement === undefined || terms.enforcement === contract.enforcement) &&
    sameList(contract.owners, terms.owners) &&
    sameList(contract.dependentWorkflows, terms.dependentWorkflows)
  );
}

/** Breaking findings a version must acknowledge against its predecessor. */
export function breakingFindings(judgement: Judgement): readonly Finding[] {
  return judgement.findings.filter((f) => f.severity === 'breaking');
}

/**
 * Why no contract may be written from `table`: it has no columns (no StorageDescriptor, or an empty column list),
 * so the contract would accept any row shape while looking like a guard. Undefined when a contract is fine.
 * Table kinds whose columns live elsewhere than StorageDescriptor.Columns (should any be supported) are exempted
 * here, in this one function, which every writer (snapshot, approve) goes through via nextContractVersion.
 */
export function emptyTableProblem(table: CatalogTable): InputError | undefined {
  if (table.schema.columns.length > 0) return undefined;
  return new InputError(`${table.schema.database}.${table.schema.name}`, 'StorageDescriptor.Columns', emptyTableExpectation());
}

/**
 * Whether `previous` records what readers read that the table declares (the Avro reader schema, a view's SQL): a
 * contract written before these were recorded gets a new version that records them, even with nothing else changed.
 */
function recordsReaderFacts(previous: Contract, table: CatalogTable): boolean {
  const was = previous.schema;
  const now = table.schema;
  return (was.storage.avroSchema !== undefined || now.storage.avroSchema === undefined) && (was.view !== undefined || now.view === undefined);
}

/** Throws an InputError (the table, the field) when no contract may be written from `table`. */
export function nextContractVersion(
  history: ContractHistory | undefined,
  table: CatalogTable,
  approval: ApprovalInput,
  terms: NewContractTerms = {},
): NextVersion {
  const empty = emptyTableProblem(table);
  if (empty !== undefined) throw empty;
  // Judged against what consumers rely on: the active (latest approved) version, not a proposed or rejected one.
  const previous = history === undefined ? undefined : activeContract(history)?.contract;
  const latestVersion = history?.versions.at(-1)?.contract.version ?? 0;
  let judgement: Judgement | undefined;
  if (previous !== undefined) {
    judgement = judge(gatingTerms(previous), table.schema);
    if (judgement.findings.length === 0 && sameTerms(previous, terms) && recordsReaderFacts(previous, table)) {
      return { outcome: 'unchanged', version: previous.version };
    }
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
    version: latestVersion + 1,
    status: 'approved',
    ...optional('description', previous?.description),
    compatibility: terms.compatibility ?? previous?.compatibility ?? 'consumer-safe',
    enforcement: terms.enforcement ?? previous?.enforcement ?? 'enforce',
    dependentWorkflows: terms.dependentWorkflows ?? previous?.dependentWorkflows ?? [],
    ...optional('stopRunningRuns', previous?.stopRunningRuns),
    owners,
    approval: record,
    schema: table.schema,
  };
  return { outcome: 'created', contract, ...optional('previous', previous), ...optional('judgement', judgement) };
}
