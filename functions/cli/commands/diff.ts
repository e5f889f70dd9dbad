/** `drift-guard diff --table-file <table.json>`: judge a table against its active contract. */
import { activeContract, loadTableContracts } from '../../core/contracts/contract-repository.js';
import { InputError } from '../../core/errors.js';
import { judge } from '../../core/judging/judge.js';
import { diffReport, renderCiReport } from '../../core/wording/ci-report.js';
import { diffNoContractExpectation, diffTitle, renderJudgementText } from '../../core/wording/cli.js';
import { findingToJson } from '../../core/wording/findings.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { contractLocator } from './contract-locator.js';
import { DEFAULT_CONTRACTS_DIR, FORMAT_USAGE, parseCommand, reportFormat, requireContractsDir, requireOption } from './options.js';
import { readTableFile } from './table-file.js';

export const diffUsage = `drift-guard diff --table-file <table.json> [--contracts-dir DIR] [${FORMAT_USAGE}]
  Judges the table against its active contract. Exit 0 compliant/allowed, 1 breaking, 2 bad input.
  github: annotations on the contract file's line; junit: JUnit XML; markdown: a pull-request comment.`;

export async function diffCommand(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseCommand('diff', args, {
    'table-file': { type: 'string' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    json: { type: 'boolean', default: false },
    format: { type: 'string' },
  });
  const format = reportFormat('diff', values);
  const file = requireOption('diff', 'table-file', values['table-file']);
  const dir = values['contracts-dir'];
  const table = await readTableFile(file);
  const { database, name } = table.schema;
  await requireContractsDir(dir);
  const history = await loadTableContracts(dir, database, name);
  const active = history === undefined ? undefined : activeContract(history);
  if (active === undefined) {
    throw new InputError(file, 'Table', diffNoContractExpectation(`${database}.${name}`, dir, file, history !== undefined));
  }
  const judgement = judge(active.contract, table.schema);
  if (format === 'json') {
    writeJson({
      verdict: judgement.verdict,
      table: `${database}.${name}`,
      contractVersion: active.contract.version,
      mode: judgement.mode,
      format: judgement.format,
      findings: judgement.findings.map(findingToJson),
    });
  } else if (format !== 'text') {
    writeText(renderCiReport(diffReport(`${database}.${name}`, active.contract.version, active.file, file, judgement, contractLocator()), format));
  } else {
    writeText(renderJudgementText(diffTitle(`${database}.${name}`, active.contract.version), judgement));
  }
  return judgement.verdict === 'breaking' ? ExitCode.breaking : ExitCode.ok;
}
