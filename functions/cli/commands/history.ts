/** `drift-guard history <db>.<table>`: the table's timeline. */
import { loadTableContracts } from '../../core/contracts/contract-repository.js';
import { tableHistory } from '../../core/reviewing/history.js';
import { historyText } from '../../core/wording/cli.js';
import { findingToJson } from '../../core/wording/findings.js';
import { historyEventText, historyWriterText } from '../../core/wording/incident.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { awsContext, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand } from './options.js';

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
  const contracts = await loadTableContracts(values['contracts-dir'], ref.database, ref.table);
  const aws = awsContext();
  const history = await tableHistory({ catalog: aws.catalog, pipelines: aws.pipelines }, contracts, ref, await aws.origin());
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
