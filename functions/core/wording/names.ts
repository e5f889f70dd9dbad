/** What a Glue database or table name must be, for the errors that refuse one (core/schema/glue-name.ts). */

export type GlueNameProblemCode = 'empty' | 'too-long' | 'not-single-line' | 'path-separator' | 'leading-dot';

const WHY: Readonly<Record<GlueNameProblemCode, string>> = {
  empty: 'it is empty',
  'too-long': 'it is longer than 255 bytes (UTF-8)',
  'not-single-line': 'it holds a control character (tab, newline, ...) or an invalid character',
  'path-separator': 'it holds "/" or "\\\\", which would take its contract file outside the contracts directory',
  'leading-dot': 'it starts with "." (".." would leave the contracts directory, and dot entries are skipped when contracts are loaded)',
};

export function glueNameExpectation(kind: 'database' | 'table', found: string, problem: GlueNameProblemCode): string {
  return `a Glue ${kind} name drift-guard can keep contracts for: 1–255 bytes, no control characters, no "/" or "\\\\", not starting with "." (found ${JSON.stringify(found)}: ${WHY[problem]})`;
}

export function contractDirectoryExpectation(kind: 'database' | 'table', found: string, normal: string): string {
  return `a directory named as Glue stores the ${kind}, in lower case: "${normal}" (found "${found}"; rename it, or merge it into "${normal}" if that exists too)`;
}
