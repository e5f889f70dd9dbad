/** Jobs, minimal: enough to be named by trigger actions and to appear as JOB nodes in a workflow graph. */
import type { Job } from '@aws-sdk/client-glue';
import type { z } from 'zod';
import { glueError } from '../errors.js';
import { clone, type GlueContext } from './context.js';
import type { createJobRequest } from './schemas.js';

export type CreateJobInput = z.output<typeof createJobRequest>;

export class GlueJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly ctx: GlueContext;

  constructor(ctx: GlueContext) {
    this.ctx = ctx;
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  create(input: CreateJobInput): Job {
    if (this.jobs.has(input.Name)) throw glueError.alreadyExists(`Job ${input.Name} already exists.`);
    const now = this.ctx.now();
    const job: Job = {
      Name: input.Name,
      JobMode: 'SCRIPT',
      Role: input.Role,
      Description: input.Description,
      CreatedOn: now,
      LastModifiedOn: now,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      Command: input.Command,
      DefaultArguments: input.DefaultArguments ?? {},
      MaxRetries: 0,
      Timeout: 2880,
      GlueVersion: input.GlueVersion ?? '4.0',
    };
    this.jobs.set(input.Name, job);
    return clone(job);
  }

  get(name: string): Job {
    const job = this.jobs.get(name);
    if (job === undefined) throw glueError.entityNotFound(`Job ${name} not found.`);
    return clone(job);
  }

  clear(): void {
    this.jobs.clear();
  }
}
