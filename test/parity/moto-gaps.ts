/**
 * Where moto 5.2.1 does not behave as AWS does, for operations the product relies on. Each gap has a probe that
 * runs the behaviour on a backend and says whose behaviour it saw: the parity test asserts the local stack
 * behaves as AWS ('aws') and moto still does not ('moto'), so a moto upgrade that closes a gap fails loudly and
 * the gap (and the README's table) can be dropped. Every probe makes its own resources with unique names.
 */
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateJobCommand,
  CreateTableCommand,
  CreateTriggerCommand,
  CreateWorkflowCommand,
  GetTableCommand,
  GetCrawlerCommand,
  GetTableVersionsCommand,
  GetWorkflowRunsCommand,
  GetWorkflowCommand,
  GetWorkflowRunCommand,
  ResumeWorkflowRunCommand,
  StartTriggerCommand,
  StartWorkflowRunCommand,
  StopCrawlerScheduleCommand,
  StopTriggerCommand,
  StopWorkflowRunCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import type { Backend } from './backends.js';

export type Behaviour = 'aws' | 'moto';

export interface MotoGap {
  readonly id: string;
  /** What AWS does (and the local stack enforces), with the AWS documentation it comes from. */
  readonly aws: string;
  /** What moto 5.2.1 does instead (checked against the running server). */
  readonly moto: string;
  /** Which scenario step this changes, and how the scenario deals with it. */
  readonly scenario: string;
  probe(backend: Backend, unique: string): Promise<Behaviour>;
}

/** The name of the error an SDK call failed with, or undefined when it succeeded. */
export async function failure(call: () => Promise<unknown>): Promise<{ name: string; status: number | undefined } | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const status = '$metadata' in error && typeof error.$metadata === 'object' && error.$metadata !== null && 'httpStatusCode' in error.$metadata ? error.$metadata.httpStatusCode : undefined;
    return { name: error.name, status: typeof status === 'number' ? status : undefined };
  }
}

/** moto answers an operation it lacks with an HTML 500 page (the SDK fails to parse it). */
const isMotoMissing = (f: { name: string; status: number | undefined } | undefined): boolean => f?.status === 500;

async function workflowWithRun(backend: Backend, unique: string): Promise<{ workflow: string; runId: string; trigger: string }> {
  const { glue } = backend.clients;
  const workflow = `wf-${unique}`;
  const crawler = `crawler-${unique}`;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: `db_${unique}` } }));
  await glue.send(
    new CreateCrawlerCommand({ Name: crawler, Role: `arn:aws:iam::${backend.accountId}:role/r`, DatabaseName: `db_${unique}`, Targets: { S3Targets: [{ Path: 's3://b/p/' }] } }),
  );
  await glue.send(new CreateWorkflowCommand({ Name: workflow }));
  const trigger = `t-${unique}`;
  await glue.send(new CreateTriggerCommand({ Name: trigger, WorkflowName: workflow, Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ CrawlerName: crawler }], StartOnCreation: true }));
  const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: workflow }));
  return { workflow, runId: RunId ?? '', trigger };
}

async function tableWithTwoVersions(backend: Backend, unique: string): Promise<{ database: string; table: string }> {
  const { glue } = backend.clients;
  const database = `db_${unique}`;
  const input = (type: string) => ({ Name: 't', StorageDescriptor: { Columns: [{ Name: 'a', Type: type }], Location: 's3://b/t/' }, TableType: 'EXTERNAL_TABLE' });
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
  await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: input('int') }));
  await glue.send(new UpdateTableCommand({ DatabaseName: database, TableInput: input('bigint') }));
  return { database, table: 't' };
}

export const MOTO_GAPS: readonly MotoGap[] = [
  {
    id: 'StopCrawlerSchedule is not implemented',
    aws: 'StopCrawlerSchedule sets a crawler\'s Schedule.State to NOT_SCHEDULED; StartCrawlerSchedule back to SCHEDULED (Glue API, "Crawler scheduler API")',
    moto: 'answers an HTML 500 (no such operation); GetCrawler always reports a schedule as SCHEDULED',
    scenario: 'holding a crawler on its own schedule is proven on the local stack only (test/integration/producer-holds.test.ts); on moto the guard finds no crawler schedule to stop in the parity world',
    async probe(backend, unique) {
      const { glue } = backend.clients;
      const crawler = `scheduled-${unique}`;
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: `db_${unique}` } }));
      await glue.send(
        new CreateCrawlerCommand({ Name: crawler, Role: `arn:aws:iam::${backend.accountId}:role/r`, DatabaseName: `db_${unique}`, Targets: { S3Targets: [{ Path: 's3://b/p/' }] }, Schedule: 'cron(0 * * * ? *)' }),
      );
      const result = await failure(() => glue.send(new StopCrawlerScheduleCommand({ CrawlerName: crawler })));
      if (result !== undefined && !isMotoMissing(result)) throw new Error(`${backend.name}: StopCrawlerSchedule failed with ${result.name}`);
      const { Crawler } = await glue.send(new GetCrawlerCommand({ Name: crawler }));
      return result === undefined && Crawler?.Schedule?.State === 'NOT_SCHEDULED' ? 'aws' : 'moto';
    },
  },
  {
    id: 'rules never start a Glue workflow target',
    aws: 'an ENABLED rule whose pattern matches an event on its bus starts its Glue workflow target through the workflow\'s EVENT trigger (Glue developer guide, "Starting a workflow with an Amazon EventBridge event")',
    moto: 'PutEvents fails with HTTP 500 when a matching rule targets a Glue workflow (no delivery to Glue): no run starts',
    scenario: 'that a disabled rule stops starting the workflow is proven on the local stack only; on moto the scenario checks the rule\'s state and tags (DisableRule / EnableRule, which moto serves)',
    async probe(backend, unique) {
      const { glue, eventBridge } = backend.clients;
      const workflow = `wf-${unique}`;
      await glue.send(new CreateWorkflowCommand({ Name: workflow }));
      await glue.send(new CreateJobCommand({ Name: `job-${unique}`, Role: `arn:aws:iam::${backend.accountId}:role/r`, Command: { Name: 'glueetl', ScriptLocation: 's3://b/j.py' } }));
      await glue.send(new CreateTriggerCommand({ Name: `on-event-${unique}`, WorkflowName: workflow, Type: 'EVENT', Actions: [{ JobName: `job-${unique}` }] }));
      await eventBridge.send(new PutRuleCommand({ Name: `rule-${unique}`, EventPattern: JSON.stringify({ source: [`acme.${unique}`] }) }));
      await eventBridge.send(
        new PutTargetsCommand({ Rule: `rule-${unique}`, Targets: [{ Id: 'wf', Arn: `arn:aws:glue:${backend.region}:${backend.accountId}:workflow/${workflow}`, RoleArn: `arn:aws:iam::${backend.accountId}:role/events` }] }),
      );
      const put = await failure(() => eventBridge.send(new PutEventsCommand({ Entries: [{ Source: `acme.${unique}`, DetailType: 'Landed', Detail: '{}' }] })));
      // moto fails the whole PutEvents (HTTP 500) when a matching rule has a Glue workflow target.
      if (isMotoMissing(put)) return 'moto';
      if (put !== undefined) throw new Error(`${backend.name}: PutEvents failed with ${put.name}`);
      const { Runs = [] } = await glue.send(new GetWorkflowRunsCommand({ Name: workflow }));
      return Runs.length === 1 ? 'aws' : 'moto';
    },
  },
  {
    id: 'GetWorkflow has no Graph',
    aws: 'GetWorkflow with IncludeGraph returns the workflow graph: TRIGGER / JOB / CRAWLER nodes and edges (Glue API, "GetWorkflow action")',
    moto: 'returns the workflow without Graph',
    scenario: 'the guard finds no trigger to stop on moto (asserted); the scenario then stops and tags the triggers as the guard would, so resume is still exercised',
    async probe(backend, unique) {
      const { workflow } = await workflowWithRun(backend, unique);
      const { Workflow } = await backend.clients.glue.send(new GetWorkflowCommand({ Name: workflow, IncludeGraph: true }));
      return (Workflow?.Graph?.Nodes ?? []).length > 0 ? 'aws' : 'moto';
    },
  },
  {
    id: 'UpdateTable ignores VersionId',
    aws: 'a VersionId that is not the current one fails with ConcurrentModificationException (Glue API, "UpdateTable action": "The version ID at which to update the table contents")',
    moto: 'accepts any VersionId and writes',
    scenario: 'the restore\'s optimistic lock is only proven on the local stack (test/integration/guard.test.ts races a write against the restore)',
    async probe(backend, unique) {
      const { database, table } = await tableWithTwoVersions(backend, unique);
      const result = await failure(() =>
        backend.clients.glue.send(
          new UpdateTableCommand({ DatabaseName: database, VersionId: '-1', TableInput: { Name: table, StorageDescriptor: { Columns: [{ Name: 'a', Type: 'string' }], Location: 's3://b/t/' } } }),
        ),
      );
      return result?.name === 'ConcurrentModificationException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'table versions start at 1',
    aws: 'the first version of a table is VersionId "0" (what GetTable / GetTableVersions show for a new table)',
    moto: 'numbers the first version "1"',
    scenario: 'version numbers are read from the backend, never assumed; the scenario checks they count up by one from the first',
    async probe(backend, unique) {
      const { database, table } = await tableWithTwoVersions(backend, unique);
      const { TableVersions = [] } = await backend.clients.glue.send(new GetTableVersionsCommand({ DatabaseName: database, TableName: table }));
      const lowest = Math.min(...TableVersions.map((v) => Number(v.VersionId)));
      const { Table } = await backend.clients.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
      if (Table?.VersionId !== String(lowest + 1)) throw new Error(`${backend.name}: current version ${String(Table?.VersionId)} after ${String(lowest)}`);
      return lowest === 0 ? 'aws' : 'moto';
    },
  },
  {
    id: 'GetTableVersions takes MaxResults over 100',
    aws: 'MaxResults is 1–100; 101 fails with ValidationException (Glue API, "GetTableVersions action", MaxResults "Valid Range: Minimum value of 1. Maximum value of 100")',
    moto: 'accepts 101',
    scenario: 'the catalog adapter pages with the default size; the limit is enforced by the local stack only',
    async probe(backend, unique) {
      const { database, table } = await tableWithTwoVersions(backend, unique);
      const result = await failure(() => backend.clients.glue.send(new GetTableVersionsCommand({ DatabaseName: database, TableName: table, MaxResults: 101 })));
      return result?.name === 'ValidationException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'StopWorkflowRun is a no-op',
    aws: 'a RUNNING run goes to STOPPING, then STOPPED (Glue API, "StopWorkflowRun action"; "Stopping a workflow run" in the developer guide)',
    moto: 'answers 200 and the run stays RUNNING',
    scenario: 'on moto the guard reports the run stopped (the call succeeded) while GetWorkflowRun still says RUNNING (asserted)',
    async probe(backend, unique) {
      const { workflow, runId } = await workflowWithRun(backend, unique);
      await backend.clients.glue.send(new StopWorkflowRunCommand({ Name: workflow, RunId: runId }));
      const { Run } = await backend.clients.glue.send(new GetWorkflowRunCommand({ Name: workflow, RunId: runId }));
      return Run?.Status === 'STOPPING' || Run?.Status === 'STOPPED' ? 'aws' : 'moto';
    },
  },
  {
    id: 'no ResumeWorkflowRun',
    aws: 'ResumeWorkflowRun restarts nodes of a COMPLETED run; any other state fails with IllegalWorkflowStateException (developer guide, "Repairing and resuming a workflow run")',
    moto: 'not implemented: HTTP 500',
    scenario: '`resume --resume-runs` is exercised on the local stack only; on moto the run is never stopped, so the scenario does not ask to resume it',
    async probe(backend, unique) {
      const { workflow, runId } = await workflowWithRun(backend, unique);
      const result = await failure(() => backend.clients.glue.send(new ResumeWorkflowRunCommand({ Name: workflow, RunId: runId, NodeIds: ['n'] })));
      if (isMotoMissing(result)) return 'moto';
      if (result?.name !== 'IllegalWorkflowStateException') throw new Error(`${backend.name}: resuming a RUNNING run answered ${String(result?.name)}`);
      return 'aws';
    },
  },
  {
    id: 'CONDITIONAL predicate without Logical answers 500',
    aws: 'Predicate.Logical is optional with a single condition (Glue API, "Predicate structure": "An optional field if only one condition is listed")',
    moto: 'HTTP 500 (a KeyError in moto)',
    scenario: 'the scenario\'s CONDITIONAL trigger sets Logical: "AND"; the local stack accepts both',
    async probe(backend, unique) {
      const { glue } = backend.clients;
      const job = `job-${unique}`;
      await glue.send(new CreateJobCommand({ Name: job, Role: `arn:aws:iam::${backend.accountId}:role/r`, Command: { Name: 'glueetl', ScriptLocation: 's3://b/s.py' } }));
      const result = await failure(() =>
        glue.send(
          new CreateTriggerCommand({
            Name: `cond-${unique}`,
            Type: 'CONDITIONAL',
            Predicate: { Conditions: [{ LogicalOperator: 'EQUALS', JobName: job, State: 'SUCCEEDED' }] },
            Actions: [{ JobName: job }],
          }),
        ),
      );
      if (result === undefined) return 'aws';
      if (isMotoMissing(result)) return 'moto';
      throw new Error(`${backend.name}: CreateTrigger answered ${result.name}`);
    },
  },
  {
    id: 'EVENT triggers can be started and stopped',
    aws: 'StartTrigger / StopTrigger on an EVENT trigger fail with InvalidInputException (an EVENT trigger never (de)activates; developer guide, "Starting an AWS Glue workflow with an Amazon EventBridge event")',
    moto: 'accepts both',
    scenario: 'the pause and resume adapters never call them on EVENT triggers; the refusal is enforced by the local stack',
    async probe(backend, unique) {
      const { workflow } = await workflowWithRun(backend, unique);
      const name = `event-${unique}`;
      await backend.clients.glue.send(new CreateTriggerCommand({ Name: name, WorkflowName: workflow, Type: 'EVENT', Actions: [{ CrawlerName: `crawler-${unique}` }] }));
      const start = await failure(() => backend.clients.glue.send(new StartTriggerCommand({ Name: name })));
      const stop = await failure(() => backend.clients.glue.send(new StopTriggerCommand({ Name: name })));
      return start?.name === 'InvalidInputException' && stop?.name === 'InvalidInputException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'StopTrigger on a stopped trigger succeeds',
    aws: 'AWS docs silent; Glue answers InvalidInputException "The operation is not allowed when trigger is in state: DEACTIVATED", and the local stack takes that (strict) side',
    moto: 'answers 200',
    scenario: 'the pause adapter reads the state first and treats the refusal as "changed meanwhile"; only the local stack refuses',
    async probe(backend, unique) {
      const { trigger } = await workflowWithRun(backend, unique);
      await backend.clients.glue.send(new StopTriggerCommand({ Name: trigger }));
      const again = await failure(() => backend.clients.glue.send(new StopTriggerCommand({ Name: trigger })));
      return again?.name === 'InvalidInputException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'no PutEvents entry size limit',
    aws: 'an entry over 256 KB is refused (EventBridge user guide, "Calculating Amazon EventBridge PutEvents event entry size")',
    moto: 'accepts a 300 KB entry',
    scenario: 'the guard bounds its outcome events itself; the limit is enforced by the local stack only',
    async probe(backend) {
      const result = await failure(() =>
        backend.clients.eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'probe', DetailType: 'probe', Detail: JSON.stringify({ pad: 'x'.repeat(300_000) }) }] })),
      );
      return result?.name === 'ValidationException' ? 'aws' : 'moto';
    },
  },
  {
    id: 'SNS Subject of 100 characters accepted',
    aws: 'Subject "must be less than 100 characters long" (SNS API, "Publish", Subject)',
    moto: 'accepts 100 characters',
    scenario: 'the guard keeps subjects under 100 characters; the limit is enforced by the local stack only',
    async probe(backend, unique) {
      const { TopicArn } = await backend.clients.sns.send(new CreateTopicCommand({ Name: `probe-${unique}` }));
      const result = await failure(() => backend.clients.sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 's'.repeat(100) })));
      return result?.name === 'InvalidParameterException' ? 'aws' : 'moto';
    },
  },
];
