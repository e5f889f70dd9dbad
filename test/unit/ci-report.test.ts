/** CI-native reports (functions/core/wording/ci-report.ts): GitHub annotations, JUnit XML, a PR comment. */
import { describe, expect, it } from 'vitest';
import type { HistoryCheck } from '../../functions/core/contracts/contract-check.js';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { judge } from '../../functions/core/judging/judge.js';
import type { AuditReport } from '../../functions/core/reviewing/audit.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import type { TableSchema } from '../../functions/core/schema/table-schema.js';
import { type ContractLocator, auditReport, checkReport, diffReport, githubAnnotations, junitXml, markdownReport } from '../../functions/core/wording/ci-report.js';

function schema(columns: readonly [string, string][]): TableSchema {
  return {
    database: 'sales',
    name: 'orders',
    columns: columns.map(([name, type]) => ({ name, type: parseGlueType(type) })),
    partitionKeys: [],
    storage: { format: 'parquet', serdeParameters: {} },
    parameters: {},
  };
}

function contract(s: TableSchema, overrides: Partial<Contract> = {}): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: [],
    owners: ['team-sales-data'],
    approval: { reviewer: 'maria.santos', approvedAt: '2026-01-01T00:00:00Z', reason: 'baseline', acknowledges: [] },
    schema: s,
    ...overrides,
  };
}

const BEFORE = schema([
  ['order_id', 'bigint'],
  ['amount', 'decimal(10,2)'],
  ['tags', 'array<string>'],
]);
const AFTER = schema([
  ['order_id', 'bigint'],
  ['amount', 'string'],
  ['tags', 'array<string>'],
  ['note', 'string'],
]);

/** Lines as a fake file would have them: each finding's column on its own line. */
const LINES: Readonly<Record<string, number>> = { order_id: 40, amount: 50, tags: 60, note: 70 };
const at: ContractLocator = {
  display: (file) => file.replace('/abs/', ''),
  findingLine: (_file, finding) => LINES[finding.path.split('.')[1] ?? ''] ?? 1,
  acknowledgementsLine: () => 24,
};

describe('diff report', () => {
  const judgement = judge(contract(BEFORE), AFTER);
  const report = diffReport('sales.orders', 1, '/abs/contracts/sales/orders/v1.json', 'orders.json', judgement, at);

  it('github: an error on the contract line of a breaking change, a notice for an allowed one, the headline last', () => {
    const lines = githubAnnotations(report).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error file=contracts\/sales\/orders\/v1\.json,line=50,title=sales\.orders%3A breaking TYPE_CHANGED::columns\.amount: /);
    expect(lines[0]).toContain('decimal(10,2) → string');
    expect(lines[0]).toContain('%0ARestore the table, or accept the change as a new contract version: drift-guard snapshot --from-file orders.json');
    expect(lines[1]).toMatch(/^::notice file=contracts\/sales\/orders\/v1\.json,line=70,title=sales\.orders%3A info COLUMN_ADDED_AT_END::columns\.note: /);
    expect(lines[2]).toBe('drift-guard diff: sales.orders against contract v1: BREAKING (1 breaking change)');
    expect(report.ok).toBe(false);
  });

  it('github: percent signs, newlines, colons and commas in values are escaped the way the runner reads them', () => {
    const text = githubAnnotations({ command: 'check', ok: false, headline: 'h', cases: [{ name: 't', problems: [{ level: 'error', file: 'a,b:c.json', line: 3, title: 'x: y, z', message: '100% a\nb: c, d' }] }] });
    expect(text.split('\n')[0]).toBe('::error file=a%2Cb%3Ac.json,line=3,title=x%3A y%2C z::100%25 a%0Ab: c, d');
  });

  it('junit: a failing test case per table with the rule as the failure type; types with < > are escaped', () => {
    const xml = junitXml(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="drift-guard diff" tests="1" failures="1" errors="0">')).toBe(true);
    expect(xml).toContain('<testcase classname="drift-guard diff" name="sales.orders" file="contracts/sales/orders/v1.json">');
    expect(xml).toContain('<failure message="sales.orders: breaking TYPE_CHANGED" type="TYPE_CHANGED">contracts/sales/orders/v1.json:50\ncolumns.amount: ');
    expect(xml).toContain('<system-out>notice: sales.orders: info COLUMN_ADDED_AT_END');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    const odd = junitXml({ command: 'diff', ok: false, headline: 'h', cases: [{ name: 'a&b', problems: [{ level: 'error', title: '<"x">', message: "array<struct<a:int>> 'q'\u0001" }] }] });
    expect(odd).toContain('name="a&amp;b"');
    expect(odd).toContain('<failure message="&lt;&quot;x&quot;&gt;" type="drift-guard">array&lt;struct&lt;a:int&gt;&gt; &apos;q&apos;</failure>');
  });

  it('markdown: what changed, which rule, where, and how to accept the breaking change', () => {
    const md = markdownReport(report);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ❌ drift-guard diff: sales.orders against contract v1: BREAKING (1 breaking change)');
    expect(md).toContain('| ❌ breaking | sales.orders | columns.amount: ');
    expect(md).toContain('| `TYPE_CHANGED` | `contracts/sales/orders/v1.json:50` |');
    expect(md).toContain('| ℹ️ note | sales.orders | columns.note: ');
    expect(md).toContain('<summary>How to accept</summary>');
    expect(markdownReport({ command: 'diff', ok: true, headline: 'h', cases: [{ name: 'a|b', problems: [{ level: 'warning', title: 't', message: 'x | y' }] }] })).toContain('| ⚠️ warning | a\\|b | x \\| y |');
  });

  it('an observe-mode contract: breaking findings are warnings, and the report passes', () => {
    const observed = diffReport('sales.orders', 1, '/abs/v1.json', 'orders.json', judge(contract(BEFORE, { compatibility: 'observe' }), AFTER), at);
    expect(observed.ok).toBe(true);
    expect(githubAnnotations(observed)).toContain('::warning file=v1.json,line=50,title=sales.orders%3A breaking (observe mode%2C not enforced) TYPE_CHANGED::');
    expect(junitXml(observed)).toContain('failures="0"');
  });
});

describe('check report', () => {
  const findings = judge(contract(BEFORE), AFTER).findings.filter((f) => f.severity === 'breaking');
  const failing: HistoryCheck = {
    database: 'sales',
    table: 'orders',
    versions: 2,
    activeVersion: 2,
    ok: false,
    steps: [{ from: 1, to: 2, file: '/abs/contracts/sales/orders/v2.json', findings, unacknowledged: findings, staleAcknowledgements: [{ ruleId: 'COLUMN_REMOVED', path: 'columns.gone' }] }],
  };
  const passing: HistoryCheck = { database: 'sales', table: 'customers', versions: 1, activeVersion: 1, ok: true, steps: [] };

  it('an unacknowledged breaking step is an error at the column line saying which entry to add; a stale acknowledgement a warning', () => {
    const report = checkReport([failing, passing], 'contracts', at);
    const lines = githubAnnotations(report).split('\n');
    expect(lines[0]).toMatch(/^::error file=contracts\/sales\/orders\/v2\.json,line=50,title=sales\.orders v1 → v2%3A unacknowledged TYPE_CHANGED::/);
    expect(lines[0]).toContain('%0ATo accept it, add {"ruleId":"TYPE_CHANGED","path":"columns.amount"} to x-approval.acknowledges in contracts/sales/orders/v2.json.');
    expect(lines[1]).toMatch(/^::warning file=contracts\/sales\/orders\/v2\.json,line=24,title=sales\.orders v1 → v2%3A acknowledgement matches nothing::/);
    expect(lines[2]).toBe('drift-guard check: 1 breaking change without acknowledgement');
    const xml = junitXml(report);
    expect(xml).toContain('tests="2" failures="1"');
    expect(xml).toContain('<testcase classname="drift-guard check" name="sales.customers"/>');
    expect(markdownReport(report)).toContain('<summary>How to acknowledge</summary>');
  });

  it('all acknowledged: ok, and the outputs say so', () => {
    const report = checkReport([passing], 'contracts', at);
    expect(report.ok).toBe(true);
    expect(githubAnnotations(report)).toBe('drift-guard check: 1 table checked: ok');
    expect(markdownReport(report)).toBe('### ✅ drift-guard check: 1 table checked: ok\n\nEvery breaking contract change is acknowledged.');
    expect(checkReport([], 'contracts', at).headline).toBe('drift-guard check: no contracts under contracts/');
  });
});

describe('audit report', () => {
  it('a breaking table points at its contract file; missing, unguarded and incidents are warnings and notes', () => {
    const judgement = judge(contract(BEFORE), AFTER);
    const report: AuditReport = {
      databases: ['sales'],
      drifted: [{ database: 'sales', table: 'orders', contractVersion: 1, versionId: '7', judgement }],
      compliant: [{ database: 'sales', table: 'customers' }],
      missing: [{ database: 'sales', table: 'gone' }],
      notVisible: [],
      absentDatabases: [],
      unguarded: [{ database: 'sales', table: 'scratch' }],
      held: [],
      incidents: [],
    };
    const ci = auditReport(report, (table, version) => (table === 'sales.orders' && version === 1 ? '/abs/contracts/sales/orders/v1.json' : undefined), at);
    expect(ci.ok).toBe(false);
    const text = githubAnnotations(ci);
    expect(text).toContain('::error file=contracts/sales/orders/v1.json,line=50,title=sales.orders%3A breaking TYPE_CHANGED::');
    expect(text).toContain('drift-guard approve sales.orders --glue-version 7 --reviewer <name> --reason "<why>"');
    expect(text).toContain('::warning title=sales.gone%3A not in the catalog::sales.gone has a contract but no Glue table.');
    expect(text).toContain('::notice title=unguarded tables::No contract: sales.scratch.');
    expect(text.split('\n').at(-1)).toBe('drift-guard audit of sales: 1 breaking table, 1 compliant');
    expect(junitXml(ci)).toContain('tests="4" failures="1"');
  });
});

describe('markdown size', () => {
  it('a comment too long for GitHub keeps the rows that fit and counts the rest', () => {
    const problems = Array.from({ length: 2_000 }, (_, i) => ({ level: 'error' as const, file: 'contracts/a/b/v2.json', line: i + 1, title: `t${i}`, message: `columns.c${i}: ${'x'.repeat(100)}`, ruleId: 'TYPE_CHANGED', path: `columns.c${i}`, remedy: 'fix it' }));
    const report = { command: 'check' as const, ok: false, headline: 'drift-guard check: 2000 breaking changes without acknowledgement', cases: [{ name: 'a.b', problems }] };
    const md = markdownReport(report);
    expect(md.length).toBeLessThanOrEqual(65_536);
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌'));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length).toBeLessThan(2_000);
    expect(md).toContain(`…and ${2_000 - rows.length} more not shown (a comment holds 65,536 characters): --format github or json lists every one.`);
    expect(markdownReport(report, 1_000_000).split('\n').filter((l) => l.startsWith('| ❌'))).toHaveLength(2_000);
  });
});
