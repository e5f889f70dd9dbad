/**
 * The `drift-guard` command's text reports, one function per command, fed by the reports core returns. The
 * commands parse arguments, call core and hand the result here; JSON output stays with the commands, with its
 * sentences (messages, notes, events) worded by the same functions.
 */
import type { HistoryCheck } from '../contracts/contract-check.js';
import type { Judgement } from '../judging/judge.js';
import { partitionName } from './alert.js';
import type { ApprovalPlan, ApprovalSource } from '../reviewing/approval.js';
import type { AuditReport } from '../reviewing/audit.js';
import type { TableHistory } from '../reviewing/history.js';
import type { ResumeReport } from '../reviewing/reports.js';
import type { Finding } from '../judging/judge.js';
import { findingMessageWithin, findingReason } from './findings.js';
import { approvalNoteText, historyEventText, historyWriterText, resumeCatalogText, stillHeldText } from './incident.js';

/** Types in text reports are cut at this many characters (a 50,000-field struct is ~700,000); `--json` carries them whole. */
export const CLI_TYPE_CHARS = 200;
const findingMessage = (finding: Finding): string => findingMessageWithin(finding, { maxTypeChars: CLI_TYPE_CHARS });

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

// ── errors (main.ts, output.ts) ────────────────────────────────────────────────────────────────

/** Bad input: one line per problem, each naming the file and the place. */
export function problemLine(message: string): string {
  return `drift-guard: ${message}\n`;
}

/** An approval or resume core refused (its message says why and what to do instead). */
export function refusedLine(message: string): string {
  return `drift-guard: refused: ${message}\n`;
}

export function usageErrorText(message: string): string {
  return `drift-guard: ${message}\nRun "drift-guard --help" for usage.\n`;
}

export function unexpectedErrorText(error: unknown): string {
  return `drift-guard: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}

// ── names that do not exist (a typo is an error, never an empty success) ─────────────────────────

/** `--contracts-dir` (or the default `contracts`) that is not there: said before anything is read from AWS. */
export function noSuchDirectoryText(option: string, cwd: string): string {
  return `no such directory (${option}; a relative path is read from the current directory, ${cwd})`;
}

export function notADirectoryText(option: string): string {
  return `not a directory (${option} names the folder holding <database>/<table>/vN.json)`;
}

/** GetTables / GetTableVersions said EntityNotFoundException for the database. */
export function noSuchDatabaseText(database: string, region: string): string {
  return `no Glue database "${database}" in region ${region} (a typo, or another region: set AWS_REGION, and AWS_DEFAULT_REGION for aws-cli v1)`;
}

/** The database exists, the table does not; `suggestion` is its nearest table name, if one is near. */
export function noSuchTableText(database: string, table: string, region: string, suggestion: string | undefined): string {
  return `no table "${table}" in Glue database "${database}" (region ${region})${suggestion === undefined ? '' : `; did you mean ${database}.${suggestion}?`}`;
}

/** `local --port N` when something else listens there. */
export function portInUseText(port: number): string {
  return `port ${port} on 127.0.0.1 is in use (another drift-guard local?); choose another with --port, or --port 0 for any free port`;
}

// ── table files ────────────────────────────────────────────────────────────────────────────────

/** A UTF-16 table file (Windows PowerShell 5's `>` and Out-File write UTF-16LE): what to run instead. */
export function utf16TableFileText(): string {
  return 'a UTF-8 Glue table JSON file, found UTF-16 text (what Windows PowerShell\'s ">" writes): write it with "| Out-File -Encoding utf8 orders.json", or "aws glue get-table ... --output json > orders.json" in PowerShell 7 or a POSIX shell';
}

/** `aws glue get-tables` output where one table is expected. */
export function getTablesOutputText(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  const listed = names.length === 0 ? 'no tables' : `${plural(names.length, 'table')}: ${shown}${names.length > 5 ? ', …' : ''}`;
  return `one Glue table, found "aws glue get-tables" output (TableList, ${listed}): use "aws glue get-table --database-name <db> --name <table>", or pick one with jq '{Table: (.TableList[] | select(.Name == "<table>"))}'`;
}

// ── diff ───────────────────────────────────────────────────────────────────────────────────────

const VERDICT_TEXT = { compliant: 'COMPLIANT', allowed: 'ALLOWED', breaking: 'BREAKING' } as const;
const SEVERITY_MARK = { breaking: '✖', warning: '!', info: '·' } as const;

/** A readable report: verdict line, then each finding with its rule and reason. */
export function renderJudgementText(title: string, judgement: Judgement): string {
  const lines = [`${title}: ${VERDICT_TEXT[judgement.verdict]} (${judgement.mode} contract, ${judgement.format} table)`];
  if (judgement.mode === 'observe' && judgement.hasBreakingFindings) {
    lines.push('  observe mode: the breaking findings below are reported, not enforced');
  }
  if (judgement.findings.length === 0) lines.push('  no schema difference');
  for (const finding of judgement.findings) {
    lines.push(`  ${SEVERITY_MARK[finding.severity]} ${finding.severity.padEnd(8)} ${finding.ruleId}  ${findingMessage(finding)}`);
    lines.push(`      ${finding.path} — ${findingReason(finding)}`);
  }
  return lines.join('\n');
}

/** `diff`: the title of the report. */
export function diffTitle(table: string, contractVersion: number): string {
  return `${table} against contract v${contractVersion}`;
}

/** `diff` without an approved contract: what the table file lacks. */
export function diffNoContractExpectation(table: string, dir: string, file: string, hasHistory: boolean): string {
  const why = hasHistory ? 'no approved contract version' : 'no contract';
  return `a table with a contract: ${why} for ${table} in ${dir}/ (create one with: drift-guard snapshot --from-file ${file})`;
}

// ── check ──────────────────────────────────────────────────────────────────────────────────────

/** `check`: each table's verdict, each unacknowledged breaking step with the entry to add, the summary. */
export function checkText(checks: readonly HistoryCheck[], dir: string, displayPath: (file: string) => string): string {
  const ok = checks.every((c) => c.ok);
  const lines: string[] = [];
  for (const c of checks) {
    const active = c.activeVersion === undefined ? 'no approved version' : `active v${c.activeVersion}`;
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.database}.${c.table}: ${plural(c.versions, 'version')}, ${active}`);
    for (const step of c.steps) {
      for (const f of step.unacknowledged) {
        lines.push(`     v${step.from} → v${step.to}: unacknowledged breaking change ${f.ruleId} at ${f.path}: ${findingMessage(f)}`);
        lines.push(`       acknowledge it in ${displayPath(step.file)} x-approval.acknowledges: {"ruleId": "${f.ruleId}", "path": "${f.path}"}`);
      }
      for (const a of step.staleAcknowledgements) {
        lines.push(`     v${step.from} → v${step.to}: note: acknowledgement ${a.ruleId} at ${a.path} matches no breaking change`);
      }
    }
  }
  if (checks.length === 0) lines.push(`no contracts under ${dir}/`);
  lines.push(ok ? `${plural(checks.length, 'table')} checked: ok` : 'breaking changes without acknowledgement: see above');
  return lines.join('\n');
}

// ── snapshot ───────────────────────────────────────────────────────────────────────────────────

/** The approval reason a snapshot records when none is given. */
export function snapshotDefaultReason(hasHistory: boolean): string {
  return hasHistory ? 'Snapshot: accepts the table as it is today' : 'Baseline: the table as it is today';
}

export function snapshotUnchangedText(table: string, version: number): string {
  return `${table}: unchanged, v${version} already describes this table; nothing written`;
}

/** A written snapshot: the file, then each change against the previous version. */
export function snapshotWrittenText(table: string, file: string, version: number, reviewer: string, judgement: Judgement | undefined): string {
  const lines = [`${table}: wrote ${file} (v${version}, approved by ${reviewer})`];
  for (const finding of judgement?.findings ?? []) {
    lines.push(`  ${finding.severity === 'breaking' ? 'acknowledged' : 'changed     '} ${finding.ruleId}  ${findingMessage(finding)}`);
  }
  return lines.join('\n');
}

export interface SnapshotResult {
  readonly table: string;
  readonly outcome: string;
  readonly version?: number;
  readonly file?: string;
  readonly error?: string;
}

/** The progress display of a live snapshot (rewritten in place on a terminal). */
export function snapshotProgressText(index: number, total: number, table: string): string {
  return `\r[${index}/${total}] ${table}`.padEnd(60);
}

/** One table of a live snapshot, when the output is not a terminal. */
export function snapshotLiveLine(index: number, total: number, result: SnapshotResult): string {
  return `[${index}/${total}] ${result.table}: ${result.outcome}${result.version === undefined ? '' : ` v${result.version}`}${result.error === undefined ? '' : ` — ${result.error}`}`;
}

/** The end of a live snapshot: counts, then each table refused (no columns, breaking without --reason, a bad name) or unreadable. */
export function snapshotLiveSummary(database: string, results: readonly SnapshotResult[]): string[] {
  const failed = results.filter((r) => r.outcome === 'failed');
  const created = results.filter((r) => r.outcome === 'created').length;
  return [
    `${database}: ${created} contract version${created === 1 ? '' : 's'} written, ${results.length - created - failed.length} unchanged, ${failed.length} refused or unreadable`,
    ...failed.map((f) => `  ${f.table}: ${f.error ?? ''}`),
  ];
}

// ── approve ────────────────────────────────────────────────────────────────────────────────────

type Approved = Extract<ApprovalPlan, { outcome: 'approved' }>;
type AlreadyApproved = Extract<ApprovalPlan, { outcome: 'already-approved' }>;

const noteLines = (plan: ApprovalPlan): string[] => plan.notes.map((n) => `  note: ${approvalNoteText(n)}`);

/** Where an approved schema was read: a Glue version, or a partition a partition incident holds. */
export function approvalSourceText(source: ApprovalSource): string {
  if (source.kind === 'glue-version') return `Glue version ${source.versionId}`;
  const others = source.held - 1;
  return `held partition ${partitionName(source.values)} in ${source.heldTable}${others > 0 ? ` (and ${others.toLocaleString('en')} more of the incident there)` : ''}`;
}

/** After approving a partition incident: what the deployed approval does. */
function partitionApprovalLines(source: ApprovalSource): string[] {
  if (source.kind !== 'held-partition') return [];
  return [
    `  once deployed, reconcile moves the incident's ${source.held.toLocaleString('en')} held partition${source.held === 1 ? '' : 's'} back from ${source.heldTable}, exactly as they were;`,
    '  the table itself is then judged against this version too (a table still at the old schema is brought to it, and alerted).',
  ];
}

/** `approve` when the active contract already accepts the schema: nothing written. */
export function alreadyApprovedText(table: string, plan: AlreadyApproved): string {
  return [`${table}: contract v${plan.version} already accepts ${plan.source.kind === 'glue-version' ? '' : 'the schema of '}${approvalSourceText(plan.source)}; nothing written`, ...noteLines(plan)].join('\n');
}

/** `approve`: the file written, the changes it acknowledges, notes, and what to do next. */
export function approvedText(table: string, plan: Approved, file: string, reviewer: string): string {
  const findings = plan.next.judgement?.findings ?? [];
  return [
    `${table}: wrote ${file} (v${plan.next.contract.version}, approved by ${reviewer}) from ${approvalSourceText(plan.source)} (incident ${plan.incidentId})`,
    `  changes against v${plan.next.previous?.version ?? '?'}:`,
    ...findings.map((f) => `    ${f.severity === 'breaking' ? 'acknowledged' : 'changed     '} ${f.ruleId}  ${findingMessage(f)}`),
    ...noteLines(plan),
    ...partitionApprovalLines(plan.source),
    '  next: commit the file and open a pull request; `drift-guard check` is the CI gate. Once it is merged and',
    `  deployed, the guard writes the approved schema back and resumes the pipeline (or run \`drift-guard resume ${table}\`).`,
  ].join('\n');
}

// ── resume ─────────────────────────────────────────────────────────────────────────────────────

/** `resume` (a request to the deployed guard): what was asked, and whether the incident's holds were released. */
export function resumeRequestText(outcome: {
  readonly table: string;
  readonly incidentId: string;
  readonly eventId: string;
  readonly bus: string;
  readonly waitedSeconds: number;
  readonly released: boolean;
  readonly stillHeld: readonly { readonly workflow: string; readonly runs: readonly string[] }[];
}): string {
  const asked = `${outcome.table}: asked the deployed guard to resume incident ${outcome.incidentId} (event ${outcome.eventId} on ${outcome.bus})`;
  if (outcome.released && outcome.stillHeld.length > 0) {
    return [
      asked,
      `  incident ${outcome.incidentId} still open: its triggers are released, but the guard still holds the runs it stopped:`,
      ...outcome.stillHeld.map((w) => `    workflow ${w.workflow}: run ${w.runs.join(', run ')}`),
      '  resume again with --restart-runs (start them again), --resume-runs (COMPLETED runs) or --leave-runs (let them go)',
    ].join('\n');
  }
  if (outcome.released) return `${asked}\n  resumed: the incident's triggers are released; the "resumed" alert in its chat thread says what was written back`;
  if (outcome.waitedSeconds === 0) return `${asked}\n  not waited for: the answer goes to the incident's chat thread`;
  return `${asked}\n  not resumed within ${outcome.waitedSeconds} s: the deployed contract may not accept the blocked schema yet (deploy the approval first); the answer is in the incident's chat thread`;
}

/** \`resume\`: the catalog, each trigger and run, the workflows cleared, and whether the chat thread heard of it. */
export function resumeText(report: ResumeReport): string {
  return [
    `${report.database}.${report.table}: incident ${report.incidentId} ${report.stillHeld.length === 0 ? 'resumed' : 'still open'}`,
    `  catalog: ${resumeCatalogText(report.catalogNote)}`,
    ...report.triggers.map((t) => `  trigger ${t.trigger}: ${t.outcome}${t.reason === undefined ? '' : ` (${t.reason})`}`),
    ...report.producers.map((p) => `  ${p.kind === 'schedule' ? 'crawler schedule' : 'rule'} ${p.name}: ${p.outcome}${p.reason === undefined ? '' : ` (${p.reason})`}`),
    ...report.runs.map((r) => `  run ${r.runId}: ${r.outcome} (${r.detail})`),
    ...(report.workflows.length === 0 ? [] : [`  workflows cleared: ${report.workflows.join(', ')}`]),
    ...(report.stillHeld.length === 0
      ? []
      : [
          `  ${stillHeldText(report.stillHeld)} (kept in their drift-guard:stopped-runs tag): the incident stays open until they are`,
          `  released: run \`drift-guard resume ${report.database}.${report.table} --incident ${report.incidentId}\` again with --restart-runs, --resume-runs or --leave-runs`,
        ]),
    resumeAlertLine(report.alert),
  ].join('\n');
}

function resumeAlertLine(alert: ResumeReport['alert']): string {
  if (alert.status === 'failed') return `  the "resumed" alert could not be sent (${alert.error}); the pipeline is resumed all the same`;
  if (alert.status === 'sent') return '  "resumed" alert sent to the incident thread';
  return '  no alert sent (set --topic-arn or ALERT_TOPIC_ARN to post to the incident thread)';
}

// ── audit ──────────────────────────────────────────────────────────────────────────────────────

/** `audit`: counts, drifted tables with their findings, missing and unguarded tables, open incidents. */
export function auditText(report: AuditReport): string {
  const lines = [`audit of ${report.databases.join(', ') || '(no databases)'}`];
  lines.push(`  compliant: ${report.compliant.length}`);
  for (const t of report.drifted) {
    lines.push(`  ${t.judgement.verdict.toUpperCase()} ${t.database}.${t.table} (Glue version ${t.versionId} against contract v${t.contractVersion})`);
    for (const f of t.judgement.findings) lines.push(`      ${f.ruleId}  ${findingMessage(f)}`);
  }
  for (const t of report.missing) lines.push(`  MISSING ${t.database}.${t.table}: has a contract, not in the catalog`);
  for (const t of report.notVisible) {
    lines.push(`  NOT VISIBLE ${t.database}.${t.table}: not visible (Lake Formation?): GetTables left it out and GetTable was denied; see README "Lake Formation"`);
  }
  if (report.unguarded.length > 0) lines.push(`  unguarded (no contract): ${report.unguarded.map((t) => `${t.database}.${t.table}`).join(', ')}`);
  for (const t of report.held) {
    lines.push(`  HELD PARTITIONS of ${t.database}.${t.heldFor} in ${t.database}.${t.table} (\`SHOW PARTITIONS ${t.database}.${t.table}\`): they come back once an approval that accepts them is deployed`);
  }
  for (const i of report.incidents) {
    lines.push(
      `  open incident ${i.incidentId} on ${i.table}: paused triggers ${i.triggers.map((t) => `${t.name} (${t.state})`).join(', ') || 'none'}${i.workflows.length === 0 ? '' : `; workflows ${i.workflows.join(', ')}`}${i.schedules.length === 0 ? '' : `; crawler schedules ${i.schedules.join(', ')}`}${i.rules.length === 0 ? '' : `; rules ${i.rules.join(', ')}`}`,
    );
  }
  if (report.incidents.length === 0) lines.push('  no open incidents');
  return lines.join('\n');
}

// ── history ────────────────────────────────────────────────────────────────────────────────────

/** `history`: one block per Glue version: who wrote it, its verdict, its findings and events. */
export function historyText(history: TableHistory): string {
  const lines = [
    `${history.database}.${history.table}: ${plural(history.entries.length, 'Glue version')}, ${history.activeContract === undefined ? 'no approved contract' : `judged against contract v${history.activeContract}`}`,
  ];
  for (const e of history.entries) {
    const verdict = e.judgement.verdict === 'breaking' ? 'BREAKING' : e.judgement.verdict;
    lines.push(
      `  v${e.versionId.padEnd(4)} ${(e.updateTime ?? '').padEnd(25)} ${historyWriterText(e.writer).padEnd(32)} ${verdict}${e.incidentId === undefined ? '' : ` — blocked as incident ${e.incidentId}`}`,
    );
    for (const f of e.judgement.findings) lines.push(`         ${f.ruleId}  ${findingMessage(f)}`);
    for (const event of e.events) lines.push(`         → ${historyEventText(event)}`);
  }
  return lines.join('\n');
}

// ── local ──────────────────────────────────────────────────────────────────────────────────────

/** `local`: one outcome as it happens. */
export function localOutcomeLine(at: Date, detailType: string, table: { readonly database: string; readonly table: string; readonly outcome: string; readonly incidentId?: string | undefined }): string {
  return `${at.toISOString()}  ${detailType} → ${table.database}.${table.table}: ${table.outcome}${table.incidentId === undefined ? '' : ` (${table.incidentId})`}`;
}

/** `local`: what reconcile did after a contracts change (a local deploy) or on a resume request. */
export function localReconcileLines(at: Date, summary: { readonly trigger: string; readonly incidents: readonly { readonly incidentId: string; readonly table: string; readonly outcome: string; readonly reason?: string | undefined }[] }): string[] {
  const cause = summary.trigger === 'resume-request' ? 'resume requested' : 'contracts changed: deployed, reconcile ran';
  if (summary.incidents.length === 0) return [`${at.toISOString()}  ${cause} → no open incident`];
  return summary.incidents.map((i) => `${at.toISOString()}  ${cause} → ${i.table}: ${i.outcome}${i.incidentId === '' ? '' : ` (${i.incidentId})`}${i.reason === undefined ? '' : `: ${i.reason}`}`);
}

export interface LocalBanner {
  readonly endpoint: string;
  readonly region: string;
  readonly mode: string;
  readonly topicArn: string;
  /** The guard's event bus (resume requests go there). */
  readonly eventBus: string;
  /** The contracts directory watched: a change deploys it locally. */
  readonly contractsDir: string;
  /** The demo catalog's names, unless --no-demo. */
  readonly demo?: { readonly database: string; readonly table: string; readonly scheduleTrigger: string };
}

/** `local`: the endpoint and how to point the AWS CLI at it. */
export function localBannerText(banner: LocalBanner): string {
  const { endpoint, demo } = banner;
  return [
    `glue-drift-guard local stack on ${endpoint}, guard subscribed (mode ${banner.mode}); alerts go to ${banner.topicArn}`,
    '',
    `  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${banner.region} AWS_DEFAULT_REGION=${banner.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local EVENT_BUS_NAME=${banner.eventBus}`,
    ...(demo === undefined
      ? []
      : [
          `  aws glue get-table --database-name ${demo.database} --name ${demo.table} > orders.json`,
          '  # edit the columns in a copy of .Table as a TableInput (drop read-only fields), then:',
          `  aws glue update-table --database-name ${demo.database} --table-input file://table-input.json`,
          `  aws glue get-trigger --name ${demo.scheduleTrigger}`,
        ]),
    `  # contracts in ${banner.contractsDir} are watched: a change (drift-guard approve, an edit) is a deploy, and reconcile runs`,
    `  curl ${endpoint}/_local/sns/published      # the alerts, as Chatbot would receive them`,
    `  curl -X POST ${endpoint}/_local/faults -d '{"throttleRate":0.3}'   # inject faults`,
    '',
    'Ctrl-C stops it.',
  ].join('\n');
}
