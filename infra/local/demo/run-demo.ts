/**
 * `npm start`: the guard on the embedded local AWS stack, no AWS account needed. Plays one night of
 * `sales.orders`: a crawler adds a column (allowed), then a crawler drops a column and changes a type
 * (breaking: restored, workflow paused, chat alert). Prints each step; exits 0 when the guard did
 * exactly that, 1 otherwise.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Column } from '@aws-sdk/client-glue';
import { z } from 'zod';
import { tableInputFromTable } from '../../../functions/aws/glue-catalog.js';
import { DEMO, recrawled, seedDemoCatalog } from './demo-catalog.js';
import { type LocalGuard, startLocalGuard } from './local-guard.js';

const chatbot = z.object({
  content: z.object({ title: z.string(), description: z.string(), nextSteps: z.array(z.string()) }),
  metadata: z.object({ threadId: z.string() }),
});

const width = 100;
const rule = (title: string): string => `\n── ${title} ${'─'.repeat(Math.max(3, width - title.length - 4))}`;

function printAlert(guard: LocalGuard, index: number): void {
  const message = guard.stack.sns.published[index];
  if (message === undefined) {
    console.log('   (no alert was published)');
    return;
  }
  const body = chatbot.parse(JSON.parse(message.message));
  const attributes = Object.entries(message.messageAttributes)
    .map(([k, v]) => `${k}=${v.StringValue ?? ''}`)
    .join(' ');
  console.log(`   SNS → ${message.topicArn}`);
  console.log(`   Subject: ${message.subject ?? ''}`);
  console.log(`   Attributes: ${attributes}`);
  console.log('   ┌─ as it reads in Slack / Teams (AWS Chatbot custom notification, thread ' + body.metadata.threadId + ')');
  console.log(`   │ ${body.content.title}`);
  for (const line of body.content.description.split('\n')) console.log(`   │ ${line}`);
  console.log('   │ Next steps:');
  for (const step of body.content.nextSteps) console.log(`   │  → ${step}`);
  console.log('   └─');
}

async function tableColumns(guard: LocalGuard): Promise<string> {
  const table = guard.stack.glue.getTable(DEMO.database, DEMO.table);
  await Promise.resolve();
  const columns = table?.StorageDescriptor?.Columns ?? [];
  return `version ${table?.VersionId ?? '?'}: ${columns.map((c) => `${c.Name ?? ''} ${c.Type ?? ''}`).join(', ')}`;
}

function triggerStates(guard: LocalGuard): string {
  return Object.values(DEMO.triggers)
    .map((name) => {
      const trigger = guard.stack.glue.getTrigger(name);
      return `${name} (${trigger.Type ?? ''}) ${trigger.State ?? ''}`;
    })
    .join('; ');
}

function outcomesSince(guard: LocalGuard, from: number): string[] {
  return guard.summaries.slice(from).flatMap((s) => s.tables.map((t) => `${s.detailType} → ${t.database}.${t.table}: ${t.outcome}${t.incidentId === undefined ? '' : ` (${t.incidentId})`}`));
}

/** A crawler run that rewrites sales.orders from what the catalog holds now. */
async function crawl(guard: LocalGuard, edit: (columns: Column[]) => Column[], recordCount: number): Promise<void> {
  const current = guard.stack.glue.getTable(DEMO.database, DEMO.table);
  if (current === undefined) throw new Error('sales.orders is missing');
  guard.stack.simulateCrawlerRun(DEMO.crawler, [{ databaseName: DEMO.database, tableInput: recrawled(tableInputFromTable(current), edit, recordCount) }]);
  await guard.stack.bus.drain();
}

export async function runDemo(options: { verbose: boolean }): Promise<boolean> {
  // DRIFT_GUARD_CONTRACTS_DIR: the tests run the demo on their own copy, never on a user's work in contracts/.
  const contractsDir = process.env.DRIFT_GUARD_CONTRACTS_DIR ?? fileURLToPath(new URL('../../../../contracts', import.meta.url));
  const guard = await startLocalGuard({ contractsDir, verbose: options.verbose });
  const failures: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    console.log(`   ${ok ? '✓' : '✗'} ${what}`);
    if (!ok) failures.push(what);
  };
  try {
    console.log('glue-drift-guard — the guard on an embedded local AWS stack (no AWS account needed)');
    console.log(rule('Setup'));
    console.log(`   Local stack: ${guard.stack.endpoint} (Glue and EventBridge JSON 1.1, SNS query protocol)`);
    console.log(`   Guard: the Lambda handler, built by buildGuardHandler as functions/handlers/guard.ts builds it; its SDK clients point at the stack`);
    console.log(`   Contracts: ${contractsDir} → sales.orders v1 (consumer-safe, enforce, dependent workflow ${DEMO.workflow})`);
    seedDemoCatalog(guard.stack);
    console.log(`   Catalog: sales.orders ${await tableColumns(guard)}; partition dt`);
    console.log(`   Crawler ${DEMO.crawler}; workflow ${DEMO.workflow}: ${triggerStates(guard)}; one run RUNNING`);

    console.log(rule('02:00  crawler adds a column `channel` at the end'));
    let seen = guard.summaries.length;
    await crawl(guard, (columns) => [...columns, { Name: 'channel', Type: 'string' }], 1_912_480);
    for (const line of outcomesSince(guard, seen)) console.log(`   ${line}`);
    console.log(`   Catalog: ${await tableColumns(guard)}`);
    printAlert(guard, 0);
    expect(guard.summaries.some((s) => s.tables.some((t) => t.outcome === 'allowed')), 'judged allowed: catalog untouched, one informational alert');
    expect(guard.stack.glue.getTrigger(DEMO.triggers.schedule).State === 'ACTIVATED', 'workflow still running on schedule');

    console.log(rule('03:00  crawler drops `currency` and turns `amount` into a string'));
    seen = guard.summaries.length;
    const callsBefore = guard.stack.calls.list().length;
    await crawl(
      guard,
      (columns) => columns.filter((c) => c.Name !== 'currency').map((c) => (c.Name === 'amount' ? { ...c, Type: 'string' } : c)),
      1_918_002,
    );
    for (const line of outcomesSince(guard, seen)) console.log(`   ${line}`);
    console.log(`   Catalog: ${await tableColumns(guard)}`);
    console.log(`   Workflow ${DEMO.workflow}: ${triggerStates(guard)}; runs ${guard.stack.glue.getWorkflowRuns(DEMO.workflow).map((r) => `${r.WorkflowRunId ?? ''} ${r.Status ?? ''}`).join(', ')}`);
    printAlert(guard, 1);
    const blocked = guard.summaries.slice(seen).flatMap((s) => s.tables).filter((t) => t.outcome === 'blocked');
    expect(blocked.length === 1, 'judged breaking and blocked exactly once (the guard’s own UpdateTable event was a no-op)');
    const restored = guard.stack.glue.getTable(DEMO.database, DEMO.table)?.StorageDescriptor?.Columns?.map((c) => c.Name) ?? [];
    expect(restored.includes('currency') && restored.includes('channel'), 'catalog restored to the newest accepted version (with `channel`, with `currency`)');
    expect(guard.stack.glue.getTrigger(DEMO.triggers.manual).State === 'CREATED' && guard.stack.glue.triggerFirings.length === 0, 'ON_DEMAND trigger untouched, never fired');
    expect(guard.stack.sns.published.length === 2, 'two alerts in the night: one informational, one breaking');

    console.log(rule('AWS calls while handling the breaking change'));
    const calls = guard.stack.calls.list().slice(callsBefore).filter((c) => c.operation !== 'UpdateTable' || c.service === 'glue');
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(`${call.service}:${call.operation}`, (counts.get(`${call.service}:${call.operation}`) ?? 0) + 1);
    console.log(`   ${[...counts].map(([op, n]) => `${op} ×${n}`).join(', ')}`);
    console.log(`   (includes the crawler's own writes; the guard's critical path is GetTable → GetTableVersion → UpdateTable)`);
  } finally {
    await guard.stack.stop();
  }
  console.log(rule(failures.length === 0 ? 'Done: the guard kept sales.orders on its contract' : `FAILED: ${failures.join('; ')}`));
  console.log('   Try it yourself: `npx drift-guard local` keeps a stack running for `aws glue update-table --endpoint-url …`.');
  return failures.length === 0;
}

const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
const ok = await runDemo({ verbose: values.verbose });
process.exitCode = ok ? 0 : 1;
