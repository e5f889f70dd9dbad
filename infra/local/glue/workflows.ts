/**
 * Workflows, their graph (GetWorkflow IncludeGraph) and their runs.
 * Graph: one TRIGGER node per trigger of the workflow, one JOB / CRAWLER node per job or crawler a trigger
 * starts or watches; edges trigger → action node and watched node → conditional trigger.
 * Runs: StartWorkflowRun → RUNNING; StopWorkflowRun RUNNING → STOPPING → STOPPED (STOPPING is reported for
 * `settings.stopObservations` reads, then the run settles); ResumeWorkflowRun on a COMPLETED run (the only
 * state AWS resumes; STOPPED and ERROR runs answer IllegalWorkflowStateException) starts a new run (new RunId, PreviousRunId = the resumed run) for the selected JOB / CRAWLER nodes.
 * A run's graph (GetWorkflowRun / GetWorkflowRuns IncludeGraph) carries the attempts the run made, as Glue's does:
 * `JobDetails.JobRuns` / `CrawlerDetails.Crawls`, seeded with `recordNodeRun`; stopping a run stops its running ones.
 */
import { createHash } from 'node:crypto';
import type {
  Crawl,
  CrawlState,
  Edge,
  JobRun,
  JobRunState,
  Node,
  Workflow,
  WorkflowGraph,
  WorkflowRun,
  WorkflowRunStatus,
} from '@aws-sdk/client-glue';
import type { z } from 'zod';
import { glueError } from '../errors.js';
import { clone, type GlueContext, type GlueSettings } from './context.js';
import type { createWorkflowRequest } from './schemas.js';
import type { GlueTriggers } from './triggers.js';

export type CreateWorkflowInput = z.output<typeof createWorkflowRequest>;

/** What a run did with one JOB or CRAWLER node. */
export type NodeAttempt = { readonly type: 'JOB'; readonly name: string; readonly state: JobRunState } | { readonly type: 'CRAWLER'; readonly name: string; readonly state: CrawlState };

/** One attempt of a JOB or CRAWLER node within a run. */
interface NodeRunRecord {
  readonly nodeId: string;
  readonly id: string;
  readonly startedOn: Date;
  attempt: NodeAttempt;
  completedOn?: Date;
}

interface RunRecord {
  run: WorkflowRun;
  stopObservationsLeft: number;
  readonly nodeRuns: NodeRunRecord[];
}

/** Job / crawl states that are still in progress (everything else has ended). */
const IN_PROGRESS_STATES: ReadonlySet<string> = new Set(['STARTING', 'RUNNING', 'STOPPING', 'WAITING', 'CANCELLING']);

interface WorkflowRecord {
  readonly workflow: Workflow;
  readonly runs: RunRecord[];
}

export class GlueWorkflows {
  private readonly workflows = new Map<string, WorkflowRecord>();
  private readonly ctx: GlueContext;
  private readonly settings: GlueSettings;
  private readonly triggers: GlueTriggers;

  constructor(ctx: GlueContext, settings: GlueSettings, triggers: GlueTriggers) {
    this.ctx = ctx;
    this.settings = settings;
    this.triggers = triggers;
  }

  has(name: string): boolean {
    return this.workflows.has(name);
  }

  create(input: CreateWorkflowInput): Workflow {
    if (this.workflows.has(input.Name)) throw glueError.alreadyExists(`Workflow with name ${input.Name} already exists.`);
    const now = this.ctx.now();
    const workflow: Workflow = {
      Name: input.Name,
      Description: input.Description,
      DefaultRunProperties: input.DefaultRunProperties ?? {},
      CreatedOn: now,
      LastModifiedOn: now,
      MaxConcurrentRuns: input.MaxConcurrentRuns,
    };
    this.workflows.set(input.Name, { workflow, runs: [] });
    return clone(workflow);
  }

  get(name: string, includeGraph = false): Workflow {
    const record = this.record(name);
    const last = record.runs[record.runs.length - 1];
    return {
      ...clone(record.workflow),
      ...(last === undefined ? {} : { LastRun: this.observe(name, last, includeGraph) }),
      ...(includeGraph ? { Graph: this.graph(name) } : {}),
    };
  }

  listNames(): string[] {
    return [...this.workflows.keys()].sort();
  }

  graph(name: string): WorkflowGraph {
    this.record(name);
    const nodes = new Map<string, Node>();
    const edges: Edge[] = [];
    const nodeFor = (type: 'JOB' | 'CRAWLER', nodeName: string): string => {
      const id = this.nodeId(name, type, nodeName);
      if (!nodes.has(id)) {
        nodes.set(id, {
          Type: type,
          Name: nodeName,
          UniqueId: id,
          ...(type === 'JOB' ? { JobDetails: { JobRuns: [] } } : { CrawlerDetails: { Crawls: [] } }),
        });
      }
      return id;
    };
    for (const trigger of this.triggers.list({ workflowName: name })) {
      const triggerName = trigger.Name ?? '';
      const triggerId = this.nodeId(name, 'TRIGGER', triggerName);
      nodes.set(triggerId, { Type: 'TRIGGER', Name: triggerName, UniqueId: triggerId, TriggerDetails: { Trigger: trigger } });
      for (const condition of trigger.Predicate?.Conditions ?? []) {
        if (condition.JobName !== undefined) edges.push({ SourceId: nodeFor('JOB', condition.JobName), DestinationId: triggerId });
        if (condition.CrawlerName !== undefined) {
          edges.push({ SourceId: nodeFor('CRAWLER', condition.CrawlerName), DestinationId: triggerId });
        }
      }
      for (const action of trigger.Actions ?? []) {
        if (action.JobName !== undefined) edges.push({ SourceId: triggerId, DestinationId: nodeFor('JOB', action.JobName) });
        if (action.CrawlerName !== undefined) {
          edges.push({ SourceId: triggerId, DestinationId: nodeFor('CRAWLER', action.CrawlerName) });
        }
      }
    }
    return { Nodes: [...nodes.values()], Edges: edges };
  }

  startRun(name: string, runProperties?: Record<string, string>): string {
    const record = this.record(name);
    this.checkConcurrency(record);
    return this.newRun(record, { ...record.workflow.DefaultRunProperties, ...runProperties }).WorkflowRunId ?? '';
  }

  getRuns(name: string, includeGraph = false): WorkflowRun[] {
    const record = this.record(name);
    return [...record.runs].reverse().map((r) => this.observe(name, r, includeGraph));
  }

  getRun(name: string, runId: string, includeGraph = false): WorkflowRun {
    return this.observe(name, this.runRecord(name, runId), includeGraph);
  }

  stopRun(name: string, runId: string): void {
    const record = this.runRecord(name, runId);
    if (record.run.Status !== 'RUNNING') {
      throw glueError.illegalWorkflowState(`Workflow run ${runId} is not in RUNNING state (state: ${String(record.run.Status)}).`);
    }
    record.run.Status = 'STOPPING';
    record.stopObservationsLeft = this.settings.stopObservations;
    if (record.stopObservationsLeft <= 0) this.settleStopped(record);
  }

  resumeRun(name: string, runId: string, nodeIds: readonly string[]): { RunId: string; NodeIds: string[] } {
    const workflow = this.record(name);
    const original = this.runRecord(name, runId);
    this.settleIfStopping(original, false);
    const status = original.run.Status;
    // Glue developer guide, "Repairing and resuming a workflow run": only a COMPLETED run can be resumed.
    if (status !== 'COMPLETED') {
      throw glueError.illegalWorkflowState(`Workflow run ${runId} cannot be resumed in state ${String(status)}: only COMPLETED runs can be resumed.`);
    }
    const graphNodes = new Map((this.graph(name).Nodes ?? []).map((n) => [n.UniqueId ?? '', n]));
    for (const id of nodeIds) {
      const node = graphNodes.get(id);
      if (node === undefined) throw glueError.invalidInput(`Node ${id} is not part of workflow ${name}.`);
      if (node.Type === 'TRIGGER') throw glueError.invalidInput(`Node ${id} is a trigger; only job and crawler nodes can be restarted.`);
    }
    this.checkConcurrency(workflow);
    const run = this.newRun(workflow, { ...original.run.WorkflowRunProperties }, runId);
    return { RunId: run.WorkflowRunId ?? '', NodeIds: [...nodeIds] };
  }

  /** Test control: ends a RUNNING run as COMPLETED or ERROR. */
  completeRun(name: string, runId: string, status: 'COMPLETED' | 'ERROR' = 'COMPLETED', errorMessage?: string): WorkflowRun {
    const record = this.runRecord(name, runId);
    if (record.run.Status !== 'RUNNING') {
      throw glueError.illegalWorkflowState(`Workflow run ${runId} is not in RUNNING state (state: ${String(record.run.Status)}).`);
    }
    record.run.Status = status;
    record.run.CompletedOn = this.ctx.now();
    if (errorMessage !== undefined) record.run.ErrorMessage = errorMessage;
    const total = record.run.Statistics?.TotalActions ?? 0;
    record.run.Statistics = {
      ...record.run.Statistics,
      RunningActions: 0,
      SucceededActions: status === 'COMPLETED' ? total : 0,
      ErroredActions: status === 'ERROR' ? total : 0,
    };
    return clone(record.run);
  }

  /**
   * Test control: the run attempted a JOB or CRAWLER node of the workflow (e.g. `load` FAILED): shows in the run's
   * graph as a JobRun (JobRunState) or Crawl (State).
   */
  recordNodeRun(name: string, runId: string, node: NodeAttempt): void {
    const record = this.runRecord(name, runId);
    const nodeId = this.nodeId(name, node.type, node.name);
    if (!(this.graph(name).Nodes ?? []).some((n) => n.UniqueId === nodeId)) {
      throw glueError.invalidInput(`${node.type} ${node.name} is not a node of workflow ${name}.`);
    }
    const now = this.ctx.now();
    record.nodeRuns.push({
      nodeId,
      id: `${node.type === 'JOB' ? 'jr' : 'cr'}_${this.ctx.ids.hex(64)}`,
      startedOn: now,
      attempt: { ...node },
      ...(IN_PROGRESS_STATES.has(node.state) ? {} : { completedOn: now }),
    });
  }

  /** Test control: settles every STOPPING run to STOPPED now. */
  settleAll(): void {
    for (const record of this.workflows.values()) for (const run of record.runs) this.settleIfStopping(run, true);
  }

  clear(): void {
    this.workflows.clear();
  }

  private newRun(record: WorkflowRecord, properties: Record<string, string>, previousRunId?: string): WorkflowRun {
    const name = record.workflow.Name ?? '';
    const actions = (this.graph(name).Nodes ?? []).filter((n) => n.Type !== 'TRIGGER').length;
    const run: WorkflowRun = {
      Name: name,
      WorkflowRunId: `wr_${this.ctx.ids.hex(64)}`,
      ...(previousRunId === undefined ? {} : { PreviousRunId: previousRunId }),
      WorkflowRunProperties: properties,
      StartedOn: this.ctx.now(),
      Status: 'RUNNING',
      Statistics: {
        TotalActions: actions,
        TimeoutActions: 0,
        FailedActions: 0,
        StoppedActions: 0,
        SucceededActions: 0,
        RunningActions: 0,
        ErroredActions: 0,
        WaitingActions: 0,
      },
    };
    record.runs.push({ run, stopObservationsLeft: 0, nodeRuns: [] });
    return clone(run);
  }

  private checkConcurrency(record: WorkflowRecord): void {
    const max = record.workflow.MaxConcurrentRuns;
    if (max === undefined) return;
    const active = record.runs.filter((r) => r.run.Status === 'RUNNING' || r.run.Status === 'STOPPING').length;
    if (active >= max) {
      throw glueError.concurrentRunsExceeded(`Concurrent runs exceeded for workflow: ${String(record.workflow.Name)}`);
    }
  }

  /** A read of a run: a STOPPING run counts down its observations, then settles to STOPPED. */
  private observe(name: string, record: RunRecord, includeGraph: boolean): WorkflowRun {
    this.settleIfStopping(record, false);
    return { ...clone(record.run), ...(includeGraph ? { Graph: this.runGraph(name, record) } : {}) };
  }

  /** The workflow's graph with the run's attempts in its JOB / CRAWLER nodes. */
  private runGraph(name: string, record: RunRecord): WorkflowGraph {
    const graph = this.graph(name);
    const nodes = (graph.Nodes ?? []).map((node): Node => {
      const attempts = record.nodeRuns.filter((r) => r.nodeId === node.UniqueId);
      const ended = (r: NodeRunRecord): { CompletedOn?: Date } => (r.completedOn === undefined ? {} : { CompletedOn: r.completedOn });
      if (node.Type === 'JOB') {
        const jobRuns = attempts.flatMap((r, index): JobRun[] =>
          r.attempt.type === 'JOB'
            ? [{ Id: r.id, Attempt: index, JobName: r.attempt.name, JobRunState: r.attempt.state, StartedOn: r.startedOn, ...ended(r) }]
            : [],
        );
        return { ...node, JobDetails: { JobRuns: jobRuns } };
      }
      if (node.Type === 'CRAWLER') {
        const crawls = attempts.flatMap((r): Crawl[] =>
          r.attempt.type === 'CRAWLER' ? [{ State: r.attempt.state, StartedOn: r.startedOn, ...ended(r) }] : [],
        );
        return { ...node, CrawlerDetails: { Crawls: crawls } };
      }
      return node;
    });
    return { Nodes: nodes, Edges: graph.Edges ?? [] };
  }

  private settleIfStopping(record: RunRecord, force: boolean): void {
    if (record.run.Status !== 'STOPPING') return;
    if (!force && record.stopObservationsLeft > 0) {
      record.stopObservationsLeft -= 1;
      return;
    }
    this.settleStopped(record);
  }

  private settleStopped(record: RunRecord): void {
    const status: WorkflowRunStatus = 'STOPPED';
    record.run.Status = status;
    record.run.CompletedOn = this.ctx.now();
    record.stopObservationsLeft = 0;
    const total = record.run.Statistics?.TotalActions ?? 0;
    record.run.Statistics = { ...record.run.Statistics, RunningActions: 0, StoppedActions: total };
    // Stopping a run stops the jobs and crawls it had running.
    for (const nodeRun of record.nodeRuns) {
      if (!IN_PROGRESS_STATES.has(nodeRun.attempt.state)) continue;
      nodeRun.attempt =
        nodeRun.attempt.type === 'JOB' ? { ...nodeRun.attempt, state: 'STOPPED' } : { ...nodeRun.attempt, state: 'CANCELLED' };
      nodeRun.completedOn = record.run.CompletedOn ?? this.ctx.now();
    }
  }

  private nodeId(workflow: string, type: string, name: string): string {
    return `wnode_${createHash('sha256').update(`${workflow}\u0000${type}\u0000${name}`).digest('hex')}`;
  }

  private record(name: string): WorkflowRecord {
    const record = this.workflows.get(name);
    if (record === undefined) throw glueError.entityNotFound(`Workflow with name ${name} not found.`);
    return record;
  }

  private runRecord(name: string, runId: string): RunRecord {
    const run = this.record(name).runs.find((r) => r.run.WorkflowRunId === runId);
    if (run === undefined) throw glueError.entityNotFound(`Workflow run ${runId} of workflow ${name} not found.`);
    return run;
  }
}
