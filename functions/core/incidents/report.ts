/** What the guard reports about an incident: one record, worded for chat, email and automation in core/wording. */
import type { Contract } from '../contracts/contract.js';
import type { DocumentJudgement, Judgement } from '../judging/judge.js';
import type { PauseResult, ScheduleHold } from '../ports.js';
import type { CannotRestoreReason } from './policy.js';
import type { EventOrigin, TableRef } from './incident.js';

export type IncidentOutcome = 'blocked' | 'cannot-restore' | 'observed' | 'allowed';

/** An incident's facts before anything was done about it: the same whatever the outcome. */
export interface IncidentFacts {
  readonly incidentId: string;
  readonly database: string;
  readonly table: string;
  readonly region: string;
  readonly account: string;
  readonly contractVersion: number;
  readonly judgement: Judgement;
  /** The Glue version whose schema was judged. */
  readonly offendingVersionId: string;
  /** Who wrote it, when a crawler did (Parameters.UPDATED_BY_CRAWLER). */
  readonly crawler?: string;
  /** A partition incident: the table's schema stands, these partitions' schema does not. */
  readonly partitions?: PartitionFacts;
}

/** The partitions an incident is about (`judgement` is the first one's), and what the guard did with them. */
export interface PartitionFacts {
  /** Values of the breaking partitions this report is about, in the event's order. */
  readonly values: readonly (readonly string[])[];
  /** The table (same database) they were moved to with their definitions; absent when nothing was moved (observed). */
  readonly heldTable?: string;
  /** Partitions left in place: the held table already holds different definitions with the same values. */
  readonly conflicts: readonly (readonly string[])[];
}

export interface IncidentReport extends IncidentFacts {
  readonly outcome: IncidentOutcome;
  /** blocked: the version whose schema was written back. */
  readonly restoredFromVersionId?: string;
  /** cannot-restore: why not. */
  readonly reason?: CannotRestoreReason;
  readonly pauses: readonly PauseResult[];
  /** The own schedule of the crawler that wrote the drift, when it has one and no held workflow's pause covered it. */
  readonly crawlerSchedule?: ScheduleHold;
}

export function incidentFacts(
  contract: Pick<Contract, 'version'>,
  ref: TableRef,
  origin: EventOrigin,
  incidentId: string,
  offendingVersionId: string,
  judgement: DocumentJudgement,
): IncidentFacts {
  const crawler = judgement.table?.updatedByCrawler;
  return {
    incidentId,
    database: ref.database,
    table: ref.table,
    region: origin.region,
    account: origin.account,
    contractVersion: contract.version,
    judgement,
    offendingVersionId,
    ...(crawler === undefined ? {} : { crawler }),
  };
}
