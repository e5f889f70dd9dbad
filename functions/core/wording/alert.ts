/**
 * Alerts, rendered in one place: an AWS Chatbot custom notification (Slack, Teams and Chime render it
 * with no extra code; anything else Chatbot silently drops), a plain Subject for email subscribers,
 * message attributes for subscription filter policies, and the EventBridge event for automation.
 */
import { glueArn } from '../arn.js';
import type { AlertMessage, OutcomeEvent, PauseResult, ProducerRelease } from '../ports.js';
import type { IncidentOutcome, IncidentReport, PartitionFacts } from '../incidents/report.js';
import type { ResumeReport } from '../reviewing/reports.js';
import type { Finding } from '../judging/judge.js';
import { type FindingJson, findingMessageWithin, findingToJsonWithin } from './findings.js';
import { MESSAGE_BUDGET_BYTES, countsByRule, largestFitting, putEventsEntryBytes, shorten, snsPublishBytes } from './budget.js';
import { cannotRestoreText, resumeCatalogText, resumeRefusalText, stillHeldText } from './incident.js';
import type { TableRef } from '../incidents/incident.js';
import { contractOfRestoreSource } from '../incidents/records.js';
import type { ResumeRefusal } from '../reviewing/reports.js';

export const DETAIL_TYPES: Readonly<Record<IncidentOutcome, string>> = {
  blocked: 'Glue Schema Drift Blocked',
  'cannot-restore': 'Glue Schema Drift Not Restored',
  observed: 'Glue Schema Drift Observed',
  allowed: 'Glue Schema Drift Allowed',
};

/** Chatbot shows long descriptions poorly; the rest is in the EventBridge event and `drift-guard history`. */
const MAX_FINDINGS_IN_CHAT = 10;
/** Long types (a 3,000-field struct is ~100,000 characters) are cut to this many characters in chat… */
const CHAT_TYPE_CHARS = 300;
/** …and in the outcome event. */
const EVENT_TYPE_CHARS = 1_000;
/** Any other single text (a path, a line of what the guard did) is cut here. */
const MAX_TEXT_CHARS = 2_000;
/** A PutEvents Source is at most 256 characters; the publisher chooses it, so the budget assumes the longest. */
const MAX_SOURCE = 'x'.repeat(256);
/** SNS Publish: a Subject "must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than 100 characters long". */
const SUBJECT_MAX_LENGTH = 99;

/** An SNS subject: printable ASCII, no line breaks, under 100 characters. */
function snsSubject(text: string): string {
  return text.replaceAll(/[^\x20-\x7e]/g, '?').slice(0, SUBJECT_MAX_LENGTH);
}

const TITLES: Readonly<Record<IncidentOutcome, (name: string) => string>> = {
  blocked: (name) => `:no_entry: Breaking schema change blocked on ${name}`,
  'cannot-restore': (name) => `:rotating_light: Breaking schema change on ${name}: NOT restored`,
  observed: (name) => `:eyes: Breaking schema change observed on ${name} (not enforced)`,
  allowed: (name) => `:information_source: Schema change allowed on ${name}`,
};

const SUBJECTS: Readonly<Record<IncidentOutcome, string>> = {
  blocked: 'BLOCKED breaking schema change',
  'cannot-restore': 'NOT RESTORED breaking schema change',
  observed: 'OBSERVED breaking schema change',
  allowed: 'allowed schema change',
};

function severityOf(report: IncidentReport): string {
  if (report.outcome === 'allowed') return report.judgement.findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
  return 'breaking';
}

function subjectOf(report: IncidentReport): string {
  return snsSubject(`[drift-guard] ${SUBJECTS[report.outcome]} on ${report.database}.${report.table}`);
}

function findingLine(finding: Finding): string {
  return shorten(`• ${findingMessageWithin(finding, { maxTypeChars: CHAT_TYPE_CHARS })} (${finding.ruleId}${finding.severity === 'breaking' ? '' : `, ${finding.severity}`})`, MAX_TEXT_CHARS);
}

/** Counts per rule, e.g. `TYPE_CHANGED 1,998, COLUMN_REMOVED 2`. */
function countsText(findings: readonly Finding[]): string {
  return Object.entries(countsByRule(findings.map((f) => f.ruleId)))
    .map(([rule, count]) => `${rule} ${count.toLocaleString('en')}`)
    .join(', ');
}

/** Where the findings a message leaves out are listed. */
function restPointer(report: IncidentReport): string {
  return `\`drift-guard history ${report.database}.${report.table}\` lists every finding, \`drift-guard audit\` every drifted table`;
}

/** At most this many partitions are named in a message; the rest are counted (and listed by SHOW PARTITIONS). */
const PARTITIONS_NAMED = 5;

/** `[2026-01-01, eu]`, as Glue's events name a partition. */
export function partitionName(values: readonly string[]): string {
  return shorten(`[${values.join(', ')}]`, 200);
}

function partitionList(values: readonly (readonly string[])[]): string {
  const named = values.slice(0, PARTITIONS_NAMED).map((v) => `\`${partitionName(v)}\``).join(', ');
  return values.length > PARTITIONS_NAMED ? `${named} and ${(values.length - PARTITIONS_NAMED).toLocaleString('en')} more` : named;
}

const plural = (count: number, word: string): string => `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;

/** What the guard did with the partitions of a partition incident. */
function partitionLines(report: IncidentReport, partitions: PartitionFacts): string[] {
  const lines: string[] = [];
  const held = partitions.heldTable === undefined ? undefined : `${report.database}.${partitions.heldTable}`;
  if (held === undefined) {
    lines.push(`Nothing was moved: ${report.outcome === 'observed' ? 'this table is in observe mode' : 'the drift is allowed'} (${plural(partitions.values.length, 'partition')}: ${partitionList(partitions.values)}).`);
  } else if (partitions.values.length > 0) {
    lines.push(
      `Moved ${plural(partitions.values.length, 'partition')} (${partitionList(partitions.values)}) out of \`${report.database}.${report.table}\` into \`${held}\`, each with its full definition (columns, SerDe, location, parameters): readers of the table no longer meet them.`,
      `Query them with their own schema: \`SHOW PARTITIONS ${held}\`, \`SELECT * FROM ${held}\` (the held table's columns are the first held partition's). Later partitions of this incident are moved there too, without another alert.`,
    );
  }
  if (partitions.conflicts.length > 0) {
    lines.push(`:warning: Left ${plural(partitions.conflicts.length, 'partition')} in place (${partitionList(partitions.conflicts)}): \`${held ?? partitions.heldTable ?? ''}\` already holds a different definition with the same values; nothing was overwritten.`);
  }
  return lines;
}

function actionLines(report: IncidentReport): string[] {
  const lines: string[] = report.partitions === undefined ? [] : partitionLines(report, report.partitions);
  if (report.outcome === 'blocked' && report.restoredFromVersionId !== undefined) {
    const contract = contractOfRestoreSource(report.restoredFromVersionId);
    lines.push(
      contract === undefined
        ? `Restored the schema of Glue version ${report.restoredFromVersionId} (the newest one contract v${report.contractVersion} accepts).`
        : `Restored the schema contract v${String(contract)} describes, applied to the table as it was (no earlier Glue version it accepts is within reach).`,
    );
  }
  if (report.outcome === 'cannot-restore' && report.reason !== undefined) lines.push(`Catalog NOT restored: ${cannotRestoreText(report.reason)}.`);
  if (report.outcome === 'observed' && report.partitions === undefined) lines.push('Nothing was changed: this table is in observe mode.');
  for (const pause of report.pauses) {
    if (!pause.found) {
      lines.push(`Workflow \`${pause.workflow}\` not found: nothing paused there.`);
      continue;
    }
    const triggers = pause.stoppedTriggers.length === 0 ? 'no active trigger to stop' : `stopped trigger${pause.stoppedTriggers.length === 1 ? '' : 's'} ${pause.stoppedTriggers.map((t) => `\`${t}\``).join(', ')}`;
    const runs = pause.stoppedRuns.length === 0 ? '' : `; stopped run${pause.stoppedRuns.length === 1 ? '' : 's'} ${pause.stoppedRuns.map((r) => `\`${r}\``).join(', ')}`;
    const left =
      pause.runsLeftRunning.length === 0
        ? ''
        : `; left run${pause.runsLeftRunning.length === 1 ? '' : 's'} ${pause.runsLeftRunning.map((r) => `\`${r}\``).join(', ')} running (the guard does not stop runs here: stopRunningRuns / x-stop-running-runs)`;
    lines.push(`Paused workflow \`${pause.workflow}\`: ${triggers}${runs}${left}${producersText(pause)}.`);
    for (const warning of pause.warnings) lines.push(`:warning: ${warning}`);
  }
  const schedule = report.crawlerSchedule;
  if (schedule?.stopped === true) lines.push(`Stopped the schedule of crawler \`${schedule.crawler}\` (its next run would write the drift again; a crawl already under way is not stopped).`);
  else if (schedule !== undefined) lines.push(`:warning: The schedule of crawler \`${schedule.crawler}\` was not stopped (${schedule.reason ?? 'not stopped'}): its next run may write the drift again.`);
  return lines;
}

const codeList = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

/** What else a pause held: its crawlers' own schedules and the EventBridge rules that start it. */
function producersText(pause: PauseResult): string {
  const schedules = pause.stoppedSchedules.length === 0 ? '' : `; stopped the schedule of crawler${pause.stoppedSchedules.length === 1 ? '' : 's'} ${codeList(pause.stoppedSchedules)}`;
  const rules = pause.disabledRules.length === 0 ? '' : `; disabled EventBridge rule${pause.disabledRules.length === 1 ? '' : 's'} ${codeList(pause.disabledRules)}`;
  return `${schedules}${rules}`;
}

function nextSteps(report: IncidentReport): string[] {
  const name = `${report.database}.${report.table}`;
  if (report.partitions !== undefined) return partitionNextSteps(report, report.partitions);
  const approve = `If the change is intended: \`drift-guard approve ${name} --incident ${report.incidentId} --reviewer <you> --reason "<why>"\` and merge the pull request`;
  const reject = `If it is not: fix the producer${report.crawler === undefined ? '' : ` (crawler \`${report.crawler}\`)`}`;
  switch (report.outcome) {
    case 'allowed':
      return [`To make it part of the contract: \`drift-guard approve ${name} --glue-version ${report.offendingVersionId} --reviewer <you> --reason "<why>"\``];
    case 'observed':
      return [`${approve}.`, `${reject}.`];
    case 'blocked':
    case 'cannot-restore':
      return [
        `${approve}; once deployed the guard writes the approved schema back and resumes the paused pipeline (or run \`drift-guard resume ${name}\`).`,
        `${reject}, then \`drift-guard resume ${name} --keep-current\` restarts the paused pipeline on the current schema.`,
      ];
  }
}

function partitionNextSteps(report: IncidentReport, partitions: PartitionFacts): string[] {
  const name = `${report.database}.${report.table}`;
  if (partitions.heldTable === undefined) return [`If the change is intended: approve a contract version of \`${name}\` that accepts it (\`drift-guard approve ${name} ...\`).`, 'If it is not: fix the producer.'];
  return [
    `If the change is intended: \`drift-guard approve ${name} --incident ${report.incidentId} --reviewer <you> --reason "<why>"\` (reads the held partitions' schema) and merge the pull request; once deployed, reconcile moves the held partitions back exactly as they were (a partition whose values the table meanwhile has again stays held and is reported).`,
    `If it is not: fix the producer${report.crawler === undefined ? '' : ` (crawler \`${report.crawler}\`)`} and rewrite those partitions' data, then \`drift-guard resume ${name} --incident ${report.incidentId} --keep-current\` restarts the paused pipeline; partitions the contract still rejects stay in \`${report.database}.${partitions.heldTable}\`.`,
  ];
}

/** At most this many lines of what the guard did when the whole list does not fit. */
const COMPACT_ACTION_LINES = 20;

function description(report: IncidentReport, showFindings: number, compact: boolean): string {
  const who = report.crawler === undefined ? 'A change' : `Crawler \`${report.crawler}\``;
  const findings = report.judgement.findings;
  const shown = findings.slice(0, showFindings).map(findingLine);
  // The count stays plain digits: the Slack forwarder reads it back (slack-blocks.ts, ALREADY_OMITTED).
  if (findings.length > shown.length) shown.push(`• …and ${findings.length - shown.length} more (in all: ${countsText(findings)}; ${restPointer(report)})`);
  const actions = actionLines(report);
  const actionText = compact
    ? [...actions.slice(0, COMPACT_ACTION_LINES).map((line) => shorten(line, MAX_TEXT_CHARS)), ...(actions.length > COMPACT_ACTION_LINES ? [`…and ${actions.length - COMPACT_ACTION_LINES} more (the outcome event and \`drift-guard audit\` list every paused workflow)`] : [])]
    : actions;
  const opening =
    report.partitions === undefined
      ? undefined
      : `${who} wrote partitions of \`${report.database}.${report.table}\` whose schema contract v${report.contractVersion} rejects (${report.judgement.mode}, ${report.judgement.format}); the table itself is unchanged (Glue version ${report.offendingVersionId}):`;
  return [
    opening ??
    `${who} wrote Glue version ${report.offendingVersionId} of \`${report.database}.${report.table}\`, judged against contract v${report.contractVersion} (${report.judgement.mode}, ${report.judgement.format}):`,
    ...shown,
    '',
    ...actionText,
    `Incident \`${report.incidentId}\``,
  ].join('\n');
}

function tableArn(report: IncidentReport): string {
  return glueArn(report, `table/${report.database}/${report.table}`);
}

function relatedResources(report: IncidentReport): string[] {
  return [tableArn(report), ...report.pauses.filter((p) => p.found).map((p) => glueArn(report, `workflow/${p.workflow}`))];
}

/**
 * The chat alert, within SNS's 256 KB whatever the change: the first findings in full (long types cut), counts per
 * rule and a pointer to `drift-guard history` for the rest.
 */
export function renderAlert(report: IncidentReport): AlertMessage {
  const count = Math.min(report.judgement.findings.length, MAX_FINDINGS_IN_CHAT);
  const attributes = {
    severity: severityOf(report),
    database: report.database,
    table: report.table,
    verdict: report.judgement.verdict,
    outcome: report.outcome,
    incident: report.incidentId,
  };
  const subject = subjectOf(report);
  const fits = (body: string): boolean => snsPublishBytes({ subject, body, attributes }) <= MESSAGE_BUDGET_BYTES;
  const fitted = largestFitting(count, (shown) => alertBody(report, shown, false), fits) ?? largestFitting(count, (shown) => alertBody(report, shown, true), fits);
  return { subject, body: fitted?.rendered ?? minimalAlertBody(report), attributes };
}

/** The last resort, when even the compact alert does not fit: what happened, where, and where to read the rest. */
function minimalAlertBody(report: IncidentReport): string {
  const name = `${report.database}.${report.table}`;
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    id: report.incidentId,
    content: {
      textType: 'client-markdown',
      title: TITLES[report.outcome](name),
      description: `${report.judgement.findings.length} findings (${countsText(report.judgement.findings)}); ${restPointer(report)}.\nIncident \`${report.incidentId}\``,
      nextSteps: nextSteps(report),
    },
    metadata: {
      threadId: `glue-drift-guard/${name}`,
      summary: `${SUBJECTS[report.outcome]} on ${name}`,
      eventType: DETAIL_TYPES[report.outcome],
      relatedResources: [tableArn(report)],
      additionalContext: { incidentId: report.incidentId, database: report.database, table: report.table },
    },
  });
}

function alertBody(report: IncidentReport, showFindings: number, compact: boolean): string {
  const name = `${report.database}.${report.table}`;
  const resources = relatedResources(report);
  const body = {
    version: '1.0',
    source: 'custom',
    id: report.incidentId,
    content: {
      textType: 'client-markdown',
      title: TITLES[report.outcome](name),
      description: description(report, showFindings, compact),
      nextSteps: nextSteps(report),
    },
    metadata: {
      threadId: `glue-drift-guard/${name}`,
      summary: `${SUBJECTS[report.outcome]} on ${name}: ${report.judgement.findings.length} finding${report.judgement.findings.length === 1 ? '' : 's'}`,
      eventType: DETAIL_TYPES[report.outcome],
      relatedResources: compact ? resources.slice(0, 1) : resources,
      additionalContext: { incidentId: report.incidentId, database: report.database, table: report.table },
    },
  };
  return JSON.stringify(body);
}

/** A finding in the outcome event: everything, long types and texts cut. */
function eventFinding(finding: Finding): FindingJson {
  const json = findingToJsonWithin(finding, { maxTypeChars: EVENT_TYPE_CHARS });
  return { ...json, path: shorten(json.path, MAX_TEXT_CHARS), message: shorten(json.message, MAX_TEXT_CHARS) };
}

/** At most this many paused workflows in a compact event (the full list is in the tags and `drift-guard audit`). */
const COMPACT_WORKFLOWS = 20;

function outcomeEvent(report: IncidentReport, findings: readonly FindingJson[], shown: number, compact: boolean): OutcomeEvent {
  const total = findings.length;
  const pauses = compact ? report.pauses.slice(0, COMPACT_WORKFLOWS) : report.pauses;
  const resources = relatedResources(report);
  return {
    detailType: DETAIL_TYPES[report.outcome],
    resources: compact ? resources.slice(0, 1) : resources,
    detail: {
      incidentId: report.incidentId,
      outcome: report.outcome,
      database: report.database,
      table: report.table,
      verdict: report.judgement.verdict,
      contractVersion: report.contractVersion,
      offendingVersionId: report.offendingVersionId,
      ...(report.restoredFromVersionId === undefined ? {} : { restoredFromVersionId: report.restoredFromVersionId }),
      ...(report.reason === undefined ? {} : { reason: cannotRestoreText(report.reason) }),
      ...(report.crawler === undefined ? {} : { crawler: report.crawler }),
      ...(report.partitions === undefined ? {} : { partitions: partitionDetail(report.partitions, compact) }),
      pausedWorkflows: pauses.map((p) =>
        compact
          ? {
              workflow: p.workflow,
              found: p.found,
              stoppedTriggers: p.stoppedTriggers.slice(0, COMPACT_WORKFLOWS),
              stoppedRuns: p.stoppedRuns.slice(0, COMPACT_WORKFLOWS),
              stoppedSchedules: p.stoppedSchedules.slice(0, COMPACT_WORKFLOWS),
              disabledRules: p.disabledRules.slice(0, COMPACT_WORKFLOWS),
            }
          : { workflow: p.workflow, found: p.found, stoppedTriggers: p.stoppedTriggers, stoppedRuns: p.stoppedRuns, stoppedSchedules: p.stoppedSchedules, disabledRules: p.disabledRules },
      ),
      ...(report.crawlerSchedule === undefined ? {} : { crawlerSchedule: { crawler: report.crawlerSchedule.crawler, stopped: report.crawlerSchedule.stopped } }),
      ...(compact && report.pauses.length > pauses.length ? { pausedWorkflowsOmitted: report.pauses.length - pauses.length } : {}),
      findings: findings.slice(0, shown),
      // Only when findings were left out, so small events keep their shape.
      ...(shown < total
        ? {
            findingsTotal: total,
            findingsOmitted: total - shown,
            findingCounts: countsByRule(findings.map((f) => f.ruleId)),
            moreFindings: `drift-guard history ${report.database}.${report.table} lists every finding; drift-guard audit every drifted table`,
          }
        : {}),
    },
  };
}

/** At most this many partitions' values in a compact outcome event (a full one lists the delivery's ≤ 100). */
const COMPACT_PARTITIONS = 20;

/**
 * The partitions in the outcome event: every one's values (each value cut at 200 characters), or, compact, the first
 * few names (`[v1, v2]`, cut at 200 characters): bounded whatever the number of keys and the length of the values.
 */
function partitionDetail(partitions: PartitionFacts, compact: boolean): Record<string, unknown> {
  const cut = (values: readonly (readonly string[])[]): readonly (readonly string[])[] | readonly string[] =>
    compact ? values.slice(0, COMPACT_PARTITIONS).map(partitionName) : values.map((v) => v.map((value) => shorten(value, 200)));
  return {
    count: partitions.values.length,
    values: cut(partitions.values),
    ...(partitions.heldTable === undefined ? {} : { heldTable: partitions.heldTable }),
    conflicts: cut(partitions.conflicts),
  };
}

/** Bytes the event takes in a PutEvents entry (with the longest Source a publisher may use). */
function eventEntryBytes(event: OutcomeEvent): number {
  return putEventsEntryBytes({ source: MAX_SOURCE, detailType: event.detailType, detail: JSON.stringify(event.detail), resources: event.resources });
}

/**
 * The outcome event, within a PutEvents entry's 256 KB whatever the change: as many findings as fit (long types
 * cut), and when some are left out, how many, counts per rule and where to read them.
 */
export function renderOutcomeEvent(report: IncidentReport): OutcomeEvent {
  const findings = report.judgement.findings.map(eventFinding);
  const fits = (event: OutcomeEvent): boolean => eventEntryBytes(event) <= MESSAGE_BUDGET_BYTES;
  const fitted =
    largestFitting(findings.length, (shown) => outcomeEvent(report, findings, shown, false), fits) ??
    largestFitting(findings.length, (shown) => outcomeEvent(report, findings, shown, true), fits);
  return fitted?.rendered ?? outcomeEvent({ ...report, pauses: [] }, findings, 0, true);
}

/** What releasing a held producer did, in the "resumed" alert. */
const PRODUCER_OUTCOMES: Readonly<Record<ProducerRelease['outcome'], string>> = {
  restarted: 'started again',
  'already-active': 'already re-enabled by hand (tags removed only)',
  untagged: 'tags removed',
  refused: 'still held',
};

/** A resume line (e.g. every restarted trigger) is cut only past this; lines past the budget are counted instead. */
const RESUME_LINE_CHARS = 20_000;

/** The "resumed" alert, in the incident's chat thread (same threadId as the table's other alerts). */
export function renderResumeAlert(report: Omit<ResumeReport, 'alert'>): AlertMessage {
  const name = `${report.database}.${report.table}`;
  const restarted = report.triggers.filter((t) => t.outcome !== 'refused').map((t) => `\`${t.trigger}\`${t.outcome === 'already-active' ? ' (already restarted by hand)' : ''}`);
  const refused = report.triggers.filter((t) => t.outcome === 'refused').map((t) => `\`${t.trigger}\`: ${t.reason ?? 'not restarted'}`);
  const runs = report.runs.map((r) => `run \`${r.runId}\`: ${r.outcome} (${r.detail})`);
  const producers = report.producers.map((p) => `${p.kind === 'schedule' ? 'Schedule of crawler' : 'EventBridge rule'} \`${p.name}\`: ${PRODUCER_OUTCOMES[p.outcome]}${p.reason === undefined ? '' : ` (${p.reason})`}.`);
  const lines = [
    report.stillHeld.length === 0
      ? `Incident \`${report.incidentId}\` on \`${name}\` is resolved: ${resumeCatalogText(report.catalogNote)}.`
      : `Incident \`${report.incidentId}\` on \`${name}\` stays open (${stillHeldText(report.stillHeld)}): ${resumeCatalogText(report.catalogNote)}.`,
    restarted.length === 0 ? 'No trigger needed restarting.' : `Restarted trigger${restarted.length === 1 ? '' : 's'} ${restarted.join(', ')}.`,
    ...refused.map((r) => `Not restarted: ${r}.`),
    ...producers,
    ...runs,
  ].map((line) => shorten(line, RESUME_LINE_CHARS));
  const subject = snsSubject(`[drift-guard] resumed pipeline for ${name}`);
  const attributes = { severity: 'info', database: report.database, table: report.table, verdict: 'compliant', outcome: 'resumed', incident: report.incidentId };
  const render = (shown: number): string => {
    const left = lines.length - shown;
    const description = [...lines.slice(0, shown), ...(left > 0 ? [`…and ${String(left)} more (\`drift-guard history ${name}\` shows the resume)`] : [])].join('\n');
    return resumeBody(report, name, description);
  };
  // The first line (what happened to the incident) always stays.
  const fitted = largestFitting(lines.length, (shown) => render(Math.max(1, shown)), (body) => snsPublishBytes({ subject, body, attributes }) <= MESSAGE_BUDGET_BYTES);
  return { subject, body: fitted?.rendered ?? render(1), attributes };
}

function resumeBody(report: Omit<ResumeReport, 'alert'>, name: string, description: string): string {
  const body = {
    version: '1.0',
    source: 'custom',
    id: `${report.incidentId}-resumed`,
    content: { textType: 'client-markdown', title: `:white_check_mark: Pipeline resumed for ${name}`, description, nextSteps: [] as string[] },
    metadata: {
      threadId: `glue-drift-guard/${name}`,
      summary: `resumed ${name} (incident ${report.incidentId})`,
      eventType: 'Glue Schema Drift Resumed',
      relatedResources: [] as string[],
      additionalContext: { incidentId: report.incidentId, database: report.database, table: report.table },
    },
  };
  return JSON.stringify(body);
}

/** A resume request the deployed reconcile function refused, in the incident's chat thread: why, and what to do. */
export function renderResumeRefusedAlert(ref: TableRef, request: { readonly incidentId?: string | undefined; readonly requestedBy: string }, reason: ResumeRefusal): AlertMessage {
  const name = `${ref.database}.${ref.table}`;
  const incident = request.incidentId ?? 'the newest open incident';
  const body = {
    version: '1.0',
    source: 'custom',
    id: `${request.incidentId ?? name}-resume-refused`,
    content: {
      textType: 'client-markdown',
      title: `:hourglass: Resume of ${name} not done`,
      description: [`${request.requestedBy === '' ? 'A reviewer' : `\`${shorten(request.requestedBy, MAX_TEXT_CHARS)}\``} asked to resume ${incident} on \`${name}\`; the deployed guard refused:`, shorten(resumeRefusalText(reason), MAX_TEXT_CHARS)].join('\n'),
      nextSteps: ['Nothing was changed: the pipeline stays held. Once the approval is deployed, reconcile resumes the incident by itself.'],
    },
    metadata: {
      threadId: `glue-drift-guard/${name}`,
      summary: `resume of ${name} refused`,
      eventType: 'Glue Schema Drift Resume Refused',
      relatedResources: [] as string[],
      additionalContext: { database: ref.database, table: ref.table, ...(request.incidentId === undefined ? {} : { incidentId: request.incidentId }) },
    },
  };
  return {
    subject: snsSubject(`[drift-guard] resume of ${name} refused`),
    body: JSON.stringify(body),
    attributes: { severity: 'info', database: ref.database, table: ref.table, verdict: 'breaking', outcome: 'resume-refused', ...(request.incidentId === undefined ? {} : { incident: request.incidentId }) },
  };
}
