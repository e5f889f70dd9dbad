/**
 * Triggers and their state machine, as Glue behaves:
 * - CreateTrigger → CREATED; StartOnCreation activates SCHEDULED / CONDITIONAL triggers (not supported for
 *   ON_DEMAND, rejected).
 * - StartTrigger: SCHEDULED / CONDITIONAL → ACTIVATED (no-op when already ACTIVATED); ON_DEMAND fires its
 *   actions once and stays CREATED (the firing is recorded in `firings`); EVENT → InvalidInputException.
 * - StopTrigger: ACTIVATED → DEACTIVATED; any other state → InvalidInputException
 *   "The operation is not allowed when trigger is in state: <STATE>" (so ON_DEMAND and EVENT triggers,
 *   which stay CREATED, can never be stopped).
 */
import type { Trigger } from '@aws-sdk/client-glue';
import type { z } from 'zod';
import { glueError } from '../errors.js';
import { clone, type GlueContext } from './context.js';
import type { createTriggerRequest } from './schemas.js';

export type CreateTriggerInput = z.output<typeof createTriggerRequest>;

export interface TriggerFiring {
  readonly sequence: number;
  readonly triggerName: string;
  readonly workflowName?: string;
  readonly jobNames: readonly string[];
  readonly crawlerNames: readonly string[];
  readonly at: Date;
}

export interface TriggerReferences {
  readonly hasJob: (name: string) => boolean;
  readonly hasCrawler: (name: string) => boolean;
  readonly hasWorkflow: (name: string) => boolean;
}

export class GlueTriggers {
  private readonly triggers = new Map<string, Trigger>();
  private readonly firingLog: TriggerFiring[] = [];
  private readonly ctx: GlueContext;
  private readonly refs: TriggerReferences;

  constructor(ctx: GlueContext, refs: TriggerReferences) {
    this.ctx = ctx;
    this.refs = refs;
  }

  get firings(): readonly TriggerFiring[] {
    return this.firingLog;
  }

  has(name: string): boolean {
    return this.triggers.has(name);
  }

  create(input: CreateTriggerInput): Trigger {
    if (this.triggers.has(input.Name)) throw glueError.alreadyExists(`Trigger with name ${input.Name} already exists.`);
    if (input.WorkflowName !== undefined && !this.refs.hasWorkflow(input.WorkflowName)) {
      throw glueError.entityNotFound(`Workflow with name ${input.WorkflowName} not found.`);
    }
    if (input.Type === 'SCHEDULED' && (input.Schedule === undefined || input.Schedule === '')) {
      throw glueError.invalidInput('Schedule is required for a SCHEDULED trigger.');
    }
    if (input.Type === 'CONDITIONAL' && (input.Predicate?.Conditions ?? []).length === 0) {
      throw glueError.invalidInput('Predicate with at least one condition is required for a CONDITIONAL trigger.');
    }
    if (input.Type === 'EVENT' && input.WorkflowName === undefined) {
      throw glueError.invalidInput('An EVENT trigger must belong to a workflow.');
    }
    if (input.Type === 'ON_DEMAND' && input.StartOnCreation === true) {
      throw glueError.invalidInput('StartOnCreation is not supported for ON_DEMAND triggers.');
    }
    if (input.Actions.length === 0) throw glueError.invalidInput('A trigger needs at least one action.');
    for (const action of input.Actions) {
      const hasJob = action.JobName !== undefined;
      const hasCrawler = action.CrawlerName !== undefined;
      if (hasJob === hasCrawler) throw glueError.invalidInput('Each action must name exactly one of JobName or CrawlerName.');
      if (action.JobName !== undefined && !this.refs.hasJob(action.JobName)) {
        throw glueError.entityNotFound(`Job with name ${action.JobName} not found.`);
      }
      if (action.CrawlerName !== undefined && !this.refs.hasCrawler(action.CrawlerName)) {
        throw glueError.entityNotFound(`Crawler with name ${action.CrawlerName} not found.`);
      }
    }
    const activates = input.StartOnCreation === true && (input.Type === 'SCHEDULED' || input.Type === 'CONDITIONAL');
    const trigger: Trigger = {
      Name: input.Name,
      WorkflowName: input.WorkflowName,
      Type: input.Type,
      State: activates ? 'ACTIVATED' : 'CREATED',
      Description: input.Description,
      Schedule: input.Schedule,
      Actions: input.Actions,
      Predicate: input.Predicate,
      EventBatchingCondition: input.EventBatchingCondition,
    };
    this.triggers.set(input.Name, trigger);
    return clone(trigger);
  }

  get(name: string): Trigger {
    return clone(this.record(name));
  }

  /** All triggers sorted by name; with `dependentJobName`, the ones whose actions start that job —
   *  or all triggers when none does (documented Glue behaviour). */
  list(filter: { dependentJobName?: string | undefined; workflowName?: string } = {}): Trigger[] {
    let all = [...this.triggers.values()].sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
    if (filter.workflowName !== undefined) all = all.filter((t) => t.WorkflowName === filter.workflowName);
    const jobName = filter.dependentJobName;
    if (jobName !== undefined) {
      const dependent = all.filter((t) => (t.Actions ?? []).some((a) => a.JobName === jobName));
      if (dependent.length > 0) all = dependent;
    }
    return all.map((t) => clone(t));
  }

  start(name: string): Trigger {
    const trigger = this.record(name);
    switch (trigger.Type) {
      case 'EVENT':
        throw glueError.invalidInput('Trigger Type EVENT cannot be started');
      case 'ON_DEMAND':
        this.fire(trigger);
        break;
      default:
        if (trigger.State === 'CREATED' || trigger.State === 'DEACTIVATED') trigger.State = 'ACTIVATED';
        else if (trigger.State !== 'ACTIVATED') {
          throw glueError.invalidInput(`The operation is not allowed when trigger is in state: ${String(trigger.State)}`);
        }
    }
    return clone(trigger);
  }

  stop(name: string): Trigger {
    const trigger = this.record(name);
    if (trigger.State !== 'ACTIVATED') {
      throw glueError.invalidInput(`The operation is not allowed when trigger is in state: ${String(trigger.State)}`);
    }
    trigger.State = 'DEACTIVATED';
    return clone(trigger);
  }

  delete(name: string): void {
    this.record(name);
    this.triggers.delete(name);
  }

  clear(): void {
    this.triggers.clear();
    this.firingLog.length = 0;
  }

  private fire(trigger: Trigger): void {
    const actions = trigger.Actions ?? [];
    this.firingLog.push({
      sequence: this.firingLog.length + 1,
      triggerName: trigger.Name ?? '',
      ...(trigger.WorkflowName === undefined ? {} : { workflowName: trigger.WorkflowName }),
      jobNames: actions.flatMap((a) => (a.JobName === undefined ? [] : [a.JobName])),
      crawlerNames: actions.flatMap((a) => (a.CrawlerName === undefined ? [] : [a.CrawlerName])),
      at: this.ctx.now(),
    });
  }

  private record(name: string): Trigger {
    const trigger = this.triggers.get(name);
    if (trigger === undefined) throw glueError.entityNotFound(`Trigger with name ${name} not found.`);
    return trigger;
  }
}
