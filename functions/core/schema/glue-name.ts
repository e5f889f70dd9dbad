/**
 * Glue database and table names, validated and normalised once, where they enter the product (CLI arguments,
 * table files, catalog answers, contract files' x-glue-database / x-glue-table, contract directories). Every
 * contract path is built from names that passed here (contract-repository.ts `contractDirectory`).
 *
 * AWS: names are UTF-8, 1–255 bytes, matching the single-line string pattern
 * `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*`, and "For Hive compatibility, this is folded to
 * lowercase when it is stored" (https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html,
 * https://docs.aws.amazon.com/glue/latest/webapi/API_Table.html,
 * https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html). So a mixed-case name given to us names
 * the lower-case table: it is lower-cased here (JavaScript's locale-independent toLowerCase; the docs do not say
 * which case mapping Glue uses, so a name whose lower case differs between the two is one we may mis-file: rare).
 * The pattern allows `/`, `\` and `..`, which cannot be a path segment: such names are refused with a clear error
 * (the product cannot guard them), as are names starting with `.` (the contract loader skips dot entries, so the
 * contract would silently guard nothing) and tabs (legal in Glue, not in a file name we want to review).
 */
import type { CatalogTable } from './table-schema.js';
import { InputError } from '../errors.js';
import { type GlueNameProblemCode, glueNameExpectation } from '../wording/names.js';

export type GlueNameKind = 'database' | 'table';

export const MAX_GLUE_NAME_BYTES = 255;

/** Why `name` (already lower-cased) cannot be used, or undefined when it can. */
export function glueNameProblem(name: string): GlueNameProblemCode | undefined {
  if (name === '') return 'empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_GLUE_NAME_BYTES) return 'too-long';
  // Control characters (tab included: legal in Glue, refused here), U+FFFE/U+FFFF and lone surrogates.
  if (!singleLine(name)) return 'not-single-line';
  if (name.includes('/') || name.includes('\\')) return 'path-separator';
  if (name.startsWith('.')) return 'leading-dot';
  return undefined;
}

/** No control character, U+FFFE/U+FFFF or lone surrogate (pairs are fine): the pattern, less the tab. */
function singleLine(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0xfffe || code === 0xffff) return false;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = name.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      i += 1;
    } else if (code >= 0xdc00 && code <= 0xdfff) return false;
  }
  return true;
}

/**
 * The normalised (lower-case) name, or an InputError saying where it came from (`source`, `field`), what was
 * found and what was expected.
 */
export function glueName(source: string, field: string, kind: GlueNameKind, raw: string): string {
  const name = raw.toLowerCase();
  const problem = glueNameProblem(name);
  if (problem !== undefined) throw new InputError(source, field, glueNameExpectation(kind, raw, problem));
  return name;
}

/** True when `name` is a Glue name exactly as the product stores it (valid and lower case). */
export function isNormalGlueName(name: string): boolean {
  return name.toLowerCase() === name && glueNameProblem(name) === undefined;
}

/** A table read from a file or the catalog, with its database and table names validated and lower-cased. */
export function withGlueNames(source: string, table: CatalogTable, fields: { readonly database: string; readonly table: string }): CatalogTable {
  const database = glueName(source, fields.database, 'database', table.schema.database);
  const name = glueName(source, fields.table, 'table', table.schema.name);
  if (database === table.schema.database && name === table.schema.name) return table;
  return { ...table, schema: { ...table.schema, database, name } };
}
