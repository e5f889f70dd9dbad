/** The demo catalog on a guarded local stack, and what tests look at afterwards. */
import { GetTableCommand, GetTriggerCommand, GetWorkflowRunsCommand, type Column, type TableInput } from '@aws-sdk/client-glue';
import { join } from 'node:path';
import { z } from 'zod';
import { contractFromFile } from '../../functions/core/contracts/contract.js';
import { parseJsonText } from '../../functions/core/errors.js';
import { judge } from '../../functions/core/judging/judge.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { DEMO, ordersTableInput, recrawled, seedDemoCatalog } from '../../infra/local/demo/demo-catalog.js';
import { type GuardedStack, type GuardedStackOptions, startGuardedStack } from './guarded-stack.js';
import { readFileSync } from 'node:fs';
import { ROOT } from './cli.js';

/** The tests' own copy of the demo contracts: a user's work in contracts/ (e.g. the README's approve step) never reaches the tests. */
export const CONTRACTS_DIR = join(ROOT, 'test', 'fixtures', 'contracts');
export { DEMO };

export async function startDemo(options: Partial<GuardedStackOptions> = {}): Promise<GuardedStack> {
  const guarded = await startGuardedStack({ contractsDir: CONTRACTS_DIR, stack: { seed: 7 }, ...options });
  seedDemoCatalog(guarded.stack);
  return guarded;
}

/** A crawler run rewriting sales.orders with `edit` applied to its columns. */
export function crawl(guarded: GuardedStack, edit: (columns: Column[]) => Column[], base: TableInput = ordersTableInput()): void {
  guarded.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: recrawled(base, edit, 1_900_000) }]);
}

export const dropCurrencyAndRetypeAmount = (columns: Column[]): Column[] =>
  columns.filter((c) => c.Name !== 'currency').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c));
export const addChannelAtEnd = (columns: Column[]): Column[] => [...columns, { Name: 'channel', Type: 'string' }];

export function contractV1() {
  const file = join(CONTRACTS_DIR, 'sales', 'orders', 'v1.json');
  return contractFromFile(file, parseJsonText(file, readFileSync(file, 'utf8')));
}

/** The table as the catalog holds it now, judged against contract v1. */
export async function currentVerdict(guarded: GuardedStack): Promise<{ versionId: string; verdict: string }> {
  const { Table } = await guarded.clients.glue.send(new GetTableCommand({ DatabaseName: DEMO.database, Name: DEMO.table }));
  const table = parseGlueTableDocument('GetTable', Table);
  return { versionId: table.versionId ?? '', verdict: judge(contractV1(), table.schema).verdict };
}

export async function triggerState(guarded: GuardedStack, name: string): Promise<string | undefined> {
  const { Trigger } = await guarded.clients.glue.send(new GetTriggerCommand({ Name: name }));
  return Trigger?.State;
}

export async function runStatuses(guarded: GuardedStack): Promise<string[]> {
  const { Runs } = await guarded.clients.glue.send(new GetWorkflowRunsCommand({ Name: DEMO.workflow }));
  return (Runs ?? []).map((r) => r.Status ?? '');
}

const chatbotMessage = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.string(),
  content: z.strictObject({ textType: z.literal('client-markdown'), title: z.string(), description: z.string(), nextSteps: z.array(z.string()) }),
  metadata: z.strictObject({
    threadId: z.string(),
    summary: z.string(),
    eventType: z.string(),
    relatedResources: z.array(z.string()),
    additionalContext: z.record(z.string(), z.string()),
  }),
});

/** Alerts published on the topic, parsed as AWS Chatbot custom notifications. */
export function alerts(guarded: GuardedStack) {
  return guarded.stack.sns.published.map((message) => ({
    subject: message.subject,
    attributes: Object.fromEntries(Object.entries(message.messageAttributes).map(([k, v]) => [k, v.StringValue])),
    body: chatbotMessage.parse(JSON.parse(message.message)),
  }));
}
