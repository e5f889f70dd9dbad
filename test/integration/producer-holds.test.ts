/**
 * Issue 12, part 2: the producer of a drift is held until release, end to end on the local stack over HTTP (the guard
 * and reconcile as deployed, real SDK v3 clients): a crawler on its own schedule that writes a breaking change has its
 * schedule stopped (and tagged) so its next run does not write the drift again; an EventBridge rule that starts the
 * held workflow (through its EVENT trigger, which Glue will not stop) is disabled; releasing the incident starts
 * exactly those again and removes the tags; a schedule someone re-enabled by hand only loses the tags.
 */
import {
  DescribeRuleCommand,
  EnableRuleCommand,
  ListTagsForResourceCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetCrawlerCommand, GetTagsCommand, StartCrawlerScheduleCommand, UpdateCrawlerScheduleCommand } from '@aws-sdk/client-glue';
import { afterEach, describe, expect, it } from 'vitest';
import { createGlueCatalog } from '../../functions/aws/glue-catalog.js';
import { createGluePipelines } from '../../functions/aws/glue-pipelines.js';
import { createSnsNotifier } from '../../functions/aws/sns-notifier.js';
import { audit } from '../../functions/core/reviewing/audit.js';
import { tableHistory } from '../../functions/core/reviewing/history.js';
import { resumeTable } from '../../functions/core/reviewing/resume.js';
import type { ResumeReport } from '../../functions/core/reviewing/reports.js';
import { ordersTableInput, recrawled } from '../../infra/local/demo/demo-catalog.js';
import type { GuardedStack } from '../support/guarded-stack.js';
import { CONTRACTS_DIR, DEMO, alerts, contractV1, currentVerdict, dropCurrencyAndRetypeAmount, startDemo } from '../support/guard-scenario.js';

const HOURLY = 'sales-orders-hourly';
const RULE = 'sales-landing-starts-nightly';
const ON_LANDING = 'sales-nightly-on-landing';

describe('the producer of a drift is held until release', { timeout: 60_000 }, () => {
  let guarded: GuardedStack | undefined;
  afterEach(async () => {
    await guarded?.stop();
    guarded = undefined;
  });

  /** The demo, plus a crawler on its own hourly schedule writing sales.orders, and a rule starting the nightly workflow. */
  async function world(): Promise<GuardedStack> {
    const g = await startDemo();
    guarded = g;
    g.stack.glue.createCrawler({ Name: HOURLY, DatabaseName: DEMO.database, Schedule: 'cron(0 * * * ? *)' });
    g.stack.glue.createTrigger({ Name: ON_LANDING, WorkflowName: DEMO.workflow, Type: 'EVENT', Actions: [{ JobName: DEMO.job }] });
    await g.clients.eventBridge.send(new PutRuleCommand({ Name: RULE, EventPattern: JSON.stringify({ source: ['acme.landing'], 'detail-type': ['Orders Landed'] }) }));
    await g.clients.eventBridge.send(
      new PutTargetsCommand({
        Rule: RULE,
        Targets: [
          { Id: 'nightly', Arn: g.stack.glue.arn('workflow', DEMO.workflow), RoleArn: `arn:aws:iam::${g.stack.accountId}:role/events-start-glue` },
          { Id: 'audit-queue', Arn: `arn:aws:sqs:${g.stack.region}:${g.stack.accountId}:landing-audit` },
        ],
      }),
    );
    return g;
  }

  const breakingWrite = [{ databaseName: DEMO.database, tableInput: recrawled(ordersTableInput(), dropCurrencyAndRetypeAmount, 1_900_000) }];

  /** The hourly crawler's scheduler fires: a crawl that writes the breaking schema (undefined when not SCHEDULED). */
  async function hourlyTick(g: GuardedStack) {
    const result = g.stack.glue.fireCrawlerSchedule(HOURLY, breakingWrite);
    await g.stack.bus.drain();
    return result;
  }

  async function landed(g: GuardedStack): Promise<void> {
    await g.clients.eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'acme.landing', DetailType: 'Orders Landed', Detail: '{"files":3}' }] }));
    await g.stack.bus.drain();
  }

  const runCount = (g: GuardedStack): number => g.stack.glue.getWorkflowRuns(DEMO.workflow).length;
  const schedule = async (g: GuardedStack) => (await g.clients.glue.send(new GetCrawlerCommand({ Name: HOURLY }))).Crawler?.Schedule?.State;
  const crawlerTags = async (g: GuardedStack) => (await g.clients.glue.send(new GetTagsCommand({ ResourceArn: g.stack.glue.arn('crawler', HOURLY) }))).Tags ?? {};
  const ruleState = async (g: GuardedStack) => (await g.clients.eventBridge.send(new DescribeRuleCommand({ Name: RULE }))).State;
  const ruleTags = async (g: GuardedStack) =>
    (await g.clients.eventBridge.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:${g.stack.region}:${g.stack.accountId}:rule/${RULE}` }))).Tags ?? [];

  /** Releases the incident as a reviewer rejecting the change does (`drift-guard resume --keep-current`). */
  async function release(g: GuardedStack, incidentId: string): Promise<ResumeReport> {
    const deps = {
      catalog: createGlueCatalog({ client: g.clients.glue }),
      pipelines: createGluePipelines({ client: g.clients.glue, events: g.clients.eventBridge }),
      notifier: createSnsNotifier({ client: g.clients.sns, topicArn: g.topicArn }),
    };
    const origin = { region: g.stack.region, account: g.stack.accountId };
    return resumeTable(deps, contractV1(), { database: DEMO.database, table: DEMO.table }, origin, { incidentId, keepCurrent: true });
  }

  it('stops the crawler schedule and disables the rule (tagged); the drift is not re-applied and the rule no longer starts the workflow; release restores both', async () => {
    const g = await world();
    // Before: the rule starts the workflow on every matching event.
    const before = runCount(g);
    await landed(g);
    expect(runCount(g)).toBe(before + 1);

    expect((await hourlyTick(g))?.state).toBe('Succeeded');
    expect((await currentVerdict(g)).verdict).toBe('compliant');
    const [alert] = alerts(g);
    const incidentId = alert?.attributes.incident ?? '';
    expect(incidentId).toMatch(/^dg-/);
    expect(await schedule(g)).toBe('NOT_SCHEDULED');
    expect(await crawlerTags(g)).toEqual({ 'drift-guard:incident': incidentId, 'drift-guard:table': 'sales.orders' });
    expect(await ruleState(g)).toBe('DISABLED');
    expect(await ruleTags(g)).toEqual([
      { Key: 'drift-guard:incident', Value: incidentId },
      { Key: 'drift-guard:table', Value: 'sales.orders' },
    ]);
    const description = alert?.body.content.description ?? '';
    expect(description).toContain(`Stopped the schedule of crawler \`${HOURLY}\``);
    expect(description).toContain(`disabled EventBridge rule \`${RULE}\``);
    expect(description).toContain(`rule ${RULE} also has 1 other target`);
    const outcome = g.stack.eventBridge.entries.find((e) => e.detailType === 'Glue Schema Drift Blocked')?.detailJson;
    expect(outcome).toMatchObject({ crawlerSchedule: { crawler: HOURLY, stopped: true }, pausedWorkflows: [{ workflow: DEMO.workflow, disabledRules: [RULE] }] });

    // Held: the scheduler's next tick crawls nothing (no drift, no restore, no second alert), the rule starts nothing.
    expect(await hourlyTick(g)).toBeUndefined();
    const runsWhileHeld = runCount(g);
    await landed(g);
    expect(runCount(g)).toBe(runsWhileHeld);
    expect(alerts(g)).toHaveLength(1);

    // `drift-guard audit` lists what the incident holds.
    const report = await audit(
      { catalog: createGlueCatalog({ client: g.clients.glue }), pipelines: createGluePipelines({ client: g.clients.glue, events: g.clients.eventBridge }), contracts: g.contracts },
      { region: g.stack.region, account: g.stack.accountId },
      [DEMO.database],
    );
    expect(report.incidents).toEqual([expect.objectContaining({ incidentId, schedules: [HOURLY], rules: [RULE] })]);

    const released = await release(g, incidentId);
    expect(released.producers).toEqual([
      { kind: 'schedule', name: HOURLY, outcome: 'restarted' },
      { kind: 'rule', name: RULE, outcome: 'restarted' },
    ]);
    expect(await schedule(g)).toBe('SCHEDULED');
    expect(await crawlerTags(g)).toEqual({});
    expect(await ruleState(g)).toBe('ENABLED');
    expect(await ruleTags(g)).toEqual([]);
    const resumedAlert = alerts(g).at(-1)?.body.content.description ?? '';
    expect(resumedAlert).toContain(`Schedule of crawler \`${HOURLY}\`: started again.`);
    expect(resumedAlert).toContain(`EventBridge rule \`${RULE}\`: started again.`);
    await landed(g);
    expect(runCount(g)).toBe(runsWhileHeld + 1);
  });

  it("a crawler of the held workflow's graph with a schedule of its own is held by the workflow's pause", async () => {
    const g = await world();
    await g.clients.glue.send(new UpdateCrawlerScheduleCommand({ CrawlerName: DEMO.crawler, Schedule: 'cron(30 * * * ? *)' }));
    // The workflow's own crawler writes the drift (not the hourly one).
    g.stack.simulateCrawlerRun(DEMO.crawler, breakingWrite);
    await g.stack.bus.drain();
    const incidentId = alerts(g)[0]?.attributes.incident ?? '';
    const state = async (name: string) => (await g.clients.glue.send(new GetCrawlerCommand({ Name: name }))).Crawler?.Schedule?.State;
    expect(await state(DEMO.crawler)).toBe('NOT_SCHEDULED');
    // The hourly crawler wrote nothing: its schedule is not the incident's to hold.
    expect(await state(HOURLY)).toBe('SCHEDULED');
    const outcome = g.stack.eventBridge.entries.find((e) => e.detailType === 'Glue Schema Drift Blocked')?.detailJson;
    expect(outcome).toMatchObject({ pausedWorkflows: [{ workflow: DEMO.workflow, stoppedSchedules: [DEMO.crawler], disabledRules: [RULE] }] });
    expect(alerts(g)[0]?.body.content.description).toContain(`stopped the schedule of crawler \`${DEMO.crawler}\``);
    expect((await release(g, incidentId)).producers).toEqual([
      { kind: 'schedule', name: DEMO.crawler, outcome: 'restarted' },
      { kind: 'rule', name: RULE, outcome: 'restarted' },
    ]);
    expect(await state(DEMO.crawler)).toBe('SCHEDULED');
  });

  it('a managed rule is never forced: left enabled, and the alert says so', async () => {
    const g = await world();
    g.stack.eventBridge.rules.markManaged(RULE, 'glue.amazonaws.com');
    await hourlyTick(g);
    expect(await ruleState(g)).toBe('ENABLED');
    expect(await ruleTags(g)).toEqual([]);
    expect(alerts(g)[0]?.body.content.description).toContain(`rule ${RULE} left alone: managed by glue.amazonaws.com: never forced`);
  });

  it('a schedule and a rule re-enabled by hand meanwhile only lose their tags', async () => {
    const g = await world();
    await hourlyTick(g);
    const incidentId = alerts(g)[0]?.attributes.incident ?? '';
    // `drift-guard history` shows the incident open, with what it holds.
    const history = await tableHistory(
      { catalog: createGlueCatalog({ client: g.clients.glue }), pipelines: createGluePipelines({ client: g.clients.glue, events: g.clients.eventBridge }) },
      undefined,
      { database: DEMO.database, table: DEMO.table },
      { region: g.stack.region, account: g.stack.accountId },
    );
    expect(history.entries.flatMap((e) => e.events).filter((e) => e.kind === 'open')).toEqual([
      expect.objectContaining({ incidentId, producers: [{ kind: 'schedule', name: HOURLY }, { kind: 'rule', name: RULE }] }),
    ]);
    await g.clients.glue.send(new StartCrawlerScheduleCommand({ CrawlerName: HOURLY }));
    await g.clients.eventBridge.send(new EnableRuleCommand({ Name: RULE }));
    const released = await release(g, incidentId);
    expect(released.producers).toEqual([
      { kind: 'schedule', name: HOURLY, outcome: 'already-active' },
      { kind: 'rule', name: RULE, outcome: 'already-active' },
    ]);
    expect(await schedule(g)).toBe('SCHEDULED');
    expect(await crawlerTags(g)).toEqual({});
    expect(await ruleState(g)).toBe('ENABLED');
    expect(await ruleTags(g)).toEqual([]);
    // Nothing of the incident is left: a second release finds nothing to do.
    expect((await release(g, incidentId)).producers).toEqual([]);
  });

  it('a schedule still TRANSITIONING is not released now: its tag stays, so the incident stays open for the next run', async () => {
    const g = await world();
    await hourlyTick(g);
    const incidentId = alerts(g)[0]?.attributes.incident ?? '';
    g.stack.glue.crawlers.setScheduleState(HOURLY, 'TRANSITIONING');
    const released = await release(g, incidentId);
    expect(released.producers[0]).toMatchObject({ kind: 'schedule', name: HOURLY, outcome: 'refused' });
    expect(await crawlerTags(g)).toMatchObject({ 'drift-guard:incident': incidentId });
    g.stack.glue.crawlers.setScheduleState(HOURLY, 'NOT_SCHEDULED');
    expect((await release(g, incidentId)).producers).toEqual([{ kind: 'schedule', name: HOURLY, outcome: 'restarted' }]);
    expect(await schedule(g)).toBe('SCHEDULED');
  });

  it('reconcile finds an incident whose only record is a held crawler schedule', async () => {
    const g = await startDemo();
    guarded = g;
    // No workflow at all: the crawler's schedule is the incident's only record in AWS.
    g.stack.glue.clear();
    g.stack.glue.createDatabase(DEMO.database);
    g.stack.glue.putTable(DEMO.database, ordersTableInput(), { emit: false });
    g.stack.glue.createCrawler({ Name: HOURLY, DatabaseName: DEMO.database, Schedule: 'cron(0 * * * ? *)' });
    await hourlyTick(g);
    const incidentId = alerts(g)[0]?.attributes.incident ?? '';
    expect(await schedule(g)).toBe('NOT_SCHEDULED');
    expect(alerts(g)[0]?.body.content.description).toContain(`Workflow \`${DEMO.workflow}\` not found`);
    // A deploy runs reconcile: the change is not approved, so the incident waits (found open from the crawler's tag).
    await g.redeploy(CONTRACTS_DIR, { reconcile: true });
    expect(g.reconciled.at(-1)).toMatchObject({ incidents: [{ incidentId, outcome: 'waiting' }] });
  });
});
