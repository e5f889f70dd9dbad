/**
 * What the writers of contracts expect of their input, for the errors that refuse it: Glue names
 * (wording/names.ts), a table with columns, a reason for accepting breaking changes.
 */
import type { Finding } from '../judging/judge.js';
import { findingMessage, findingReason } from './findings.js';

/** A table whose contract would guard nothing (contract-versioning.ts `emptyTableProblem`). */
export function emptyTableExpectation(): string {
  return 'a table with at least one column (found none: no StorageDescriptor, or an empty StorageDescriptor.Columns); a contract written from it would guard nothing, so none is written';
}

/** `snapshot` that would accept breaking changes without `--reason`: the changes, and what to do. */
export function snapshotReasonExpectation(fromVersion: number, toVersion: number, breaking: readonly Finding[]): string {
  return [
    `a reason: v${toVersion} would accept ${breaking.length === 1 ? '1 breaking change' : `${breaking.length} breaking changes`} against v${fromVersion} (drift-guard approve asks for one too); nothing written`,
    ...breaking.flatMap((f) => [`  ✖ ${f.ruleId}  ${findingMessage(f)}`, `      ${f.path} — ${findingReason(f)}`]),
    `  give --reason "<why consumers can take this>" to write v${toVersion} acknowledging ${breaking.length === 1 ? 'it' : 'them'}`,
  ].join('\n');
}
