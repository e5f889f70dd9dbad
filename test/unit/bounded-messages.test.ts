/**
 * Every message fits: whatever the number of findings or the length of a type, the outcome event fits a PutEvents
 * entry and the chat alert an SNS message, both valid JSON, keeping the incident, the table and the outcome, and
 * saying how many findings they left out. Property tests with fixed seeds over huge generated changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAlert, renderOutcomeEvent, renderResumeAlert } from '../../functions/core/wording/alert.js';
import { MESSAGE_BUDGET_BYTES, PUT_EVENTS_ENTRY_LIMIT_BYTES, SNS_MESSAGE_LIMIT_BYTES, putEventsEntryBytes, shorten, snsPublishBytes } from '../../functions/core/wording/budget.js';
import type { Finding } from '../../functions/core/judging/judge.js';
import type { GlueType } from '../../functions/core/schema/glue-type.js';
import type { IncidentOutcome, IncidentReport } from '../../functions/core/incidents/report.js';
import type { PauseResult } from '../../functions/core/ports.js';
import { blockedReport, resumedReport } from '../fixtures/alerts/sample-alerts.js';
import { putEventsEntrySize } from '../../infra/local/eventbridge.js';
import { z } from 'zod';

const LONGEST_SOURCE = 'x'.repeat(256);

/** A struct of `fields` fields, each named `name_<i>` (a 3,000-field struct prints to ~100,000 characters). */
function wideStruct(fields: number, name = 'field_with_a_fairly_long_name'): GlueType {
  return { kind: 'struct', fields: Array.from({ length: fields }, (_, i) => ({ name: `${name}_${String(i)}`, type: { kind: 'primitive', name: i % 2 === 0 ? 'bigint' : 'string' } })) };
}

function retype(column: string, before: GlueType, after: GlueType): Finding {
  return { ruleId: 'TYPE_CHANGED', severity: 'breaking', path: `columns.${column}`, change: { kind: 'updated', subject: 'type', path: [{ kind: 'section', name: 'columns' }, { kind: 'name', name: column }], before, after } };
}

function removal(column: string, type: GlueType): Finding {
  return { ruleId: 'COLUMN_REMOVED', severity: 'breaking', path: `columns.${column}`, change: { kind: 'removed', subject: 'column', path: [{ kind: 'section', name: 'columns' }, { kind: 'name', name: column }], type } };
}

const STRING: GlueType = { kind: 'primitive', name: 'string' };
const BIGINT: GlueType = { kind: 'primitive', name: 'bigint' };

function reportWith(findings: readonly Finding[], overrides: Partial<IncidentReport> = {}): IncidentReport {
  const base = blockedReport();
  return { ...base, judgement: { ...base.judgement, verdict: 'breaking', findings, hasBreakingFindings: true }, ...overrides };
}

const eventDetail = z.object({
  incidentId: z.string(),
  outcome: z.string(),
  database: z.string(),
  table: z.string(),
  findings: z.array(z.object({ ruleId: z.string(), message: z.string() })),
  findingsTotal: z.number().optional(),
  findingsOmitted: z.number().optional(),
  findingCounts: z.record(z.string(), z.number()).optional(),
  moreFindings: z.string().optional(),
});

const chatBody = z.object({
  content: z.object({ title: z.string(), description: z.string() }),
  metadata: z.object({ threadId: z.string(), additionalContext: z.object({ incidentId: z.string(), database: z.string(), table: z.string() }) }),
});

function measure(report: IncidentReport): { eventBytes: number; messageBytes: number; detail: z.output<typeof eventDetail>; body: z.output<typeof chatBody>; subject: string } {
  const event = renderOutcomeEvent(report);
  const detailText = JSON.stringify(event.detail);
  const alert = renderAlert(report);
  return {
    eventBytes: putEventsEntryBytes({ source: LONGEST_SOURCE, detailType: event.detailType, detail: detailText, resources: event.resources }),
    messageBytes: snsPublishBytes(alert),
    detail: eventDetail.parse(JSON.parse(detailText)),
    body: chatBody.parse(JSON.parse(alert.body)),
    subject: alert.subject,
  };
}

/** What is wrong with the rendered event and alert of a report: nothing, when every promise holds. */
function violations(report: IncidentReport): string[] {
  const m = measure(report);
  const problems: string[] = [];
  const total = report.judgement.findings.length;
  const shown = m.detail.findings.length;
  const chatShown = m.body.content.description.split('\n').filter((l) => l.startsWith('• ') && !l.startsWith('• …and ')).length;
  const check = (holds: boolean, problem: string): void => {
    if (!holds) problems.push(problem);
  };
  check(m.eventBytes <= MESSAGE_BUDGET_BYTES && m.eventBytes < PUT_EVENTS_ENTRY_LIMIT_BYTES, `event entry ${String(m.eventBytes)} bytes`);
  check(m.messageBytes <= MESSAGE_BUDGET_BYTES && m.messageBytes < SNS_MESSAGE_LIMIT_BYTES, `SNS message ${String(m.messageBytes)} bytes`);
  check(m.subject.length < 100, `subject of ${String(m.subject.length)} characters`);
  check(m.detail.incidentId === report.incidentId && m.detail.outcome === report.outcome && m.detail.database === report.database && m.detail.table === report.table, 'event lost the incident, table or outcome');
  const context = m.body.metadata.additionalContext;
  check(context.incidentId === report.incidentId && context.database === report.database && context.table === report.table, 'alert lost the incident or table');
  // The event says how many it left out whenever it left some out; the chat alert says it past what it shows.
  check(shown + (m.detail.findingsOmitted ?? 0) === total, `event shows ${String(shown)} and omits ${String(m.detail.findingsOmitted ?? 0)} of ${String(total)}`);
  check(shown === total || m.detail.findingsTotal === total, 'event without findingsTotal');
  check(shown === total || Object.values(m.detail.findingCounts ?? {}).reduce((a, b) => a + b, 0) === total, 'event counts per rule do not add up');
  check(shown === total || (m.detail.moreFindings ?? '').includes(`drift-guard history ${report.database}.${report.table}`), 'event without a pointer to drift-guard history');
  check(chatShown === total || m.body.content.description.includes(`• …and ${String(total - chatShown)} more (in all: `), 'alert does not say how many it left out');
  return problems;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const SEED = { seed: 20_261_201, numRuns: 25 };

describe('Every message fits (PutEvents entry and SNS message ≤ 256 KB)', { timeout: 120_000 }, () => {
  it('a 1,000-column retype: every rendered event and message fits and says what it left out', () => {
    // Prepare
    const findings = Array.from({ length: 1_000 }, (_, i) => retype(`column_with_a_long_descriptive_name_${String(i).padStart(4, '0')}`, BIGINT, STRING));
    // Act
    const m = measure(reportWith(findings));
    // Assess
    expect(violations(reportWith(findings))).toEqual([]);
    expect(m.detail.findings.length).toBeGreaterThan(100);
    expect(m.detail.findingCounts).toEqual({ TYPE_CHANGED: 1_000 });
  });

  it('a 3,000-field struct turned into a string: the type is cut with an ellipsis and its length', () => {
    // Prepare
    const findings = [retype('payload', wideStruct(3_000), STRING)];
    // Act
    const m = measure(reportWith(findings));
    // Assess
    expect(violations(reportWith(findings))).toEqual([]);
    expect(m.detail.findings).toHaveLength(1);
    expect(m.detail.findings[0]?.message).toMatch(/^Column `payload` changed type struct<field_with_a_fairly_long_name_0:bigint,.*… \([\d,]+ characters\) → string/);
    expect(m.body.content.description).toMatch(/changed type struct<.*… \([\d,]+ characters\) → string/);
  });

  it('thousands of paused workflows and triggers: the compact form still fits and keeps the incident', () => {
    // Prepare
    const pauses = Array.from({ length: 2_000 }, (_, w): PauseResult => ({
      workflow: `workflow_${String(w)}_${'w'.repeat(200)}`,
      found: true,
      stoppedTriggers: Array.from({ length: 50 }, (_, t) => `trigger_${String(t)}_${'t'.repeat(200)}`),
      untouchedTriggers: [],
      stoppedRuns: [],
      runsLeftRunning: [],
      stoppedSchedules: Array.from({ length: 50 }, (_, c) => `crawler_${String(c)}_${'c'.repeat(240)}`),
      disabledRules: Array.from({ length: 50 }, (_, r) => `rule_${String(r)}_${'r'.repeat(55)}`),
      warnings: [],
    }));
    const report = reportWith([retype('payload', wideStruct(3_000), STRING)], { pauses });
    // Act
    const event = renderOutcomeEvent(report);
    // Assess
    expect(violations(report)).toEqual([]);
    expect(event.detail).toMatchObject({ pausedWorkflowsOmitted: 1_980 });
  });

  it('a resume of thousands of triggers and runs: the resumed alert fits and keeps its first line', () => {
    // Prepare
    const base = resumedReport();
    const triggers = Array.from({ length: 5_000 }, (_, i) => ({ trigger: `trigger_${String(i)}_${'t'.repeat(200)}`, outcome: i % 2 === 0 ? ('restarted' as const) : ('refused' as const), reason: 'r'.repeat(100) }));
    const producers = Array.from({ length: 5_000 }, (_, i) => ({ kind: i % 2 === 0 ? ('schedule' as const) : ('rule' as const), name: `producer_${String(i)}_${'p'.repeat(200)}`, outcome: 'refused' as const, reason: 'r'.repeat(100) }));
    // Act
    const alert = renderResumeAlert({ ...base, triggers, producers });
    // Assess
    const body = z.object({ content: z.object({ description: z.string() }) }).parse(JSON.parse(alert.body));
    expect(snsPublishBytes(alert)).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    expect(body.content.description.startsWith(`Incident \`${base.incidentId}\``)).toBe(true);
    expect(body.content.description).toMatch(/…and \d+ more \(`drift-guard history sales\.orders` shows the resume\)$/);
  });

  it('a partition incident with 100 partitions of 20 keys of 1,024-character values (Glue\'s longest), and as many conflicts: everything fits', () => {
    // Prepare
    const values = Array.from({ length: 100 }, (_, p) => Array.from({ length: 20 }, (_, k) => `${String(p)}-${String(k)}-${'v'.repeat(1_020)}`));
    const report = reportWith([retype('amount', BIGINT, STRING)], { partitions: { values, heldTable: `orders_drift_guard_held`, conflicts: values } });
    // Act
    const event = renderOutcomeEvent(report);
    const alert = renderAlert(report);
    // Assess
    expect(violations(report)).toEqual([]);
    expect(event.detail).toMatchObject({ partitions: { count: 100, heldTable: 'orders_drift_guard_held' } });
    expect(alert.body).toContain('and 95 more');
  });

  it('small alerts keep every finding and no omission fields', () => {
    // Prepare
    const report = reportWith([retype('amount', BIGINT, STRING)]);
    // Act
    const event = renderOutcomeEvent(report);
    // Assess
    expect(Object.keys(event.detail)).not.toContain('findingsOmitted');
    expect(event.detail.findings).toHaveLength(1);
  });

  it('any number of findings with any type width, any outcome, many workflows: everything fits', () => {
    const finding = fc
      .record({
        column: fc.string({ minLength: 1, maxLength: 255, unit: fc.constantFrom('a', 'é', '😀', '"', '\\', '`', '_') }),
        width: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 500, max: 4_000 })),
        removed: fc.boolean(),
      })
      .map(({ column, width, removed }) => (removed ? removal(column, width === 0 ? BIGINT : wideStruct(width, 'f')) : retype(column, width === 0 ? BIGINT : wideStruct(width), STRING)));
    const pause = fc.record({
      workflow: fc.string({ minLength: 1, maxLength: 255 }),
      triggers: fc.integer({ min: 0, max: 60 }),
    }).map(({ workflow, triggers }): PauseResult => ({ workflow, found: true, stoppedTriggers: Array.from({ length: triggers }, (_, i) => `${workflow}-trigger-${String(i)}`), untouchedTriggers: [], stoppedRuns: [], runsLeftRunning: [], warnings: [], stoppedSchedules: [], disabledRules: [] }));
    fc.assert(
      fc.property(
        fc.array(finding, { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 0, max: 2_500 }),
        fc.constantFrom<IncidentOutcome>('blocked', 'cannot-restore', 'observed', 'allowed'),
        fc.array(pause, { maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 255 }),
        (varied, extra, outcome, pauses, table) => {
          const findings = [...varied, ...Array.from({ length: extra }, (_, i) => retype(`c${String(i)}_${'x'.repeat(60)}`, BIGINT, STRING))];
          expect(violations(reportWith(findings, { outcome, pauses, table }))).toEqual([]);
        },
      ),
      SEED,
    );
  });

  it('the builder never measures an entry smaller than EventBridge does (the local stack sizes it as AWS)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 256 }), fc.string({ maxLength: 128 }), fc.jsonValue(), fc.array(fc.string({ maxLength: 100 }), { maxLength: 5 }), (source, detailType, value, resources) => {
        const detail = JSON.stringify({ value });
        expect(putEventsEntryBytes({ source, detailType, detail, resources })).toBeGreaterThanOrEqual(putEventsEntrySize({ Time: 0, Source: source, DetailType: detailType, Detail: detail, Resources: resources }));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('shorten never splits a surrogate pair and says the full length', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '😀', 'é'), maxLength: 400 }), fc.integer({ min: 0, max: 300 }), (text, max) => {
        const cut = shorten(text, max);
        expect(LONE_SURROGATE.test(cut)).toBe(false);
        expect(text.length <= max ? cut === text : cut.endsWith(`… (${text.length.toLocaleString('en')} characters)`)).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
