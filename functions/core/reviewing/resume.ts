/**
 * Resuming what the guard paused: once the active contract accepts the blocked schema, write it back
 * (optimistic lock) and restart exactly the triggers tagged with the incident; with `keepCurrent`, the
 * change was rejected: restart the pipeline on the schema the catalog holds. Used by `drift-guard resume`
 * and by the reconcile function after each deploy.
 */
import { renderResumeAlert } from '../wording/alert.js';

import type { Contract } from '../contracts/contract.js';
import { resumeRefusalText, runReleaseText, skippedRunText } from '../wording/incident.js';
import type { TableRef } from '../incidents/incident.js';
import {
  type CatalogPort,
  type NotifierPort,
  type Origin,
  type PausedTrigger,
  type PartitionPort,
  type PipelinePort,
  type ProducerRelease,
  RestoreConflictError,
  type RestartResult,
  type RunResumeResult,
  type StoredTable,
} from '../ports.js';
import { type DocumentJudgement, type Finding, judgeDocument } from '../judging/judge.js';
import { restoreRefusal } from '../incidents/policy.js';
import { contractRestoreSource, partitionHoldOf, versionNoteParameters } from '../incidents/records.js';
import { contractAppliedDocument } from '../guard/contract-table.js';
import { returnHeldPartitions } from './held-partitions.js';
import { compareVersionIds } from '../version-ids.js';
import { REVIEW_VERSIONS_WALKED, findIncidentVersion, versionReader } from './version-lookup.js';
import type { ResumeCatalogNote, ResumeRefusal, ResumeReport } from './reports.js';


/** Resuming refused: `reason` says why (worded as the message). */
export class ResumeRefusedError extends Error {
  override readonly name = 'ResumeRefusedError';
  constructor(
    readonly reason: ResumeRefusal,
    options?: { cause?: unknown },
  ) {
    super(resumeRefusalText(reason), options);
  }
}

export interface ResumeOptions {
  readonly incidentId?: string;
  /** The change was rejected: keep the catalog as it is, only restart the pipeline. */
  readonly keepCurrent?: boolean;
  /** Resume the recorded runs that are COMPLETED with nodes left to run (ResumeWorkflowRun). */
  readonly resumeRuns?: boolean;
  /** Start the workflow again for each recorded run that is STOPPED (StartWorkflowRun). */
  readonly restartRuns?: boolean;
  /** Let the recorded runs go: neither resumed nor restarted, no longer held. */
  readonly leaveRuns?: boolean;
}

export interface ResumeDeps<T extends StoredTable> {
  readonly catalog: CatalogPort<T>;
  /** Partitions: a partition incident's held partitions come back (held-partitions.ts); without it, only table incidents resume. */
  readonly partitions?: PartitionPort;
  readonly pipelines: PipelinePort;
  /** Optional: the "resumed" alert goes to the incident's chat thread when a topic is configured. */
  readonly notifier?: NotifierPort;
}

const name = (ref: TableRef): string => `${ref.database}.${ref.table}`;

/** The open incidents of a table (from the triggers and workflows the guard tagged), newest blocked version first. */
export async function openIncidents<T extends StoredTable>(
  deps: ResumeDeps<T>,
  ref: TableRef,
  origin: Origin,
  approvedFrom?: string,
): Promise<{ readonly incidentId: string; readonly version?: T; readonly triggers: readonly PausedTrigger[] }[]> {
  const triggers = await deps.pipelines.findPausedTriggers(origin, { table: name(ref) });
  // A workflow still holding runs keeps its incident open after its triggers were restarted; so does a held producer
  // (a crawler schedule, a rule), the only record of an incident whose crawler runs outside any workflow.
  const workflows = await deps.pipelines.findPausedWorkflows(origin, { table: name(ref) });
  const producers = await deps.pipelines.findHeldProducers(origin, { table: name(ref) });
  const ids = [...new Set([...triggers.map((t) => t.incidentId), ...workflows.map((w) => w.incidentId), ...producers.map((p) => p.incidentId)])];
  if (ids.length === 0) return [];
  // Each incident's version by id, within a bounded reach (version-lookup.ts), never the whole history.
  const current = await deps.catalog.getTable(ref.database, ref.table);
  const reader = versionReader(deps.catalog, ref);
  const found = await Promise.all(
    ids.map(async (incidentId) => ({
      incidentId,
      ...optionalVersion(current === undefined ? undefined : await findIncidentVersion(reader, ref, current, incidentId, approvedFrom)),
      triggers: triggers.filter((t) => t.incidentId === incidentId),
    })),
  );
  return found
    .sort((a, b) => (a.version === undefined ? 1 : b.version === undefined ? -1 : compareVersionIds(b.version.versionId, a.version.versionId)));
}

function optionalVersion<T>(version: T | undefined): { version?: T } {
  return version === undefined ? {} : { version };
}

export async function resumeTable<T extends StoredTable>(
  deps: ResumeDeps<T>,
  contract: Contract,
  ref: TableRef,
  origin: Origin,
  options: ResumeOptions = {},
): Promise<ResumeReport> {
  const approvedFrom = contract.approval?.glueVersionId;
  const incidentId = options.incidentId ?? (await openIncidents(deps, ref, origin, approvedFrom))[0]?.incidentId;
  if (incidentId === undefined) throw new ResumeRefusedError({ code: 'nothing-paused', table: name(ref) });
  const current = await deps.catalog.getTable(ref.database, ref.table);
  if (current === undefined) throw new ResumeRefusedError({ code: 'table-missing', table: name(ref) });
  // The blocked version by id (the guard's note on the current table, the contract's approved version, or one of
  // the few before the current one): resume never lists the history. None: a partition incident (or unknown).
  const blocked = await findIncidentVersion(versionReader(deps.catalog, ref), ref, current, incidentId, approvedFrom);

  let wroteBackVersionId: string | undefined;
  let catalogNote: ResumeCatalogNote;
  if (blocked === undefined) {
    catalogNote = await resumePartitions(deps, contract, ref, incidentId, options, current);
  } else if (options.keepCurrent === true) {
    const now = judgeDocument(contract, `glue://${name(ref)}@${current.versionId}`, current.document);
    if (now.verdict === 'breaking') {
      throw new ResumeRefusedError({ code: 'still-breaking', table: name(ref), contractVersion: contract.version, findings: breakingOnly(now) });
    }
    catalogNote = { kind: 'kept-current', versionId: current.versionId, verdict: now.verdict, blockedVersionId: blocked.versionId };
  } else {
    const verdict = judgeDocument(contract, `glue://${name(ref)}@${blocked.versionId}`, blocked.document);
    if (verdict.verdict === 'breaking') {
      throw new ResumeRefusedError({
        code: 'not-approved-yet',
        table: name(ref),
        contractVersion: contract.version,
        blockedVersionId: blocked.versionId,
        incidentId,
        findings: breakingOnly(verdict),
      });
    }
    const asNow = judgeDocument({ schema: verdictSchema(verdict), compatibility: 'strict' }, 'current', current.document);
    const refusal = restoreRefusal(verdictSchema(verdict).storage.format);
    if (asNow.verdict === 'compliant') {
      catalogNote = { kind: 'already-approved', versionId: current.versionId };
    } else if (refusal !== undefined) {
      throw new ResumeRefusedError({ code: 'never-written-back', table: name(ref), blockedVersionId: blocked.versionId, refusal });
    } else {
      try {
        const note = versionNoteParameters({ kind: 'resume', incidentId, resumedFrom: blocked.versionId, replaced: current.versionId });
        await deps.catalog.restore(ref.database, ref.table, blocked, current.versionId, note);
      } catch (error) {
        if (error instanceof RestoreConflictError) throw new ResumeRefusedError({ code: 'changed-while-resuming', table: name(ref), versionId: current.versionId }, { cause: error });
        throw error;
      }
      wroteBackVersionId = blocked.versionId;
      catalogNote = { kind: 'wrote-back', versionId: blocked.versionId, contractVersion: contract.version };
    }
  }

  const paused = await deps.pipelines.findPausedTriggers(origin, { table: name(ref), incidentId });
  const triggers: RestartResult[] = [];
  for (const trigger of paused) triggers.push(await deps.pipelines.restartTrigger(trigger, origin));
  // What starts the pipeline from outside: crawler schedules and EventBridge rules the guard held for this incident.
  const producers: ProducerRelease[] = [];
  for (const held of await deps.pipelines.findHeldProducers(origin, { incidentId })) producers.push(await deps.pipelines.releaseProducer(held, origin));
  const workflows = await deps.pipelines.findPausedWorkflows(origin, { incidentId });
  const runs: RunResumeResult[] = [];
  const stillHeld: { readonly workflow: string; readonly runs: readonly string[] }[] = [];
  for (const workflow of workflows) {
    const held: string[] = [];
    for (const runId of workflow.stoppedRuns) {
      // The tag is the only record of the runs the guard stopped: a run not released yet stays in it.
      const result = await releaseRun(deps.pipelines, workflow.workflow, runId, options);
      runs.push(result);
      if (result.outcome === 'held') held.push(runId);
    }
    await deps.pipelines.clearWorkflow(workflow.workflow, incidentId, origin, held);
    if (held.length > 0) stillHeld.push({ workflow: workflow.workflow, runs: held });
  }
  const released = {
    database: ref.database,
    table: ref.table,
    incidentId,
    contractVersion: contract.version,
    ...(wroteBackVersionId === undefined ? {} : { wroteBackVersionId }),
    catalogNote,
    triggers,
    producers,
    runs,
    workflows: workflows.filter((w) => !stillHeld.some((h) => h.workflow === w.workflow)).map((w) => w.workflow),
    stillHeld,
  };
  if (deps.notifier === undefined) return { ...released, alert: { status: 'not-configured' } };
  try {
    await deps.notifier.publish(renderResumeAlert(released));
    return { ...released, alert: { status: 'sent' } };
  } catch (error) {
    return { ...released, alert: { status: 'failed', error: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * A partition incident (no table version carries it): accepted held partitions come back first; the pipeline is
 * released once none of the incident's partitions is still held, or with --keep-current while they stay held.
 */
async function resumePartitions<T extends StoredTable>(
  deps: ResumeDeps<T>,
  contract: Contract,
  ref: TableRef,
  incidentId: string,
  options: ResumeOptions,
  current: T,
): Promise<ResumeCatalogNote> {
  const back = deps.partitions === undefined ? undefined : await returnHeldPartitions({ catalog: deps.catalog, partitions: deps.partitions }, contract, ref);
  if (back?.incidents.has(incidentId) !== true) throw new ResumeRefusedError({ code: 'unknown-incident', table: name(ref), incidentId, reach: REVIEW_VERSIONS_WALKED });
  const heldTable = `${ref.database}.${back.heldTable}`;
  const mine = back.stillHeld.filter((p) => partitionHoldOf(p.Parameters)?.incidentId === incidentId).length;
  if (mine > 0 && options.keepCurrent !== true) throw new ResumeRefusedError({ code: 'partitions-still-held', table: name(ref), incidentId, heldTable, count: mine });
  const note = { kind: 'partitions', heldTable, returned: back.returned.length, stillHeld: mine, conflicts: back.conflicts.length } as const;
  if (options.keepCurrent === true) return note;
  // The approval accepted the partitions' schema; a table that kept the old one (the crawl changed only partitions)
  // is brought to it, so readers of the table and of its partitions agree: the contract applied to the table,
  // judged before it is written (never a definition the contract rejects).
  if (judgeDocument(contract, `glue://${name(ref)}@${current.versionId}`, current.document).verdict !== 'breaking') return note;
  const built = contractAppliedDocument(contract, current.document);
  const source = contractRestoreSource(contract.version);
  if (built === undefined || judgeDocument(contract, `${source} applied to glue://${name(ref)}`, built).verdict === 'breaking') return note;
  const parameters = versionNoteParameters({ kind: 'resume', incidentId, resumedFrom: source, replaced: current.versionId });
  try {
    await deps.catalog.restore(ref.database, ref.table, { versionId: current.versionId, document: built }, current.versionId, parameters);
  } catch (error) {
    if (error instanceof RestoreConflictError) throw new ResumeRefusedError({ code: 'changed-while-resuming', table: name(ref), versionId: current.versionId });
    throw error;
  }
  return { ...note, tableWrittenFrom: source };
}

/**
 * Releases one run the guard stopped as the reviewer asked: --restart-runs starts a STOPPED run again, --resume-runs
 * resumes a COMPLETED one (both: whichever fits the run's state), --leave-runs lets it go; otherwise it stays held.
 */
async function releaseRun(pipelines: PipelinePort, workflow: string, runId: string, options: ResumeOptions): Promise<RunResumeResult> {
  if (options.leaveRuns === true) return { runId, outcome: 'skipped', detail: runReleaseText({ code: 'left', workflow }) };
  if (options.restartRuns === true) {
    const restarted = await pipelines.restartRun(workflow, runId);
    if (options.resumeRuns !== true || restarted.status !== 'COMPLETED') return restarted;
  }
  if (options.resumeRuns === true) return pipelines.resumeRun(workflow, runId);
  return { runId, outcome: 'held', detail: skippedRunText(workflow) };
}

/** The schema of a judged document; an unreadable one cannot be written back. */
function verdictSchema(judgement: DocumentJudgement): Contract['schema'] {
  if (judgement.table === undefined) throw new ResumeRefusedError({ code: 'blocked-unreadable' });
  return judgement.table.schema;
}

const breakingOnly = (judgement: DocumentJudgement): readonly Finding[] => judgement.findings.filter((f) => f.severity === 'breaking');
