/**
 * An incident's life in words: why a change was not restored, why a trigger was left alone or not restarted,
 * what resuming did or why it was refused, why an approval was refused and what its reviewer should know, and the
 * events of a table's history. Core modules return the codes and records; every sentence is here.
 */
import type { CannotRestoreReason, HoldLeaveReason, ProducerLeaveReason, ReleaseRefusal, RunReleaseNote } from '../incidents/policy.js';
import type { Finding } from '../judging/judge.js';
import type { HistoryEvent, HistoryWriter } from '../reviewing/history.js';
import type { ApprovalNote, ApprovalRefusal, ResumeCatalogNote, ResumeRefusal } from '../reviewing/reports.js';
import { findingMessage } from './findings.js';
import { contractOfRestoreSource } from '../incidents/records.js';

const findingList = (findings: readonly Finding[]): string => findings.map(findingMessage).join('; ');

/** Why a breaking change was not restored (the alert's "Catalog NOT restored: …", the outcome event's `reason`). */
export function cannotRestoreText(reason: CannotRestoreReason): string {
  switch (reason.code) {
    case 'data-pointer-format':
      return `${reason.format} tables keep their data pointer in the table parameters: restoring an old version would move it, so the guard never rolls them back`;
    case 'no-accepted-version':
      return 'no earlier Glue version of this table is accepted by the contract';
  }
}

/** Why holding a workflow left one of its triggers alone. */
export function holdLeaveText(reason: HoldLeaveReason): string {
  switch (reason.code) {
    case 'on-demand':
      return 'ON_DEMAND: never stopped, starting it would fire it';
    case 'not-stoppable':
      return `type ${reason.type}: not a trigger the guard stops`;
    case 'not-active':
      return `already ${reason.state}`;
  }
}

/** Why a producer (a crawler's own schedule, an EventBridge rule) was left alone when its pipeline was held. */
export function producerLeaveText(reason: ProducerLeaveReason): string {
  switch (reason.code) {
    case 'no-schedule':
      return 'no schedule of its own';
    case 'not-found':
      return 'not found';
    case 'managed':
      return `managed by ${reason.by}: never forced`;
    case 'state':
      return `already ${reason.state}`;
    case 'changed-meanwhile':
      return `state changed meanwhile (${reason.detail})`;
  }
}

/** A rule the guard disabled also had other targets: they stop too until release. */
export function ruleOtherTargetsText(rule: string, others: number): string {
  return `rule ${rule} also has ${String(others)} other target${others === 1 ? '' : 's'}: disabling it stops ${others === 1 ? 'it' : 'them'} too until release`;
}

/** Why releasing a producer the guard holds did not start it now. */
export function producerWaitText(state: string): string {
  return `${state}: not released now (the tag stays; the next resume or reconcile run tries again)`;
}

/** Producers an open incident holds, for its history line. */
function heldProducersText(producers: readonly { readonly kind: 'schedule' | 'rule'; readonly name: string }[]): string[] {
  const schedules = producers.filter((p) => p.kind === 'schedule').map((p) => p.name);
  const rules = producers.filter((p) => p.kind === 'rule').map((p) => p.name);
  return [...(schedules.length === 0 ? [] : [`crawler schedules ${schedules.join(', ')} stopped`]), ...(rules.length === 0 ? [] : [`rules ${rules.join(', ')} disabled`])];
}

/** Why resuming did not start a trigger the guard stopped. */
export function releaseRefusalText(reason: ReleaseRefusal): string {
  switch (reason.code) {
    case 'on-demand':
      return 'ON_DEMAND: never started, starting it would fire it';
    case 'event':
      return 'EVENT: Glue cannot start an EVENT trigger (it never deactivates)';
    case 'unsettled':
      return `state ${reason.state}, not the DEACTIVATED the guard left it in; run resume again once it settles`;
  }
}

/** A run the guard stopped, reported but not resumed (neither --resume-runs nor --restart-runs). */
export function skippedRunText(workflow: string): string {
  return runReleaseText({ code: 'not-asked', workflow });
}

/** What became of a run the guard stopped, when resuming. */
export function runReleaseText(note: RunReleaseNote): string {
  switch (note.code) {
    case 'not-asked':
      return `stopped by the guard in workflow ${note.workflow}; still held: --restart-runs starts it again (StartWorkflowRun), --leave-runs lets it go`;
    case 'left':
      return `stopped by the guard in workflow ${note.workflow}; left as it is (--leave-runs)`;
    case 'unsettled':
      return `run is ${note.status}: still held; run resume again once it is STOPPED`;
    case 'stopped-needs-restart':
      return 'run is STOPPED: Glue resumes only COMPLETED runs; still held: --restart-runs starts the workflow again (StartWorkflowRun)';
    case 'completed-needs-resume':
      return 'run is COMPLETED: still held; --resume-runs resumes its unfinished nodes (ResumeWorkflowRun)';
    case 'not-releasable':
      return `run is ${note.status}: neither resumed nor restarted; still held: --leave-runs lets it go`;
    case 'refused-for-now':
      return `${note.error}: ${note.message}; still held: run resume again later`;
    case 'not-found':
      return `run not found (${note.message})`;
    case 'nothing-unfinished':
      return 'nothing to resume: no job or crawler of the COMPLETED run was left unfinished';
    case 'already-resumed':
      return `already resumed as ${note.runId}`;
    case 'already-restarted':
      return `already restarted as ${note.runId}`;
  }
}

/** Runs resume left held, per workflow: why the incident stays open. */
export function stillHeldText(stillHeld: readonly { readonly workflow: string; readonly runs: readonly string[] }[]): string {
  return `still held: ${stillHeld.map((h) => `workflow ${h.workflow} run${h.runs.length === 1 ? '' : 's'} ${h.runs.join(', ')}`).join('; ')}`;
}

/** Reconcile found an open incident on a table no deployed contract guards. */
export function reconcileUnguardedText(): string {
  return 'no contract is deployed for this table any more: resume it by hand';
}

/** What resuming did to the catalog ("catalog: …" in the CLI, "is resolved: …" in the chat thread). */
export function resumeCatalogText(note: ResumeCatalogNote): string {
  switch (note.kind) {
    case 'kept-current':
      return `kept the catalog at version ${note.versionId} (${note.verdict}); the blocked change (version ${note.blockedVersionId}) stays rejected`;
    case 'already-approved':
      return `the catalog already holds the approved schema (version ${note.versionId})`;
    case 'wrote-back':
      return `wrote the approved schema of version ${note.versionId} back (contract v${note.contractVersion})`;
    case 'partitions':
      return [
        note.tableWrittenFrom === undefined
          ? `the table's schema stood; ${note.returned} held partition${note.returned === 1 ? '' : 's'} the contract accepts came back exactly as they were`
          : `the table was brought to the ${restoreSourceText(note.tableWrittenFrom)}; ${note.returned} held partition${note.returned === 1 ? '' : 's'} the contract accepts came back exactly as they were`,
        ...(note.stillHeld > 0 ? [`${note.stillHeld} partition${note.stillHeld === 1 ? '' : 's'} of this incident the contract still rejects stay held in ${note.heldTable} (\`SHOW PARTITIONS ${note.heldTable}\`)`] : []),
        ...(note.conflicts > 0 ? [`${note.conflicts} stay held because the table has their values again (nothing overwritten)`] : []),
      ].join('; ');
  }
}

/** What a reviewer command looked at to find a version: never the whole history. */
function reachText(table: string, reach: number): string {
  return `looked at the current version, the one the contract was approved from, the guard's notes and the ${String(reach)} versions before the current one; \`drift-guard history ${table}\` lists them all`;
}

/** Why resuming was refused, and what to do instead. */
export function resumeRefusalText(reason: ResumeRefusal): string {
  switch (reason.code) {
    case 'nothing-paused':
      return `nothing to resume: no trigger or workflow is held for ${reason.table} (pass --incident to write a blocked schema back anyway)`;
    case 'no-deployed-contract':
      return `the deployed guard has no contract for ${reason.table}: deploy one, or resume with --keep-current`;
    case 'unknown-incident':
      return `no Glue version of ${reason.table} within reach has incident ${reason.incidentId} (${reachText(reason.table, reason.reach)})`;
    case 'partitions-still-held':
      return `contract of ${reason.table} still rejects ${reason.count} partition${reason.count === 1 ? '' : 's'} of incident ${reason.incidentId} held in ${reason.heldTable}: approve their schema, merge and deploy first (they then come back), or resume with --keep-current to restart the pipeline while they stay held`;
    case 'table-missing':
      return `${reason.table} no longer exists in the catalog`;
    case 'still-breaking':
      return `${reason.table} is still breaking contract v${reason.contractVersion} (${findingList(reason.findings)}): resuming would feed it to the pipeline`;
    case 'not-approved-yet':
      return `contract v${reason.contractVersion} does not accept the blocked schema of version ${reason.blockedVersionId} yet (${findingList(reason.findings)}): approve it (\`drift-guard approve ${reason.table} --incident ${reason.incidentId}\`), merge and deploy first, or resume with --keep-current`;
    case 'never-written-back':
      return `${reason.table}: the blocked version ${reason.blockedVersionId} is not written back (${cannotRestoreText(reason.refusal)}); resume with --keep-current`;
    case 'changed-while-resuming':
      return `${reason.table} changed while resuming (it was at version ${reason.versionId}): run resume again`;
    case 'blocked-unreadable':
      return 'the blocked schema cannot be read';
  }
}

/** Why approving was refused, and what to do instead. */
export function approvalRefusalText(reason: ApprovalRefusal): string {
  switch (reason.code) {
    case 'no-such-version':
      return `${reason.table} has no Glue version ${reason.glueVersion} (${reason.currentVersionId === undefined ? 'it has none' : `its current version is ${reason.currentVersionId}; \`drift-guard history ${reason.table}\` lists the versions Glue still keeps`})`;
    case 'unknown-incident':
      return `no Glue version of ${reason.table} within reach has incident ${reason.incidentId}: check the table name and the id in the alert, or approve by \`--glue-version\` (${reachText(reason.table, reason.reach)})`;
    case 'nothing-to-approve':
      return `nothing to approve: the current version of ${reason.table} and the ${String(reason.reach)} before it match its active contract (approve an older one by \`--glue-version\`)`;
    case 'no-contract':
      return `${reason.table} has no approved contract to build on: start one with \`drift-guard snapshot ${reason.table}\``;
    case 'table-missing':
      return `${reason.table} does not exist in the catalog (or has no versions)`;
    case 'unreadable':
      return `Glue version ${reason.versionId} of ${reason.table} cannot be read (${findingList(reason.findings)}): fix the table, do not approve it`;
  }
}

/** A note for the reviewer who approved. */
export function approvalNoteText(note: ApprovalNote): string {
  // One kind of note so far ('catalog-moved-on'); a second kind makes this a switch.
  return `the catalog has moved on since Glue version ${note.approvedVersionId}: it is now at version ${note.currentVersionId} (${note.currentVerdict} against contract v${note.contractVersion}); \`drift-guard resume ${note.table}\` writes the approved schema back once this contract version is deployed`;
}

/** Who wrote a Glue version, as far as the catalog tells. */
export function historyWriterText(writer: HistoryWriter): string {
  switch (writer.kind) {
    case 'crawler':
      return `crawler ${writer.crawler}`;
    case 'guard':
      return 'drift-guard';
    case 'unknown':
      return 'unknown (API / job)';
  }
}

/** Where a restore's schema came from: a Glue version, or a contract applied to the table (`contract-v<N>`). */
export function restoreSourceText(restoredFrom: string): string {
  const contract = contractOfRestoreSource(restoredFrom);
  return contract === undefined ? `schema of version ${restoredFrom}` : `schema contract v${String(contract)} describes (applied to the table as it was)`;
}

/** One event of a table's timeline. */
export function historyEventText(event: HistoryEvent): string {
  switch (event.kind) {
    case 'resume':
      return `resume: approved schema of version ${event.resumedFrom} written back (incident ${event.incidentId})`;
    case 'alert-sent':
      return `alert for incident ${event.incidentId} sent (same schema as the version before)`;
    case 'restore':
      return `restore: ${restoreSourceText(event.restoredFrom)} written back over version ${event.replaced} (incident ${event.incidentId})`;
    case 'approved':
      return `approved as contract v${event.contractVersion} by ${event.reviewer} at ${event.approvedAt}: ${event.reason}`;
    case 'open':
      return `incident ${event.incidentId} open: ${[
        ...(event.triggers.length === 0 && event.producers !== undefined ? [] : [`triggers ${event.triggers.join(', ')} paused`]),
        ...heldProducersText(event.producers ?? []),
      ].join('; ')}`;
  }
}
