/**
 * CI-native reports of `check`, `diff` and `audit` (`--format github|junit|markdown`): one model built from each
 * command's result, rendered three ways. All of their wording lives here.
 *
 * - github: workflow commands (`::error file=…,line=…,title=…::message`) that GitHub Actions turns into annotations
 *   on the contract file's line; escaping as the runner's own toolkit does it (message: `%`, CR, LF; properties also
 *   `:` and `,`). https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 * - junit: one <testsuite> per command, one <testcase> per table, a <failure> per breaking finding: the Ant/Jenkins
 *   JUnit XML that CI dashboards read (there is no formal standard; this uses only the common elements).
 * - markdown: a pull-request comment: what changed, which rule, and how to acknowledge or accept it.
 */
import type { HistoryCheck } from '../contracts/contract-check.js';
import type { Finding, Judgement } from '../judging/judge.js';
import type { AuditReport } from '../reviewing/audit.js';
import { largestFitting, shorten } from './budget.js';
import { findingMessageWithin, findingReason } from './findings.js';

export const REPORT_FORMATS = ['text', 'json', 'github', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Long types are cut in CI reports (an annotation or a PR comment is read, not parsed; --format json is full). */
export const CI_MAX_TYPE_CHARS = 300;

export type ProblemLevel = 'error' | 'warning' | 'notice';

export interface CiProblem {
  readonly level: ProblemLevel;
  /** The contract file (as displayed, relative to the working directory) and the line the problem is about. */
  readonly file?: string;
  readonly line?: number;
  readonly title: string;
  readonly message: string;
  readonly ruleId?: string;
  readonly path?: string;
  /** What to do about it, e.g. the acknowledgement entry to add. */
  readonly remedy?: string;
}

/** One table: a test case. */
export interface CiCase {
  readonly name: string;
  readonly problems: readonly CiProblem[];
}

export interface CiReport {
  readonly command: 'check' | 'diff' | 'audit';
  readonly ok: boolean;
  readonly headline: string;
  readonly cases: readonly CiCase[];
}

/** Where a finding is in a contract file; the command reads the files, core words the report. */
export interface ContractLocator {
  /** The file as shown to the reader (relative to the working directory, as annotations want it). */
  display(file: string): string;
  /** The line of the key recording the finding's path (1 when the file records nothing closer). */
  findingLine(file: string, finding: Finding): number;
  /** The line of the file's x-approval.acknowledges. */
  acknowledgementsLine(file: string): number;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

function message(finding: Finding): string {
  return `${findingMessageWithin(finding, { maxTypeChars: CI_MAX_TYPE_CHARS })} (${findingReason(finding)})`;
}

function acknowledgement(finding: Finding): string {
  return JSON.stringify({ ruleId: finding.ruleId, path: finding.path });
}

// ── builders ───────────────────────────────────────────────────────────────────────────────────

/** `check`: an error per unacknowledged breaking step, a warning per acknowledgement that matches nothing. */
export function checkReport(checks: readonly HistoryCheck[], dir: string, at: ContractLocator): CiReport {
  const cases = checks.map((c): CiCase => {
    const table = `${c.database}.${c.table}`;
    const problems: CiProblem[] = [];
    for (const step of c.steps) {
      const file = at.display(step.file);
      for (const f of step.unacknowledged) {
        problems.push({
          level: 'error',
          file,
          line: at.findingLine(step.file, f),
          title: `${table} v${step.from} → v${step.to}: unacknowledged ${f.ruleId}`,
          message: `${f.path}: ${message(f)}`,
          ruleId: f.ruleId,
          path: f.path,
          remedy: `To accept it, add ${acknowledgement(f)} to x-approval.acknowledges in ${file}.`,
        });
      }
      for (const a of step.staleAcknowledgements) {
        problems.push({
          level: 'warning',
          file,
          line: at.acknowledgementsLine(step.file),
          title: `${table} v${step.from} → v${step.to}: acknowledgement matches nothing`,
          message: `The acknowledgement ${a.ruleId} at ${a.path} matches no breaking change between v${step.from} and v${step.to} (stale, or a typo).`,
          ruleId: a.ruleId,
          path: a.path,
          remedy: 'Remove it, or correct its ruleId and path (drift-guard rules lists the rule ids).',
        });
      }
    }
    return { name: table, problems };
  });
  const ok = checks.every((c) => c.ok);
  const failing = cases.flatMap((c) => c.problems).filter((p) => p.level === 'error').length;
  const headline =
    checks.length === 0
      ? `drift-guard check: no contracts under ${dir}/`
      : ok
        ? `drift-guard check: ${plural(checks.length, 'table')} checked: ok`
        : `drift-guard check: ${plural(failing, 'breaking change')} without acknowledgement`;
  return { command: 'check', ok, headline, cases };
}

function judgementProblems(table: string, judgement: Judgement, file: string, at: ContractLocator, accept: string): CiProblem[] {
  return judgement.findings.map((f): CiProblem => {
    const level: ProblemLevel = f.severity !== 'breaking' ? 'notice' : judgement.verdict === 'breaking' ? 'error' : 'warning';
    return {
      level,
      file: at.display(file),
      line: at.findingLine(file, f),
      title: `${table}: ${f.severity === 'breaking' && judgement.mode === 'observe' ? 'breaking (observe mode, not enforced)' : f.severity} ${f.ruleId}`,
      message: `${f.path}: ${message(f)}`,
      ruleId: f.ruleId,
      path: f.path,
      ...(f.severity === 'breaking' ? { remedy: accept } : {}),
    };
  });
}

/** `diff`: each finding of the table against its active contract. */
export function diffReport(table: string, contractVersion: number, contractFile: string, tableFile: string, judgement: Judgement, at: ContractLocator): CiReport {
  const accept = `Restore the table, or accept the change as a new contract version: drift-guard snapshot --from-file ${tableFile} --reason "<why>" (it acknowledges each breaking change).`;
  const problems = judgementProblems(table, judgement, contractFile, at, accept);
  const ok = judgement.verdict !== 'breaking';
  const verdict = judgement.verdict === 'breaking' ? `BREAKING (${plural(problems.filter((p) => p.level === 'error').length, 'breaking change')})` : judgement.verdict;
  return { command: 'diff', ok, headline: `drift-guard diff: ${table} against contract v${contractVersion}: ${verdict}`, cases: [{ name: table, problems }] };
}

/** `audit`: drifted tables' findings, tables missing or not visible, unguarded tables, held workflows. */
export function auditReport(report: AuditReport, contractFileOf: (table: string, version: number) => string | undefined, at: ContractLocator): CiReport {
  const cases: CiCase[] = [];
  for (const t of report.drifted) {
    const table = `${t.database}.${t.table}`;
    const file = contractFileOf(table, t.contractVersion);
    const accept = `Restore the table, or accept Glue version ${t.versionId} as a new contract version: drift-guard approve ${table} --glue-version ${t.versionId} --reviewer <name> --reason "<why>".`;
    const problems =
      file === undefined
        ? t.judgement.findings.map((f): CiProblem => ({ level: f.severity === 'breaking' && t.judgement.verdict === 'breaking' ? 'error' : 'notice', title: `${table}: ${f.severity} ${f.ruleId}`, message: `${f.path}: ${message(f)}`, ruleId: f.ruleId, path: f.path }))
        : judgementProblems(table, t.judgement, file, at, accept);
    cases.push({ name: table, problems });
  }
  for (const t of report.compliant) cases.push({ name: `${t.database}.${t.table}`, problems: [] });
  for (const t of report.missing) {
    const table = `${t.database}.${t.table}`;
    cases.push({ name: table, problems: [{ level: 'warning', title: `${table}: not in the catalog`, message: `${table} has a contract but no Glue table.` }] });
  }
  for (const t of report.notVisible) {
    const table = `${t.database}.${t.table}`;
    cases.push({ name: table, problems: [{ level: 'warning', title: `${table}: not visible`, message: `${table} is not visible to the audit (Lake Formation?): GetTables left it out and GetTable was denied; see README "Lake Formation".` }] });
  }
  const notes: CiProblem[] = [];
  if (report.unguarded.length > 0) notes.push({ level: 'notice', title: 'unguarded tables', message: `No contract: ${report.unguarded.map((t) => `${t.database}.${t.table}`).join(', ')}.` });
  for (const t of report.held) {
    notes.push({ level: 'notice', title: `held partitions of ${t.database}.${t.heldFor}`, message: `Held in ${t.database}.${t.table}: they come back once an approval that accepts them is deployed.` });
  }
  for (const i of report.incidents) {
    notes.push({ level: 'notice', title: `open incident ${i.incidentId}`, message: `${i.table}: paused triggers ${i.triggers.map((t) => `${t.name} (${t.state})`).join(', ') || 'none'}${i.workflows.length === 0 ? '' : `; workflows ${i.workflows.join(', ')}`}.` });
  }
  if (notes.length > 0) cases.push({ name: '(catalog)', problems: notes });
  const breaking = report.drifted.filter((t) => t.judgement.verdict === 'breaking').length;
  const ok = breaking === 0;
  const headline = `drift-guard audit of ${report.databases.join(', ') || '(no databases)'}: ${ok ? 'no breaking table' : plural(breaking, 'breaking table')}, ${report.compliant.length} compliant`;
  return { command: 'audit', ok, headline, cases };
}

// ── renderers ──────────────────────────────────────────────────────────────────────────────────

/** Workflow-command escaping, as @actions/core's command.ts does it. */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** GitHub Actions: one workflow command per problem, then the headline as a plain log line. */
export function githubAnnotations(report: CiReport): string {
  const lines: string[] = [];
  for (const c of report.cases) {
    for (const p of c.problems) {
      const properties = [...(p.file === undefined ? [] : [`file=${escapeProperty(p.file)}`]), ...(p.line === undefined ? [] : [`line=${p.line}`]), `title=${escapeProperty(p.title)}`];
      lines.push(`::${p.level} ${properties.join(',')}::${escapeData(p.remedy === undefined ? p.message : `${p.message}\n${p.remedy}`)}`);
    }
  }
  lines.push(report.headline);
  return lines.join('\n');
}

/** XML 1.0 text: the five entities escaped, characters XML cannot carry dropped. */
function xml(text: string): string {
  return text
    .replaceAll(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function problemText(p: CiProblem): string {
  return [p.file === undefined ? undefined : `${p.file}${p.line === undefined ? '' : `:${p.line}`}`, p.message, p.remedy].filter((s) => s !== undefined).join('\n');
}

/** JUnit XML: a test case per table; errors are failures, warnings and notices go to the case's system-out. */
export function junitXml(report: CiReport): string {
  const failures = report.cases.filter((c) => c.problems.some((p) => p.level === 'error')).length;
  const suite = `drift-guard ${report.command}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${report.cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xml(suite)}" tests="${report.cases.length}" failures="${failures}" errors="0" skipped="0">`,
  ];
  for (const c of report.cases) {
    const errors = c.problems.filter((p) => p.level === 'error');
    const others = c.problems.filter((p) => p.level !== 'error');
    const file = c.problems.find((p) => p.file !== undefined)?.file;
    const open = `    <testcase classname="${xml(suite)}" name="${xml(c.name)}"${file === undefined ? '' : ` file="${xml(file)}"`}`;
    if (errors.length === 0 && others.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const p of errors) lines.push(`      <failure message="${xml(p.title)}" type="${xml(p.ruleId ?? 'drift-guard')}">${xml(problemText(p))}</failure>`);
    if (others.length > 0) lines.push(`      <system-out>${xml(others.map((p) => `${p.level}: ${p.title}\n${problemText(p)}`).join('\n\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n');
}

/** Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

const LEVEL_MARK: Readonly<Record<ProblemLevel, string>> = { error: '❌ breaking', warning: '⚠️ warning', notice: 'ℹ️ note' };

/**
 * What a pull-request comment may hold: GitHub refuses a longer body ("Body is too long (maximum is 65536
 * characters)"); the limit is not on a documentation page (https://github.com/dead-claudia/github-limits collects
 * it). Rows past it are counted, not shown.
 */
export const MARKDOWN_MAX_CHARS = 65_536;

/** A pull-request comment: the verdict, a table of what changed and which rule, then how to acknowledge each. */
export function markdownReport(report: CiReport, maxChars: number = MARKDOWN_MAX_CHARS): string {
  const head = [`### ${report.ok ? '✅' : '❌'} ${report.headline}`, ''];
  const problems = report.cases.flatMap((c) => c.problems.map((p) => ({ table: c.name, p })));
  if (problems.length === 0) {
    return [...head, report.command === 'check' ? 'Every breaking contract change is acknowledged.' : 'No schema difference to report.'].join('\n');
  }
  const render = (shown: number): string => {
    const lines = [...head, '| | Table | What changed | Rule | Where |', '|---|---|---|---|---|'];
    const visible = problems.slice(0, shown);
    for (const { table, p } of visible) {
      const where = p.file === undefined ? '' : `\`${p.file}${p.line === undefined ? '' : `:${p.line}`}\``;
      lines.push(`| ${LEVEL_MARK[p.level]} | ${cell(table)} | ${cell(p.message)} | ${p.ruleId === undefined ? '' : `\`${p.ruleId}\``} | ${cell(where)} |`);
    }
    if (shown < problems.length) lines.push('', `…and ${problems.length - shown} more not shown (a comment holds ${maxChars.toLocaleString('en')} characters): --format github or json lists every one.`);
    const remedies = visible.filter(({ p }) => p.remedy !== undefined && p.level === 'error');
    if (remedies.length > 0) {
      lines.push('', report.command === 'check' ? '<details><summary>How to acknowledge</summary>' : '<details><summary>How to accept</summary>', '');
      for (const { table, p } of remedies) lines.push(`- **${cell(table)}** \`${p.ruleId ?? ''}\` at \`${p.path ?? ''}\`: ${p.remedy ?? ''}`);
      lines.push('', '</details>');
    }
    return lines.join('\n');
  };
  return largestFitting(problems.length, render, (text) => text.length <= maxChars)?.rendered ?? shorten(render(0), maxChars);
}

export function renderCiReport(report: CiReport, format: 'github' | 'junit' | 'markdown'): string {
  switch (format) {
    case 'github':
      return githubAnnotations(report);
    case 'junit':
      return junitXml(report);
    case 'markdown':
      return markdownReport(report);
  }
}
