/** `drift-guard check [DIR]`: validate every contract and gate unacknowledged breaking steps (CI). */
import { relative } from 'node:path';
import { checkHistory } from '../../core/contracts/contract-check.js';
import { loadContractTree } from '../../core/contracts/contract-repository.js';
import { InputErrors } from '../../core/errors.js';
import { findingMessage, findingToJson } from '../../core/wording/findings.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand } from './options.js';

export const checkUsage = `drift-guard check [DIR] [--json]
  Validates every contract under DIR (default ${DEFAULT_CONTRACTS_DIR}) and judges each version against its predecessor.
  A breaking step must be acknowledged in the newer version's x-approval.acknowledges. Exit 1 if not, 2 on invalid files.`;

export async function checkCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand('check', args, { json: { type: 'boolean', default: false } }, true);
  const dir = positionals[0] ?? DEFAULT_CONTRACTS_DIR;
  const tree = await loadContractTree(dir);
  if (tree.errors.length > 0) throw new InputErrors(tree.errors);
  const checks = tree.histories.map(checkHistory);
  const ok = checks.every((c) => c.ok);
  if (values.json) {
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
  const lines: string[] = [];
  for (const c of checks) {
    const active = c.activeVersion === undefined ? 'no approved version' : `active v${c.activeVersion}`;
    lines.push(`${c.ok ? 'ok  ' : 'FAIL'} ${c.database}.${c.table}: ${c.versions} version${c.versions === 1 ? '' : 's'}, ${active}`);
    for (const step of c.steps) {
      for (const f of step.unacknowledged) {
        lines.push(`     v${step.from} → v${step.to}: unacknowledged breaking change ${f.ruleId} at ${f.path}: ${findingMessage(f)}`);
        lines.push(`       acknowledge it in ${relative(process.cwd(), step.file)} x-approval.acknowledges: {"ruleId": "${f.ruleId}", "path": "${f.path}"}`);
      }
      for (const a of step.staleAcknowledgements) {
        lines.push(`     v${step.from} → v${step.to}: note: acknowledgement ${a.ruleId} at ${a.path} matches no breaking change`);
      }
    }
  }
  if (checks.length === 0) lines.push(`no contracts under ${dir}/`);
  lines.push(ok ? `${checks.length} table${checks.length === 1 ? '' : 's'} checked: ok` : 'breaking changes without acknowledgement: see above');
  writeText(lines.join('\n'));
  return ok ? ExitCode.ok : ExitCode.breaking;
}
