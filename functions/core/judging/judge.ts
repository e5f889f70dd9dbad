/**
 * Judging: the neutral diff, each change judged by the rule registry, a json-schema-diff value-set
 * cross-check on the columns the rules allowed, and the verdict. Drift is a result, never an error.
 */
import type { Contract } from '../contracts/contract.js';
import { type Change, diffTables } from './diff.js';
import { formatPath, named, section } from '../schema/path.js';
import { type RuleId, RuleIds } from './rule-ids.js';
import { type CompatibilityMode, RULES, type ReaderView, type Rule, type Severity, ruleById, ruleFor } from './rules.js';
import { type ColumnMatching, type StorageFormat, columnMatching } from '../schema/storage-format.js';
import { InputError, InputErrors } from '../errors.js';
import { type CatalogTable, type Column, type TableSchema, parseGlueTableDocument } from '../schema/table-schema.js';
import { loosesValues } from './value-set.js';

export type Verdict = 'compliant' | 'allowed' | 'breaking';

export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  /** Printed path, e.g. `columns.items[].price`; contracts acknowledge findings by (ruleId, path). */
  readonly path: string;
  readonly change: Change;
}

export interface Judgement {
  /** compliant: no schema difference; allowed: differences, none breaking; breaking: at least one breaking finding. */
  readonly verdict: Verdict;
  readonly mode: CompatibilityMode;
  readonly format: StorageFormat;
  readonly findings: readonly Finding[];
  /** True when breaking findings exist; in observe mode the verdict still says allowed. */
  readonly hasBreakingFindings: boolean;
}

export interface JudgeOptions {
  /** Run the json-schema-diff value-set cross-check on allowed column changes (default true). */
  readonly crossCheck?: boolean;
  /** The registry to judge with (default: RULES). Tests use this to prove the fail-closed paths. */
  readonly rules?: readonly Rule[];
}

export type ContractTerms = Pick<Contract, 'schema' | 'compatibility'>;

/** Judges `table` (the catalog now) against `contract` (what was approved). */
export function judge(contract: ContractTerms, table: TableSchema, options: JudgeOptions = {}): Judgement {
  const format = contract.schema.storage.format;
  const mode = contract.compatibility;
  const rules = options.rules ?? RULES;
  const changes = diffTables(contract.schema, table);
  const uncovered = ruleById(RuleIds.UNCOVERED_CHANGE);
  const reader: ReaderView = { format, matching: readerMatching(contract.schema, table) };
  const findings: Finding[] = changes.map((change) => {
    const rule = ruleFor(change, reader, mode, rules) ?? uncovered;
    return { ruleId: rule.id, severity: rule.severity, path: formatPath(change.path), change };
  });
  if (options.crossCheck !== false) findings.push(...(crossCheck(contract.schema, table, changes, findings)));
  const hasBreakingFindings = findings.some((f) => f.severity === 'breaking');
  const verdict: Verdict = findings.length === 0 ? 'compliant' : hasBreakingFindings && mode !== 'observe' ? 'breaking' : 'allowed';
  return { verdict, mode, format, findings, hasBreakingFindings };
}

/**
 * How the columns are matched, judged strictly: by position when the approved table or the table now is read by
 * position (a switch between the two is itself COLUMN_MATCHING_CHANGED).
 */
export function readerMatching(before: TableSchema, after: TableSchema): ColumnMatching {
  const of = (schema: TableSchema): ColumnMatching =>
    columnMatching({ format: schema.storage.format, serdeParameters: schema.storage.serdeParameters, tableType: schema.tableType });
  return of(before) === 'position' || of(after) === 'position' ? 'position' : 'name';
}

/** A judgement of a stored table document; `table` is absent when the document could not be parsed. */
export type DocumentJudgement = Judgement & { readonly table?: CatalogTable };

/**
 * Judges a Glue table document as stored. A document that cannot be parsed is judged breaking
 * (SCHEMA_UNREADABLE, one finding per problem), never compliant.
 */
export function judgeDocument(contract: ContractTerms, source: string, document: unknown, options: JudgeOptions = {}): DocumentJudgement {
  let table: CatalogTable;
  try {
    table = parseGlueTableDocument(source, document);
  } catch (error) {
    const problems = error instanceof InputErrors ? error.errors : error instanceof InputError ? [error] : undefined;
    if (problems === undefined) throw error;
    const rule = ruleById(RuleIds.SCHEMA_UNREADABLE);
    const findings = problems.map(
      (problem): Finding => ({
        ruleId: rule.id,
        severity: rule.severity,
        path: problem.field === '' ? 'table' : problem.field,
        change: { kind: 'updated', subject: 'unreadable', path: [section('table')], after: problem.expected },
      }),
    );
    const mode = contract.compatibility;
    return { verdict: mode === 'observe' ? 'allowed' : 'breaking', mode, format: contract.schema.storage.format, findings, hasBreakingFindings: true };
  }
  return { ...judge(contract, table.schema, options), table };
}

/**
 * For each column whose changes the rules all allowed, ask json-schema-diff whether the column's value
 * set lost anything. Run per column, never on the whole table: its cost grows super-linearly.
 */
function crossCheck(before: TableSchema, after: TableSchema, changes: readonly Change[], findings: readonly Finding[]): Finding[] {
  const touched = new Map<string, boolean>();
  changes.forEach((change, i) => {
    const [first, second] = change.path;
    if (first?.kind !== 'section' || first.name !== 'columns' || second?.kind !== 'name') return;
    if (change.path.length === 2 && change.kind !== 'updated') return; // whole-column add/remove/move/rename
    const key = second.name.toLowerCase();
    const breaking = findings[i]?.severity === 'breaking';
    touched.set(key, (touched.get(key) ?? true) && !breaking);
  });
  const renamedFrom = new Map<string, string>();
  for (const change of changes) {
    if (change.kind === 'renamed' && change.subject === 'column') renamedFrom.set(change.after.toLowerCase(), change.before.toLowerCase());
  }
  const beforeColumns = new Map<string, Column>(before.columns.map((c) => [c.name.toLowerCase(), c]));
  const afterColumns = new Map<string, Column>(after.columns.map((c) => [c.name.toLowerCase(), c]));
  const results: Finding[] = [];
  for (const [key, allowed] of touched) {
    if (!allowed) continue;
    const next = afterColumns.get(key);
    const previous = beforeColumns.get(renamedFrom.get(key) ?? key);
    if (next === undefined || previous === undefined) continue;
    if (loosesValues(previous.type, next.type)) {
      const rule = ruleById(RuleIds.VALUE_SET_REDUCED);
      const path = [section('columns'), named(next.name)];
      results.push({
        ruleId: rule.id,
        severity: rule.severity,
        path: formatPath(path),
        change: { kind: 'updated', subject: 'type', path, before: previous.type, after: next.type },
      });
    }
  }
  return results;
}
