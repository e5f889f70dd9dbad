/**
 * PipelinePort over Glue: finds what the guard paused (by the tags glue-workflows.ts wrote) and starts exactly that
 * again. Never StartTrigger on an ON_DEMAND trigger (it would fire it) or an EVENT one (Glue refuses: EVENT triggers
 * never (de)activate). Restart order is start, then untag: a crash in between leaves a tag on an ACTIVATED trigger,
 * which the next resume cleans up as "already-active"; the opposite order could lose a stopped trigger for good.
 */
import { mapBounded } from '../core/concurrency.js';
import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  GetTagsCommand,
  GetTriggerCommand,
  GetWorkflowRunCommand,
  GlueClient,
  IllegalWorkflowStateException,
  InvalidInputException,
  paginateGetTriggers,
  paginateGetWorkflowRuns,
  paginateListWorkflows,
  ResumeWorkflowRunCommand,
  StartTriggerCommand,
  StartWorkflowRunCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Node,
  type Trigger,
  type WorkflowRun,
} from '@aws-sdk/client-glue';
import type {
  PausedTrigger,
  PausedWorkflow,
  PipelinePort,
  RestartResult,
  RunResumeResult,
} from '../core/ports.js';
import { awsCallError, UnexpectedResponseError } from './errors.js';
import { type RunReleaseNote, triggerReleaseAction } from '../core/incidents/policy.js';
import { releaseRefusalText, runReleaseText } from '../core/wording/incident.js';
import {
  TRIGGER_HOLD_KEYS,
  WORKFLOW_HOLD_KEYS,
  heldBy,
  restartOf,
  restartRunProperties,
  triggerHoldOf,
  workflowHoldOf,
  workflowHoldTags,
} from '../core/incidents/records.js';
import { triggerArn, workflowArn } from './glue-workflows.js';
import { createProducerReleases } from './producer-holds.js';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** GetTags calls in flight at once while scanning every trigger / workflow of the account. */
export const TAG_READ_CONCURRENCY = 8;

type Tags = Readonly<Record<string, string>>;

/**
 * Glue resumes only COMPLETED runs (developer guide, "Repairing and resuming a workflow run"; any other state answers
 * IllegalWorkflowStateException). A run the guard stopped ends STOPPED: it is started again with StartWorkflowRun.
 */
const RESUMABLE_RUN_STATE = 'COMPLETED';
const RESTARTABLE_RUN_STATE = 'STOPPED';
/** A run on its way: neither resumed nor restarted until it settles. */
const UNSETTLED_RUN_STATES: ReadonlySet<string> = new Set(['RUNNING', 'STOPPING']);

const skippedRun = (runId: string, note: RunReleaseNote, status?: string): RunResumeResult => ({
  runId,
  outcome: 'skipped',
  detail: runReleaseText(note),
  ...(status === undefined ? {} : { status }),
});
const heldRun = (runId: string, note: RunReleaseNote, status?: string): RunResumeResult => ({
  runId,
  outcome: 'held',
  detail: runReleaseText(note),
  ...(status === undefined ? {} : { status }),
});

/** Job / crawler nodes the run attempted and that never succeeded: what ResumeWorkflowRun may restart. */
export function unfinishedNodeIds(run: WorkflowRun): string[] {
  const unfinished = (node: Node): boolean => {
    if (node.Type === 'JOB') {
      const states = (node.JobDetails?.JobRuns ?? []).map((r) => r.JobRunState);
      return states.length > 0 && !states.includes('SUCCEEDED');
    }
    if (node.Type === 'CRAWLER') {
      const states = (node.CrawlerDetails?.Crawls ?? []).map((c) => c.State);
      return states.length > 0 && !states.includes('SUCCEEDED');
    }
    return false;
  };
  return (run.Graph?.Nodes ?? []).flatMap((node) => (node.UniqueId !== undefined && unfinished(node) ? [node.UniqueId] : []));
}

/** `events`: also finds and releases the EventBridge rules the guard disabled (without it, crawler schedules only). */
export function createGluePipelines({ client = new GlueClient({}), events }: { client?: GlueClient; events?: EventBridgeClient } = {}): PipelinePort {
  const producers = createProducerReleases({ glue: client, events });
  /** The resource's tags; undefined when it no longer exists. */
  const getTags = async (arn: string): Promise<Tags | undefined> => {
    try {
      return (await client.send(new GetTagsCommand({ ResourceArn: arn }))).Tags ?? {};
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw awsCallError('glue:GetTags', error);
    }
  };

  const untag = async (arn: string, keys: readonly string[]): Promise<void> => {
    try {
      await client.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: [...keys] }));
    } catch (error) {
      // Deleted since: its tags went with it.
      if (error instanceof EntityNotFoundException) return;
      throw awsCallError('glue:UntagResource', error);
    }
  };

  const getTrigger = async (name: string): Promise<Trigger | undefined> => {
    try {
      return (await client.send(new GetTriggerCommand({ Name: name }))).Trigger;
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw awsCallError('glue:GetTrigger', error);
    }
  };

  const allTriggers = async (): Promise<Trigger[]> => {
    const triggers: Trigger[] = [];
    try {
      for await (const page of paginateGetTriggers({ client }, {})) triggers.push(...(page.Triggers ?? []));
    } catch (error) {
      throw awsCallError('glue:GetTriggers', error);
    }
    return triggers;
  };

  const allWorkflowNames = async (): Promise<string[]> => {
    const names: string[] = [];
    try {
      for await (const page of paginateListWorkflows({ client }, {})) names.push(...(page.Workflows ?? []));
    } catch (error) {
      throw awsCallError('glue:ListWorkflows', error);
    }
    return names;
  };

  /** The first run of the workflow matching `match`, if any (every page of GetWorkflowRuns). */
  const findRun = async (workflow: string, match: (run: WorkflowRun) => boolean): Promise<string | undefined> => {
    try {
      for await (const page of paginateGetWorkflowRuns({ client }, { Name: workflow, IncludeGraph: false })) {
        const found = (page.Runs ?? []).find((r) => r.WorkflowRunId !== undefined && match(r));
        if (found !== undefined) return found.WorkflowRunId;
      }
    } catch (error) {
      throw awsCallError('glue:GetWorkflowRuns', error);
    }
    return undefined;
  };

  /** The run that resumed `runId` earlier (PreviousRunId), if any: resuming twice would run its nodes twice. */
  const resumedBefore = (workflow: string, runId: string): Promise<string | undefined> => findRun(workflow, (r) => r.PreviousRunId === runId);

  /** The run that restarted `runId` earlier (the guard's run property on it), if any: starting twice would run it twice. */
  const restartedBefore = (workflow: string, runId: string): Promise<string | undefined> =>
    findRun(workflow, (r) => restartOf(r.WorkflowRunProperties) === runId);

  /** GetWorkflowRun; undefined when the run (or its workflow) no longer exists, with Glue's message. */
  const getRun = async (workflow: string, runId: string, includeGraph: boolean): Promise<WorkflowRun | { readonly missing: string }> => {
    let run: WorkflowRun | undefined;
    try {
      run = (await client.send(new GetWorkflowRunCommand({ Name: workflow, RunId: runId, IncludeGraph: includeGraph }))).Run;
    } catch (error) {
      if (error instanceof EntityNotFoundException) return { missing: error.message };
      throw awsCallError('glue:GetWorkflowRun', error);
    }
    if (run === undefined) throw new UnexpectedResponseError('glue:GetWorkflowRun', `no Run for ${workflow} ${runId}`);
    return run;
  };

  const removeTriggerTags = (arn: string): Promise<void> => untag(arn, TRIGGER_HOLD_KEYS);

  return {
    async findPausedTriggers(origin, filter = {}) {
      const triggers = (await allTriggers()).flatMap((t) => (t.Name === undefined ? [] : [{ name: t.Name, trigger: t }]));
      const tagged = await mapBounded(triggers, TAG_READ_CONCURRENCY, async ({ name, trigger }) => ({
        name,
        trigger,
        tags: await getTags(triggerArn(origin, name)),
      }));
      return tagged.flatMap(({ name, trigger, tags }): PausedTrigger[] => {
        const hold = triggerHoldOf(tags);
        if (hold === undefined) return [];
        const { incidentId, table } = hold;
        if (filter.incidentId !== undefined && incidentId !== filter.incidentId) return [];
        if (filter.table !== undefined && table !== filter.table) return [];
        return [
          {
            name,
            ...(trigger.WorkflowName === undefined ? {} : { workflow: trigger.WorkflowName }),
            incidentId,
            table,
            state: trigger.State ?? 'UNKNOWN',
            type: trigger.Type ?? 'UNKNOWN',
          },
        ];
      });
    },

    async findPausedWorkflows(origin, filter = {}) {
      const names = await allWorkflowNames();
      const tagged = await mapBounded(names, TAG_READ_CONCURRENCY, async (workflow) => ({ workflow, tags: await getTags(workflowArn(origin, workflow)) }));
      return tagged.flatMap(({ workflow, tags }): PausedWorkflow[] => {
        const hold = workflowHoldOf(tags);
        if (hold === undefined) return [];
        if (filter.incidentId !== undefined && hold.incidentId !== filter.incidentId) return [];
        if (filter.table !== undefined && hold.table !== filter.table) return [];
        return [{ workflow, incidentId: hold.incidentId, table: hold.table, stoppedRuns: hold.stoppedRuns }];
      });
    },

    async restartTrigger(paused, origin): Promise<RestartResult> {
      const refused = (reason: string): RestartResult => ({ trigger: paused.name, outcome: 'refused', reason });
      // As found when its tags were read: an ON_DEMAND or EVENT trigger is refused with no further call.
      const asFound = triggerReleaseAction({ type: paused.type, state: 'DEACTIVATED' });
      if (asFound.action === 'refuse') return refused(releaseRefusalText(asFound.reason));
      const arn = triggerArn(origin, paused.name);

      const trigger = await getTrigger(paused.name);
      if (trigger === undefined) return refused('the trigger no longer exists');
      const live = { type: trigger.Type ?? 'UNKNOWN', state: trigger.State ?? 'UNKNOWN' };
      const byType = triggerReleaseAction({ ...live, state: 'DEACTIVATED' });
      if (byType.action === 'refuse') return refused(releaseRefusalText(byType.reason));
      // The tag is the guard's claim on the trigger: without it (or with another incident's), it is not ours to start.
      const tags = await getTags(arn);
      if (tags === undefined) return refused('the trigger no longer exists');
      if (!heldBy(tags, paused.incidentId)) {
        const owner = triggerHoldOf(tags)?.incidentId;
        return refused(`it no longer carries incident ${paused.incidentId}'s tag (${owner === undefined ? 'untagged' : `tagged by incident ${owner}`})`);
      }
      const decision = triggerReleaseAction(live);
      if (decision.action === 'refuse') return refused(releaseRefusalText(decision.reason));
      if (decision.action === 'untag-only') {
        await removeTriggerTags(arn);
        return { trigger: paused.name, outcome: 'already-active' };
      }

      try {
        await client.send(new StartTriggerCommand({ Name: paused.name }));
      } catch (error) {
        if (error instanceof EntityNotFoundException) return refused('the trigger was deleted meanwhile');
        if (!(error instanceof InvalidInputException)) throw awsCallError('glue:StartTrigger', error);
        // "The operation is not allowed when trigger is in state: X": someone changed it since GetTrigger.
        const now = await getTrigger(paused.name);
        if (now?.State !== 'ACTIVATED') return refused(`state changed meanwhile (${error.message})`);
        await removeTriggerTags(arn);
        return { trigger: paused.name, outcome: 'already-active' };
      }
      await removeTriggerTags(arn);
      return { trigger: paused.name, outcome: 'restarted' };
    },

    async resumeRun(workflow, runId): Promise<RunResumeResult> {
      const run = await getRun(workflow, runId, true);
      if ('missing' in run) return skippedRun(runId, { code: 'not-found', message: run.missing });
      const status = run.Status ?? 'UNKNOWN';
      if (status !== RESUMABLE_RUN_STATE) return heldRun(runId, heldNote(status), status);
      const nodeIds = unfinishedNodeIds(run);
      if (nodeIds.length === 0) return skippedRun(runId, { code: 'nothing-unfinished' }, status);
      const earlier = await resumedBefore(workflow, runId);
      if (earlier !== undefined) return skippedRun(runId, { code: 'already-resumed', runId: earlier }, status);

      let newRunId: string | undefined;
      try {
        newRunId = (await client.send(new ResumeWorkflowRunCommand({ Name: workflow, RunId: runId, NodeIds: nodeIds }))).RunId;
      } catch (error) {
        if (error instanceof ConcurrentRunsExceededException || error instanceof IllegalWorkflowStateException) {
          return heldRun(runId, { code: 'refused-for-now', error: error.name, message: error.message }, status);
        }
        if (error instanceof EntityNotFoundException) return skippedRun(runId, { code: 'not-found', message: error.message }, status);
        throw awsCallError('glue:ResumeWorkflowRun', error);
      }
      if (newRunId === undefined) throw new UnexpectedResponseError('glue:ResumeWorkflowRun', `no RunId for ${workflow} ${runId}`);
      return { runId, outcome: 'resumed', detail: newRunId, status };
    },

    async restartRun(workflow, runId): Promise<RunResumeResult> {
      const run = await getRun(workflow, runId, false);
      if ('missing' in run) return skippedRun(runId, { code: 'not-found', message: run.missing });
      const status = run.Status ?? 'UNKNOWN';
      if (status !== RESTARTABLE_RUN_STATE) {
        return heldRun(runId, status === RESUMABLE_RUN_STATE ? { code: 'completed-needs-resume' } : heldNote(status), status);
      }
      const earlier = await restartedBefore(workflow, runId);
      if (earlier !== undefined) return skippedRun(runId, { code: 'already-restarted', runId: earlier }, status);

      let newRunId: string | undefined;
      try {
        // The run property names the stopped run, so a second resume finds this start and does not start it twice.
        newRunId = (await client.send(new StartWorkflowRunCommand({ Name: workflow, RunProperties: restartRunProperties(runId) }))).RunId;
      } catch (error) {
        if (error instanceof ConcurrentRunsExceededException) return heldRun(runId, { code: 'refused-for-now', error: error.name, message: error.message }, status);
        if (error instanceof EntityNotFoundException) return skippedRun(runId, { code: 'not-found', message: error.message }, status);
        throw awsCallError('glue:StartWorkflowRun', error);
      }
      if (newRunId === undefined) throw new UnexpectedResponseError('glue:StartWorkflowRun', `no RunId for ${workflow}`);
      return { runId, outcome: 'restarted', detail: newRunId, status };
    },

    findHeldProducers: (origin, filter) => producers.findHeldProducers(origin, filter),
    releaseProducer: (held, origin) => producers.releaseProducer(held, origin),

    async clearWorkflow(workflow, incidentId, origin, keepRuns = []) {
      const arn = workflowArn(origin, workflow);
      const tags = await getTags(arn);
      const hold = workflowHoldOf(tags);
      if (hold === undefined || !heldBy(tags, incidentId)) return;
      if (keepRuns.length === 0) {
        await untag(arn, WORKFLOW_HOLD_KEYS);
        return;
      }
      // What remains to be released stays recorded: the incident stays open until it is.
      try {
        await client.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: workflowHoldTags(hold, keepRuns).tags }));
      } catch (error) {
        if (error instanceof EntityNotFoundException) return;
        throw awsCallError('glue:TagResource', error);
      }
    },
  };
}

/** Why a recorded run in `status` is held rather than resumed or restarted. */
function heldNote(status: string): RunReleaseNote {
  if (UNSETTLED_RUN_STATES.has(status)) return { code: 'unsettled', status };
  if (status === RESTARTABLE_RUN_STATE) return { code: 'stopped-needs-restart' };
  return { code: 'not-releasable', status };
}
