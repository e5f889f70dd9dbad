/**
 * The parity scenarios' world, built only through the SDK (so it means the same on every backend): the demo's
 * sales.orders with its crawler, job, `sales-nightly` workflow (scheduled, conditional and on-demand triggers) and
 * one running run; a crawler's breaking rewrite; and the guard handler wired to the backend's clients.
 */
import {
  type Column,
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateJobCommand,
  CreateTableCommand,
  CreateTriggerCommand,
  CreateWorkflowCommand,
  GetTableCommand,
  GetTableVersionsCommand,
  StartWorkflowRunCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { readConfig } from '../../functions/handlers/config.js';
import { type GuardSummary, buildGuardHandler } from '../../functions/handlers/guard-app.js';
import { DEMO, ordersTableInput, recrawled } from '../../infra/local/demo/demo-catalog.js';
import { recordingLog } from '../support/guarded-stack.js';
import { type Backend, EVENT_BUS } from './backends.js';

export interface ParityWorld {
  readonly topicArn: string;
  readonly runId: string;
  readonly partitionKeys: readonly Column[];
}

export async function seedCatalog(backend: Backend, topicArn: string): Promise<ParityWorld> {
  const { glue } = backend.clients;
  const role = `arn:aws:iam::${backend.accountId}:role/AWSGlueServiceRole-sales`;
  const table = ordersTableInput();
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DEMO.database } }));
  await glue.send(new CreateTableCommand({ DatabaseName: DEMO.database, TableInput: table }));
  await glue.send(
    new CreateCrawlerCommand({ Name: DEMO.crawler, Role: role, DatabaseName: DEMO.database, Targets: { S3Targets: [{ Path: 's3://acme-datalake-raw/sales/orders/' }] } }),
  );
  await glue.send(new CreateJobCommand({ Name: DEMO.job, Role: role, Command: { Name: 'glueetl', ScriptLocation: 's3://acme-scripts/aggregate.py' } }));
  await glue.send(new CreateWorkflowCommand({ Name: DEMO.workflow, Description: 'Nightly: crawl sales.orders, then aggregate it' }));
  await glue.send(
    new CreateTriggerCommand({
      Name: DEMO.triggers.schedule,
      WorkflowName: DEMO.workflow,
      Type: 'SCHEDULED',
      Schedule: 'cron(0 2 * * ? *)',
      Actions: [{ CrawlerName: DEMO.crawler }],
      StartOnCreation: true,
    }),
  );
  await glue.send(
    new CreateTriggerCommand({
      Name: DEMO.triggers.afterCrawl,
      WorkflowName: DEMO.workflow,
      Type: 'CONDITIONAL',
      // Logical is optional with one condition; moto answers 500 without it (a declared gap).
      Predicate: { Logical: 'AND', Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: DEMO.crawler, CrawlState: 'SUCCEEDED' }] },
      Actions: [{ JobName: DEMO.job }],
      StartOnCreation: true,
    }),
  );
  await glue.send(new CreateTriggerCommand({ Name: DEMO.triggers.manual, WorkflowName: DEMO.workflow, Type: 'ON_DEMAND', Actions: [{ CrawlerName: DEMO.crawler }] }));
  const { RunId } = await glue.send(new StartWorkflowRunCommand({ Name: DEMO.workflow }));
  if (RunId === undefined) throw new Error(`${backend.name}: StartWorkflowRun returned no RunId`);
  return { topicArn, runId: RunId, partitionKeys: table.PartitionKeys ?? [] };
}

/** The demo's breaking crawl (drops `currency`, retypes `amount`), and the event Glue sends for it. */
export async function breakingCrawl(backend: Backend): Promise<unknown> {
  const edit = (cols: Column[]): Column[] => cols.filter((c) => c.Name !== 'currency').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c));
  await backend.clients.glue.send(new UpdateTableCommand({ DatabaseName: DEMO.database, TableInput: recrawled(ordersTableInput(), edit, 1_900_000) }));
  return {
    version: '0',
    id: `parity-${String(Date.now())}`,
    'detail-type': 'Glue Data Catalog Table State Change',
    source: 'aws.glue',
    account: backend.accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: backend.region,
    resources: [`arn:aws:glue:${backend.region}:${backend.accountId}:table/${DEMO.database}/${DEMO.table}`],
    detail: { databaseName: DEMO.database, typeOfChange: 'UpdateTable', tableName: DEMO.table },
  };
}

/** The production guard handler (the factory the Lambda uses) over the backend's clients, with the contracts in `contractsDir`. */
export function guardFor(backend: Backend, world: ParityWorld, contractsDir: string): { handle(event: unknown): Promise<GuardSummary> } {
  return {
    async handle(event) {
      const config = readConfig({ CONTRACTS_DIR: contractsDir, ALERT_TOPIC_ARN: world.topicArn, EVENT_BUS_NAME: EVENT_BUS, GUARD_MODE: 'enforce' });
      // Runs stopped too, so the scenarios compare StopWorkflowRun on both backends.
      const { handler } = await buildGuardHandler({ config, clients: backend.clients, log: recordingLog(), settings: { stopRunningRuns: true } });
      return handler(event);
    },
  };
}

export async function columns(backend: Backend, which: 'Columns' | 'PartitionKeys' = 'Columns'): Promise<Column[]> {
  const { Table } = await backend.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
  const found = which === 'Columns' ? Table?.StorageDescriptor?.Columns : Table?.PartitionKeys;
  return (found ?? []).map((c) => ({ Name: c.Name, Type: c.Type, ...(c.Comment === undefined ? {} : { Comment: c.Comment }) }));
}

/** Every version id of sales.orders, ascending. */
export async function tableVersionIds(backend: Backend): Promise<string[]> {
  const { TableVersions = [] } = await backend.clients.glue.send(new GetTableVersionsCommand({ DatabaseName: DEMO.database, TableName: DEMO.table }));
  return TableVersions.map((v) => v.VersionId ?? '').sort((a, b) => Number(a) - Number(b));
}
