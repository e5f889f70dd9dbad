/** `drift-guard history <db>.<table>`: the table's timeline. */
import { loadTableContracts } from '../../core/contracts/contract-repository.js';
import { tableHistory } from '../../core/reviewing/history.js';
import { InputError } from '../../core/errors.js';
import { closestName } from '../../core/suggest.js';
import { historyText, noSuchDatabaseText, noSuchTableText } from '../../core/wording/cli.js';
import { findingToJson } from '../../core/wording/findings.js';
import { historyEventText, historyWriterText } from '../../core/wording/incident.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { awsContext, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand, requireContractsDir } from './options.js';

export const historyUsage = `drift-guard history <db>.<table> [--contracts-dir DIR] [--json]
  The table's timeline from its Glue versions and the guard's tags: what changed, verdicts, restores, approvals, resumes.`;

export async function historyCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    'history',
    args,
    { 'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR }, json: { type: 'boolean', default: false } },
    true,
  );
  const ref = parseTableRef('history', positionals[0]);
  await requireContractsDir(values['contracts-dir']);
  const contracts = await loadTableContracts(values['contracts-dir'], ref.database, ref.table);
  const aws = awsContext();
  const origin = await aws.origin();
  const history = await tableHistory({ catalog: aws.catalog, pipelines: aws.pipelines }, contracts, ref, origin);
  if (history.entries.length === 0) {
    // Glue, "GetTableVersions action": EntityNotFoundException when the table (or its database) does not exist; a table
    // that exists has at least its current version. Only on this path: which of the two is missing, and the nearest table.
    // https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableVersions.html
    const tables = await aws.catalog.listTables(ref.database);
    const source = `history ${ref.database}.${ref.table}`;
    if (tables === undefined) throw new InputError(source, '', noSuchDatabaseText(ref.database, origin.region));
    const names = tables.flatMap((t) => (t.table.Name === undefined ? [] : [t.table.Name]));
    if (!names.some((n) => n.toLowerCase() === ref.table)) throw new InputError(source, '', noSuchTableText(ref.database, ref.table, origin.region, closestName(ref.table, names)));
  }
  if (values.json) {
    writeJson({
      table: `${history.database}.${history.table}`,
      activeContract: history.activeContract ?? null,
      versions: history.entries.map((e) => ({
        versionId: e.versionId,
        updateTime: e.updateTime ?? null,
        writer: historyWriterText(e.writer),
        verdict: e.judgement.verdict,
        incidentId: e.incidentId ?? null,
        events: e.events.map(historyEventText),
        findings: e.judgement.findings.map(findingToJson),
      })),
    });
    return ExitCode.ok;
  }
  writeText(historyText(history));
  return ExitCode.ok;
}
