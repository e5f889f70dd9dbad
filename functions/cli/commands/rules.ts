/** `drift-guard rules [--json | --markdown]`: the rule registry. */
import { renderRulesMarkdown, renderRulesText, ruleToJson } from '../../core/wording/rule-docs.js';
import { RULES } from '../../core/judging/rules.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { parseCommand } from './options.js';

export const rulesUsage = `drift-guard rules [--json | --markdown]
  Lists every rule: id, severity, formats, modes and purpose.`;

export function rulesCommand(args: readonly string[]): ExitCode {
  const { values } = parseCommand('rules', args, { json: { type: 'boolean', default: false }, markdown: { type: 'boolean', default: false } });
  if (values.json) writeJson(RULES.map(ruleToJson));
  else writeText(values.markdown ? renderRulesMarkdown() : renderRulesText());
  return ExitCode.ok;
}
