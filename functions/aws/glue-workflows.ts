/**
 * WorkflowPort over Glue workflows. Glue has no "pause workflow": pausing is StopTrigger on the workflow's
 * triggers core's policy (core/incidents/policy.ts) says to stop, each tagged with the incident first (so a stopped
 * trigger always carries the tag resume looks for; tags are written by core/incidents/records.ts), plus
 * StopWorkflowRun on RUNNING runs when core's policy says so (`stopsRunningRuns`), recorded in a tag on the workflow.
 * With `producers` (producer-holds.ts), a pause also stops the own schedules of the workflow's crawlers and disables
 * the EventBridge rules that start it (EVENT triggers cannot be stopped; their rules can).
 * Nothing here ever calls StartTrigger.
 */
import { glueArn } from '../core/arn.js';
import {
  EntityNotFoundException,
  GetTagsCommand,
  GetTriggerCommand,
  GetWorkflowCommand,
  GlueClient,
  IllegalWorkflowStateException,
  InvalidInputException,
  paginateGetTriggers,
  paginateGetWorkflowRuns,
  StopTriggerCommand,
  StopWorkflowRunCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Trigger,
  type Workflow,
} from '@aws-sdk/client-glue';
import { triggerHoldAction } from '../core/incidents/policy.js';
import { holdLeaveText } from '../core/wording/incident.js';
import {
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS_PER_RESOURCE,
  STOPPED_RUNS_TAG,
  heldBy,
  triggerHoldTags,
  workflowHoldOf,
  workflowHoldTags,
} from '../core/incidents/records.js';
import type { IncidentRef, Origin, PauseOptions, PauseResult, WorkflowPort } from '../core/ports.js';
import { awsCallError } from './errors.js';
import type { ProducerHolds } from './producer-holds.js';

/** PauseResult plus what went partly wrong without failing the pause (tag limits, truncated tag values). */
export interface GluePauseResult extends PauseResult {
  readonly warnings: readonly string[];
}

export interface GlueWorkflowPort extends WorkflowPort {
  pause(workflow: string, incident: IncidentRef, options: PauseOptions): Promise<GluePauseResult>;
}

type Tags = Readonly<Record<string, string>>;

type TriggerOutcome = { readonly stopped: true } | { readonly stopped: false; readonly reason: string };

export function triggerArn(origin: Origin, name: string): string {
  return glueArn(origin, `trigger/${name}`);
}

export function workflowArn(origin: Origin, name: string): string {
  return glueArn(origin, `workflow/${name}`);
}

function tagCountAfter(existing: Tags, toAdd: Tags): number {
  return new Set([...Object.keys(existing), ...Object.keys(toAdd)]).size;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The crawlers of the workflow's graph (its CRAWLER nodes), sorted. */
function workflowCrawlers(workflow: Workflow): string[] {
  const names = (workflow.Graph?.Nodes ?? []).flatMap((node) => (node.Type === 'CRAWLER' && node.Name !== undefined ? [node.Name] : []));
  return unique(names).sort();
}

/**
 * `producers`: holds crawler schedules and EventBridge rules too (the deployed guard always has it); without it, only
 * triggers and runs are held (the Glue-only tests).
 */
export function createGlueWorkflows({ client = new GlueClient({}), producers }: { client?: GlueClient; producers?: ProducerHolds } = {}): GlueWorkflowPort {
  const getTags = async (arn: string): Promise<Tags> => {
    try {
      return (await client.send(new GetTagsCommand({ ResourceArn: arn }))).Tags ?? {};
    } catch (error) {
      throw awsCallError('glue:GetTags', error);
    }
  };

  const tagResource = async (arn: string, tags: Tags): Promise<void> => {
    try {
      await client.send(new TagResourceCommand({ ResourceArn: arn, TagsToAdd: { ...tags } }));
    } catch (error) {
      throw awsCallError('glue:TagResource', error);
    }
  };

  /** Puts our keys back as they were before `added` was written over `before`. */
  const revertTags = async (arn: string, before: Tags, added: Tags): Promise<void> => {
    const previous = Object.fromEntries(Object.keys(added).flatMap((k) => (before[k] === undefined ? [] : [[k, before[k]]])));
    const fresh = Object.keys(added).filter((k) => before[k] === undefined);
    if (fresh.length > 0) {
      try {
        await client.send(new UntagResourceCommand({ ResourceArn: arn, TagsToRemove: fresh }));
      } catch (error) {
        throw awsCallError('glue:UntagResource', error);
      }
    }
    if (Object.keys(previous).length > 0) await tagResource(arn, previous);
  };

  const getWorkflow = async (name: string): Promise<Workflow | undefined> => {
    try {
      return (await client.send(new GetWorkflowCommand({ Name: name, IncludeGraph: true }))).Workflow;
    } catch (error) {
      if (error instanceof EntityNotFoundException) return undefined;
      throw awsCallError('glue:GetWorkflow', error);
    }
  };

  /** The workflow's triggers, from its graph (GetTrigger when a node lacks its details), sorted by name. */
  const workflowTriggers = async (workflow: Workflow): Promise<{ readonly name: string; readonly trigger: Trigger }[]> => {
    const byName = new Map<string, Trigger>();
    for (const node of workflow.Graph?.Nodes ?? []) {
      if (node.Type !== 'TRIGGER') continue;
      let trigger = node.TriggerDetails?.Trigger;
      if (trigger === undefined && node.Name !== undefined) {
        try {
          trigger = (await client.send(new GetTriggerCommand({ Name: node.Name }))).Trigger;
        } catch (error) {
          if (error instanceof EntityNotFoundException) continue;
          throw awsCallError('glue:GetTrigger', error);
        }
      }
      const name = trigger?.Name ?? node.Name;
      if (trigger !== undefined && name !== undefined) byName.set(name, trigger);
    }
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, trigger]) => ({ name, trigger }));
  };

  const pauseTrigger = async (trigger: Trigger, name: string, incident: IncidentRef): Promise<TriggerOutcome> => {
    const decision = triggerHoldAction({ type: trigger.Type ?? 'UNKNOWN', state: trigger.State ?? 'UNKNOWN' });
    const arn = triggerArn(incident, name);
    if (decision.action === 'leave') return { stopped: false, reason: holdLeaveText(decision.reason) };
    if (decision.action === 'check-own') {
      // A retry of this incident finds its own stop done: report it stopped again, so results converge.
      if (heldBy(await getTags(arn), incident.id)) return { stopped: true };
      return { stopped: false, reason: holdLeaveText({ code: 'not-active', state: trigger.State ?? 'DEACTIVATED' }) };
    }
    const toAdd: Tags = triggerHoldTags(incident);
    const before = await getTags(arn);
    const count = tagCountAfter(before, toAdd);
    if (count > MAX_TAGS_PER_RESOURCE) {
      return {
        stopped: false,
        reason: `tag limit: tagging it would make ${String(count)} tags (max ${String(MAX_TAGS_PER_RESOURCE)}); not stopped, as resume finds stopped triggers by tag`,
      };
    }
    // Tag first: a crash between the two calls leaves an ACTIVATED trigger with a tag, never a stopped one without.
    await tagResource(arn, toAdd);
    try {
      await client.send(new StopTriggerCommand({ Name: name }));
    } catch (error) {
      if (error instanceof InvalidInputException) {
        // "The operation is not allowed when trigger is in state: X": someone changed it since GetWorkflow.
        await revertTags(arn, before, toAdd);
        return { stopped: false, reason: `state changed meanwhile (${error.message})` };
      }
      if (error instanceof EntityNotFoundException) return { stopped: false, reason: 'deleted meanwhile' };
      throw awsCallError('glue:StopTrigger', error);
    }
    return { stopped: true };
  };

  const runningRuns = async (workflow: string): Promise<string[]> => {
    const ids: string[] = [];
    try {
      for await (const page of paginateGetWorkflowRuns({ client }, { Name: workflow, IncludeGraph: false })) {
        for (const run of page.Runs ?? []) if (run.Status === 'RUNNING' && run.WorkflowRunId !== undefined) ids.push(run.WorkflowRunId);
      }
    } catch (error) {
      throw awsCallError('glue:GetWorkflowRuns', error);
    }
    return unique(ids);
  };

  const stopRun = async (workflow: string, runId: string): Promise<boolean> => {
    try {
      await client.send(new StopWorkflowRunCommand({ Name: workflow, RunId: runId }));
      return true;
    } catch (error) {
      // The run finished (or went) between listing and stopping: nothing left to stop.
      if (error instanceof IllegalWorkflowStateException || error instanceof EntityNotFoundException) return false;
      throw awsCallError('glue:StopWorkflowRun', error);
    }
  };

  /** Stops RUNNING runs; the workflow's tag records them (written before stopping, corrected after). */
  const pauseRuns = async (workflow: string, incident: IncidentRef, warnings: string[]): Promise<string[]> => {
    const running = await runningRuns(workflow);
    const arn = workflowArn(incident, workflow);
    const existing = await getTags(arn);
    const own = workflowHoldOf(existing);
    const earlier = own?.incidentId === incident.id ? own.stoppedRuns : [];
    const hold = { incidentId: incident.id, table: `${incident.database}.${incident.table}` };
    const tagsFor = (runIds: readonly string[]): Tags => workflowHoldTags(hold, runIds).tags;
    const intended = unique([...earlier, ...running]);
    const count = tagCountAfter(existing, tagsFor(intended));
    const canTag = count <= MAX_TAGS_PER_RESOURCE;
    if (canTag) await tagResource(arn, tagsFor(intended));
    else warnings.push(`workflow ${workflow} not tagged: it would have ${String(count)} tags (max ${String(MAX_TAGS_PER_RESOURCE)})`);

    const stopped: string[] = [];
    for (const runId of running) if (await stopRun(workflow, runId)) stopped.push(runId);

    // earlier ∪ stopped ⊆ intended: a different size means some run finished before it could be stopped.
    const actual = unique([...earlier, ...stopped]);
    if (canTag && actual.length !== intended.length) await tagResource(arn, tagsFor(actual));
    const { dropped } = workflowHoldTags(hold, actual);
    if (canTag && dropped > 0) {
      warnings.push(
        `${STOPPED_RUNS_TAG} on workflow ${workflow} lists ${String(actual.length - dropped)} of ${String(actual.length)} stopped runs (${String(MAX_TAG_VALUE_LENGTH)}-character tag value)`,
      );
    }
    return actual;
  };

  return {
    async workflowOfCrawler(crawlerName) {
      try {
        for await (const page of paginateGetTriggers({ client }, {})) {
          for (const trigger of page.Triggers ?? []) {
            const starts = (trigger.Actions ?? []).some((a) => a.CrawlerName === crawlerName);
            if (starts && trigger.WorkflowName !== undefined) return trigger.WorkflowName;
          }
        }
      } catch (error) {
        throw awsCallError('glue:GetTriggers', error);
      }
      return undefined;
    },

    async holdSchedule(crawler, incident) {
      if (producers === undefined) return { crawler, scheduled: false, stopped: false, reason: 'crawler schedules are not held by this deployment' };
      return producers.holdSchedule(crawler, incident);
    },

    async pause(workflow, incident, options) {
      const found = await getWorkflow(workflow);
      if (found === undefined) {
        return { workflow, found: false, stoppedTriggers: [], untouchedTriggers: [], stoppedRuns: [], runsLeftRunning: [], warnings: [], stoppedSchedules: [], disabledRules: [] };
      }
      const stoppedTriggers: string[] = [];
      const untouchedTriggers: { name: string; reason: string }[] = [];
      const warnings: string[] = [];
      // Triggers first, so no new run starts while the running ones are stopped.
      for (const { name, trigger } of await workflowTriggers(found)) {
        const outcome = await pauseTrigger(trigger, name, incident);
        if (outcome.stopped) stoppedTriggers.push(name);
        else untouchedTriggers.push({ name, reason: outcome.reason });
      }
      // Then what starts the workflow or its crawlers from outside: rules, and crawlers' own schedules.
      const stoppedSchedules: string[] = [];
      const disabledRules: string[] = [];
      if (producers !== undefined) {
        const rules = await producers.holdRules(workflow, incident);
        disabledRules.push(...rules.disabled);
        warnings.push(...rules.warnings, ...rules.untouched.map((r) => `rule ${r.name} left alone: ${r.reason}`));
        for (const crawler of workflowCrawlers(found)) if ((await producers.holdSchedule(crawler, incident)).stopped) stoppedSchedules.push(crawler);
      }
      // Runs are stopped only when core's policy says so (stopping kills their jobs with no rollback); otherwise the
      // alert names the runs left running.
      if (!options.stopRunningRuns) {
        return { workflow, found: true, stoppedTriggers, untouchedTriggers, stoppedRuns: [], runsLeftRunning: await runningRuns(workflow), warnings, stoppedSchedules, disabledRules };
      }
      const stoppedRuns = await pauseRuns(workflow, incident, warnings);
      return { workflow, found: true, stoppedTriggers, untouchedTriggers, stoppedRuns, runsLeftRunning: [], warnings, stoppedSchedules, disabledRules };
    },
  };
}
