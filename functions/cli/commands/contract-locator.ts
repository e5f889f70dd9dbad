/** Lines in contract files for CI annotations: each file read once, paths shown relative to the working directory. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { contractLineFor, lineOfKey } from '../../core/contracts/contract-lines.js';
import type { ContractLocator } from '../../core/wording/ci-report.js';

export function contractLocator(): ContractLocator {
  const texts = new Map<string, string>();
  const text = (file: string): string => {
    let found = texts.get(file);
    if (found === undefined) {
      // The files were read and validated moments ago by the contract loader; a file that vanished since reads as empty.
      try {
        found = readFileSync(file, 'utf8');
      } catch {
        found = '';
      }
      texts.set(file, found);
    }
    return found;
  };
  return {
    display: (file) => relative(process.cwd(), file),
    findingLine: (file, finding) => contractLineFor(text(file), finding.change.path),
    acknowledgementsLine: (file) => lineOfKey(text(file), ['x-approval', 'acknowledges']) ?? lineOfKey(text(file), ['x-approval']) ?? 1,
  };
}
