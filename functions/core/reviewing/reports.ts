/**
 * What resuming and approving report, as data: notes and refusals are tagged records, worded in
 * core/wording/incident.ts (the reviewing modules import the wording; this file imports none, so the
 * wording can read these types without an import cycle).
 */
import type { Finding, Verdict } from '../judging/judge.js';
import type { RestoreRefusal } from '../incidents/policy.js';
import type { ProducerRelease, RestartResult, RunResumeResult } from '../ports.js';

/** What resuming did to the catalog. */
export type ResumeCatalogNote =
  /** --keep-current: the catalog stays at `versionId`; the blocked version stays rejected. */
  | { readonly kind: 'kept-current'; readonly versionId: string; readonly verdict: Verdict; readonly blockedVersionId: string }
  /** The catalog already holds the approved schema: nothing written. */
  | { readonly kind: 'already-approved'; readonly versionId: string }
  /** The blocked version's schema was written back. */
  | { readonly kind: 'wrote-back'; readonly versionId: string; readonly contractVersion: number }
  /**
   * A partition incident: the table stood; `returned` held partitions the contract accepts came back, `stillHeld` of
   * this incident stay in `heldTable` (`database.table`), `conflicts` stay held because the table has those values again.
   */
  | {
      readonly kind: 'partitions';
      readonly heldTable: string;
      readonly returned: number;
      readonly stillHeld: number;
      readonly conflicts: number;
      /** The table had kept a schema the approved contract rejects: it was written as that contract describes (`contract-v<N>`). */
      readonly tableWrittenFrom?: string;
    };

export interface ResumeReport {
  readonly database: string;
  readonly table: string;
  readonly incidentId: string;
  readonly contractVersion: number;
  /** The Glue version whose schema was written back, when one was. */
  readonly wroteBackVersionId?: string;
  readonly catalogNote: ResumeCatalogNote;
  readonly triggers: readonly RestartResult[];
  /** Crawler schedules started again and EventBridge rules enabled again (or why not). */
  readonly producers: readonly ProducerRelease[];
  readonly runs: readonly RunResumeResult[];
  /** Workflows whose hold was cleared: nothing of the incident is left on them. */
  readonly workflows: readonly string[];
  /** Runs still to be released, per workflow (still recorded on it): while any is, the incident stays open. */
  readonly stillHeld: readonly { readonly workflow: string; readonly runs: readonly string[] }[];
  /**
   * The "resumed" alert: sent, not configured (no topic), or failed. It goes out last, after the pipeline was
   * released, so a failure is reported here rather than thrown: the resume itself happened and must not be
   * reported (or retried) as failed.
   */
  readonly alert: { readonly status: 'sent' | 'not-configured' } | { readonly status: 'failed'; readonly error: string };
}

/** Why resuming was refused; `table` is `database.table`, `findings` the breaking ones. */
export type ResumeRefusal =
  | { readonly code: 'nothing-paused'; readonly table: string }
  /** A resume request reached the deployed reconcile function, which has no contract for the table. */
  | { readonly code: 'no-deployed-contract'; readonly table: string }
  /** `reach`: how many versions before the current one were looked at (version-lookup.ts). */
  | { readonly code: 'unknown-incident'; readonly table: string; readonly incidentId: string; readonly reach: number }
  | { readonly code: 'table-missing'; readonly table: string }
  | { readonly code: 'still-breaking'; readonly table: string; readonly contractVersion: number; readonly findings: readonly Finding[] }
  | {
      readonly code: 'not-approved-yet';
      readonly table: string;
      readonly contractVersion: number;
      readonly blockedVersionId: string;
      readonly incidentId: string;
      readonly findings: readonly Finding[];
    }
  | { readonly code: 'never-written-back'; readonly table: string; readonly blockedVersionId: string; readonly refusal: RestoreRefusal }
  | { readonly code: 'changed-while-resuming'; readonly table: string; readonly versionId: string }
  /** A partition incident whose partitions the contract still rejects: approve, or resume with --keep-current. */
  | { readonly code: 'partitions-still-held'; readonly table: string; readonly incidentId: string; readonly heldTable: string; readonly count: number }
  | { readonly code: 'blocked-unreadable' };

/** Why approving was refused; `table` is `database.table`. */
export type ApprovalRefusal =
  /** `currentVersionId`: the table's current version (undefined: the table does not exist). */
  | { readonly code: 'no-such-version'; readonly table: string; readonly glueVersion: string; readonly currentVersionId?: string }
  /** `reach`: how many versions before the current one were looked at (version-lookup.ts). */
  | { readonly code: 'unknown-incident'; readonly table: string; readonly incidentId: string; readonly reach: number }
  | { readonly code: 'nothing-to-approve'; readonly table: string; readonly reach: number }
  | { readonly code: 'no-contract'; readonly table: string }
  | { readonly code: 'table-missing'; readonly table: string }
  | { readonly code: 'unreadable'; readonly table: string; readonly versionId: string; readonly findings: readonly Finding[] };

/** Something the reviewer should know about an approval. */
export type ApprovalNote = {
  readonly kind: 'catalog-moved-on';
  readonly table: string;
  readonly approvedVersionId: string;
  readonly currentVersionId: string;
  readonly currentVerdict: Verdict;
  readonly contractVersion: number;
};
