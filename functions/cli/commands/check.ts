/** `drift-guard check [DIR]`: validate every contract and gate unacknowledged breaking steps (CI). */
import { relative } from 'node:path';
import { checkHistory } from '../../core/contracts/contract-check.js';
import { loadContractTree } from '../../core/contracts/contract-repository.js';
import { InputErrors } from '../../core/errors.js';
import { checkReport, renderCiReport } from '../../core/wording/ci-report.js';
import { checkText } from '../../core/wording/cli.js';
import { findingToJson } from '../../core/wording/findings.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { contractLocator } from './contract-locator.js';
import { DEFAULT_CONTRACTS_DIR, FORMAT_USAGE, parseCommand, reportFormat } from './options.js';

export const checkUsage = `drift-guard check [DIR] [${FORMAT_USAGE}]
  Validates every contract under DIR (default ${DEFAULT_CONTRACTS_DIR}) and judges each version against its predecessor.
  A breaking step must be acknowledged in the newer version's x-approval.acknowledges. Exit 1 if not, 2 on invalid files.
  github: annotations on the contract file's line; junit: JUnit XML; markdown: a pull-request comment.`;

export async function checkCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand('check', args, { json: { type: 'boolean', default: false }, format: { type: 'string' } }, true);
  const format = reportFormat('check', values);
  const dir = positionals[0] ?? DEFAULT_CONTRACTS_DIR;
  const tree = await loadContractTree(dir);
  if (tree.errors.length > 0) throw new InputErrors(tree.errors);
  const checks = tree.histories.map(checkHistory);
  const ok = checks.every((c) => c.ok);
  if (format === 'json') {
    writeJson({
      ok,
      tables: checks.map((c) => ({
        table: `${c.database}.${c.table}`,
        versions: c.versions,
        activeVersion: c.activeVersion ?? null,
        ok: c.ok,
        steps: c.steps.map((s) => ({
          from: s.from,
          to: s.to,
          unacknowledged: s.unacknowledged.map(findingToJson),
          staleAcknowledgements: s.staleAcknowledgements,
        })),
      })),
    });
    return ok ? ExitCode.ok : ExitCode.breaking;
  }
  if (format !== 'text') {
    writeText(renderCiReport(checkReport(checks, dir, contractLocator()), format));
    return ok ? ExitCode.ok : ExitCode.breaking;
  }
  writeText(checkText(checks, dir, (file) => relative(process.cwd(), file)));
  return ok ? ExitCode.ok : ExitCode.breaking;
}
