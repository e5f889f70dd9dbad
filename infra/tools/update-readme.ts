/** `npm run docs`: regenerates the README's rule table from the registry. */
import { readFile, writeFile } from 'node:fs/promises';
import { replaceRulesBlock } from '../../functions/core/wording/rule-docs.js';

const path = new URL('../../../README.md', import.meta.url);
const readme = await readFile(path, 'utf8');
const next = replaceRulesBlock(readme);
if (next === readme) {
  console.log('README.md rule table is current');
} else {
  await writeFile(path, next);
  console.log('README.md rule table regenerated');
}
