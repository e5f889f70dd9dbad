/** `drift-guard history <db>.<table>`: the table's timeline. */
import { loadTableContracts } from '../../core/contracts/contract-repository.js';
import { tableHistory } from '../../core/reviewing/history.js';
import { findingMessage, findingToJson } from '../../core/wording/findings.js';
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
        writer: e.writer,
        verdict: e.judgement.verdict,
        incidentId: e.incidentId ?? null,
        events: e.events,
        findings: e.judgement.findings.map(findingToJson),
      })),
    });
    return ExitCode.ok;
  }
  const lines = [
    `${history.database}.${history.table}: ${history.entries.length} Glue version${history.entries.length === 1 ? '' : 's'}, ${history.activeContract === undefined ? 'no approved contract' : `judged against contract v${history.activeContract}`}`,
  ];
  for (const e of history.entries) {
    const verdict = e.judgement.verdict === 'breaking' ? 'BREAKING' : e.judgement.verdict;
    lines.push(`  v${e.versionId.padEnd(4)} ${(e.updateTime ?? '').padEnd(25)} ${e.writer.padEnd(32)} ${verdict}${e.incidentId === undefined ? '' : ` — blocked as incident ${e.incidentId}`}`);
    for (const f of e.judgement.findings) lines.push(`         ${f.ruleId}  ${findingMessage(f)}`);
    for (const event of e.events) lines.push(`         → ${event}`);
  }
  writeText(lines.join('\n'));
  return ExitCode.ok;
}
