/** `drift-guard audit`: read-only sweep of the live catalog against the contracts. */
import { audit } from '../../core/reviewing/audit.js';
import { loadContractIndex } from '../../core/contracts/contract-index.js';
import { auditReport, renderCiReport } from '../../core/wording/ci-report.js';
import { InputError, InputErrors } from '../../core/errors.js';
import { auditText, noSuchDatabaseText } from '../../core/wording/cli.js';
import { findingToJson } from '../../core/wording/findings.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { awsContext, parseDatabaseArg } from './aws-context.js';
import { contractLocator } from './contract-locator.js';
import { DEFAULT_CONTRACTS_DIR, FORMAT_USAGE, parseCommand, reportFormat } from './options.js';
import { loadContractTree } from '../../core/contracts/contract-repository.js';

export const auditUsage = `drift-guard audit [--database <db>]... [--contracts-dir DIR] [${FORMAT_USAGE}]
  Read-only: every guarded table judged against its contract, tables without a contract in those databases,
  workflows the guard holds paused and open incidents. Exit 1 when a table is breaking, 0 otherwise.
  github: annotations on the contract file's line; junit: JUnit XML; markdown: a pull-request comment.`;

export async function auditCommand(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseCommand('audit', args, {
    database: { type: 'string', multiple: true },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    json: { type: 'boolean', default: false },
    format: { type: 'string' },
  });
  const format = reportFormat('audit', values);
  const dir = values['contracts-dir'];
  const contracts = await loadContractIndex(dir);
  const tree = await loadContractTree(dir);
  const databases = values.database?.map((d) => parseDatabaseArg('audit', d)) ?? [...new Set(tree.histories.map((h) => h.database))].sort();
  const aws = awsContext();
  const origin = await aws.origin();
  const report = await audit({ catalog: aws.catalog, pipelines: aws.pipelines, contracts }, origin, databases);
  // A database named with --database that Glue does not have is a typo, not an empty audit (a database only the
  // contracts name shows as its tables MISSING). Nothing is printed: the report would describe a database that is not there.
  if (values.database !== undefined && report.absentDatabases.length > 0) {
    throw new InputErrors(report.absentDatabases.map((d) => new InputError(`audit --database ${d}`, '', noSuchDatabaseText(d, origin.region))));
  }
  const breaking = report.drifted.some((t) => t.judgement.verdict === 'breaking');
  if (format === 'json') {
    writeJson({
      databases: report.databases,
      drifted: report.drifted.map((t) => ({
        table: `${t.database}.${t.table}`,
        contractVersion: t.contractVersion,
        glueVersionId: t.versionId,
        verdict: t.judgement.verdict,
        findings: t.judgement.findings.map(findingToJson),
      })),
      compliant: report.compliant.map((t) => `${t.database}.${t.table}`),
      missing: report.missing.map((t) => `${t.database}.${t.table}`),
      notVisible: report.notVisible.map((t) => ({ table: `${t.database}.${t.table}`, reason: t.reason })),
      unguarded: report.unguarded.map((t) => `${t.database}.${t.table}`),
      held: report.held.map((t) => ({ table: `${t.database}.${t.table}`, heldFor: `${t.database}.${t.heldFor}` })),
      incidents: report.incidents.map((i) => ({ incidentId: i.incidentId, table: i.table, triggers: i.triggers.map((t) => ({ name: t.name, workflow: t.workflow ?? null, state: t.state })), workflows: i.workflows, schedules: i.schedules, rules: i.rules })),
    });
    return breaking ? ExitCode.breaking : ExitCode.ok;
  }
  if (format !== 'text') {
    const files = new Map<string, string>(tree.histories.flatMap((h) => h.versions.map((v) => [`${h.database}.${h.table} v${v.contract.version}`, v.file] as const)));
    writeText(renderCiReport(auditReport(report, (table, version) => files.get(`${table} v${version}`), contractLocator()), format));
    return breaking ? ExitCode.breaking : ExitCode.ok;
  }
  writeText(auditText(report));
  return breaking ? ExitCode.breaking : ExitCode.ok;
}
