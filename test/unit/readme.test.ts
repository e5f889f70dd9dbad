import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceRulesBlock } from '../../functions/core/wording/rule-docs.js';
import { RULES } from '../../functions/core/judging/rules.js';
import { ROOT } from '../support/cli.js';

describe('README', () => {
  it('carries the rule table generated from the registry (run `npm run docs` after changing a rule)', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(replaceRulesBlock(readme)).toBe(readme);
    for (const rule of RULES) expect(readme).toContain(`| \`${rule.id}\` |`);
  });

  it('names the two commands and the CLI', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const text of ['npm test', 'drift-guard snapshot', 'drift-guard diff', 'drift-guard check', 'drift-guard rules']) expect(readme).toContain(text);
  });
});
