/**
 * The rule registry: every judgement the guard can make, as data. Each change from the diff is judged
 * by the first rule that applies to the contract's storage format and compatibility mode and matches
 * the change. A change no rule matches is UNCOVERED_CHANGE: breaking (fail closed).
 * The README's rule table and `drift-guard rules` are generated from this list.
 */
import type { Change, MemberSubject } from './diff.js';
import { type RuleId, RuleIds } from './rule-ids.js';
import { type ColumnMatching, INDEX_ACCESS_PARAMETERS, type StorageFormat } from '../schema/storage-format.js';
import { matchesParameter, READER_PARAMETERS } from '../schema/table-schema.js';
import { widensTo } from '../schema/type-families.js';

export const COMPATIBILITY_MODES = ['consumer-safe', 'strict', 'observe'] as const;
/** consumer-safe (default): removals, renames, narrowing and incompatible types break. strict: any change breaks. observe: report only. */
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export const SEVERITIES = ['breaking', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Rule {
  readonly id: RuleId;
  readonly purpose: string;
  readonly severity: Severity;
  /** Storage formats the rule judges; 'all' for every format. */
  readonly formats: 'all' | readonly StorageFormat[];
  /** Only for tables whose readers match columns this way (storage-format.ts `columnMatching`); absent: either way. */
  readonly reads?: ColumnMatching;
  readonly modes: readonly CompatibilityMode[];
  /** How the rule is applied: to each diff change, as the json-schema-diff cross-check, or as the fail-closed fallback. */
  readonly stage: 'change' | 'cross-check' | 'fallback';
  readonly matches: (change: Change) => boolean;
  /**
   * What the change alone does not say about why this rule judged it so, appended to the finding's sentence
   * after a colon (core/wording/findings.ts). Renderers never branch on a rule id: a rule carries its own words.
   */
  readonly qualifier?: string;
  readonly deprecated?: { readonly replacedBy: RuleId };
}

const ALL_MODES = COMPATIBILITY_MODES;
const LENIENT_MODES: readonly CompatibilityMode[] = ['consumer-safe', 'observe'];
const never = (): boolean => false;

const member =
  (subject: MemberSubject, kind: Change['kind'], extra: (change: Change) => boolean = () => true) =>
  (change: Change): boolean =>
    change.subject === subject && change.kind === kind && extra(change);

const addedAtEnd = (change: Change): boolean => change.kind === 'added' && 'atEnd' in change && change.atEnd;
const insertedMidway = (change: Change): boolean => change.kind === 'added' && 'atEnd' in change && !change.atEnd;
const underPartitionKey = (change: Change): boolean => change.path[0]?.kind === 'section' && change.path[0].name === 'partitionKeys';
const typeChange = (test: (change: Extract<Change, { subject: 'type' }>) => boolean) => (change: Change): boolean =>
  change.subject === 'type' && !underPartitionKey(change) && test(change);

interface MemberRuleIds {
  readonly removed: RuleId;
  readonly renamed: RuleId;
  readonly insertedPositional: RuleId;
  readonly movedPositional: RuleId;
  readonly addedAtEnd: RuleId;
  readonly insertedNamed: RuleId;
  readonly movedNamed: RuleId;
}

/** Columns and struct fields follow the same reading rules, under their own ids. */
const memberRules = (subject: 'column' | 'field', noun: string, ids: MemberRuleIds): readonly Rule[] => {
  return [
    {
      id: ids.removed,
      purpose: `A removed ${noun} breaks every query and job that reads it, in every format.`,
      severity: 'breaking',
      formats: 'all',
      modes: ALL_MODES,
      stage: 'change',
      matches: member(subject, 'removed'),
    },
    {
      id: ids.renamed,
      purpose: `A renamed ${noun} breaks readers by name and every query that names it.`,
      severity: 'breaking',
      formats: 'all',
      modes: ALL_MODES,
      stage: 'change',
      matches: member(subject, 'renamed'),
    },
    {
      id: ids.insertedPositional,
      purpose: `A ${noun} added before existing ones shifts every later position: readers by position (CSV/TSV/text, ORC unless orc.column.index.access=false, Parquet with parquet.column.index.access=true, unknown formats) read the wrong data.`,
      severity: 'breaking',
      formats: 'all',
      reads: 'position',
      modes: ALL_MODES,
      stage: 'change',
      matches: member(subject, 'added', insertedMidway),
    },
    {
      id: ids.movedPositional,
      purpose: `Reordered ${noun}s are read from the wrong positions by readers by position (CSV/TSV/text, ORC by index, Parquet by index).`,
      severity: 'breaking',
      formats: 'all',
      reads: 'position',
      modes: ALL_MODES,
      stage: 'change',
      matches: member(subject, 'moved'),
    },
    {
      id: ids.addedAtEnd,
      purpose: `A ${noun} added after all existing ones is read as null from older data; existing readers are unaffected.`,
      severity: 'info',
      formats: 'all',
      modes: LENIENT_MODES,
      stage: 'change',
      matches: member(subject, 'added', addedAtEnd),
    },
    {
      id: ids.insertedNamed,
      purpose: `A ${noun} added before existing ones is safe where readers match by name (Parquet unless read by index, ORC with orc.column.index.access=false, Avro, JSON, Ion, Iceberg, views, ...).`,
      severity: 'warning',
      formats: 'all',
      reads: 'name',
      modes: LENIENT_MODES,
      stage: 'change',
      matches: member(subject, 'added', insertedMidway),
    },
    {
      id: ids.movedNamed,
      purpose: `Reordered ${noun}s are safe where readers match by name; \`SELECT *\` output order changes.`,
      severity: 'info',
      formats: 'all',
      reads: 'name',
      modes: LENIENT_MODES,
      stage: 'change',
      matches: member(subject, 'moved'),
    },
  ];
};

/** A change that breaks readers of every format, in every compatibility mode (partition keys, storage). */
const breakingEverywhere = (id: RuleId, purpose: string, matches: (change: Change) => boolean): Rule => ({
  id,
  purpose,
  severity: 'breaking',
  formats: 'all',
  modes: ALL_MODES,
  stage: 'change',
  matches,
});

const storage = (property: string) => (change: Change): boolean => change.subject === 'storage' && change.property === property;

/** Ordered: the first rule that applies and matches judges a change. Breaking rules come first. */
export const RULES: readonly Rule[] = [
  ...memberRules('column', 'column', {
    removed: RuleIds.COLUMN_REMOVED,
    renamed: RuleIds.COLUMN_RENAMED,
    insertedPositional: RuleIds.COLUMN_INSERTED_POSITIONAL_FORMAT,
    movedPositional: RuleIds.COLUMN_MOVED_POSITIONAL_FORMAT,
    addedAtEnd: RuleIds.COLUMN_ADDED_AT_END,
    insertedNamed: RuleIds.COLUMN_INSERTED_NAMED_FORMAT,
    movedNamed: RuleIds.COLUMN_MOVED_NAMED_FORMAT,
  }),
  ...memberRules('field', 'struct field', {
    removed: RuleIds.FIELD_REMOVED,
    renamed: RuleIds.FIELD_RENAMED,
    insertedPositional: RuleIds.FIELD_INSERTED_POSITIONAL_FORMAT,
    movedPositional: RuleIds.FIELD_MOVED_POSITIONAL_FORMAT,
    addedAtEnd: RuleIds.FIELD_ADDED_AT_END,
    insertedNamed: RuleIds.FIELD_INSERTED_NAMED_FORMAT,
    movedNamed: RuleIds.FIELD_MOVED_NAMED_FORMAT,
  }),
  {
    id: RuleIds.TYPE_WIDENED,
    purpose:
      'A type widened (tinyint→smallint→int→bigint, float→double, decimal precision up at the same scale, char/varchar length up, varchar→string, union members appended) keeps every old value readable.',
    severity: 'warning',
    formats: 'all',
    modes: LENIENT_MODES,
    stage: 'change',
    matches: typeChange((c) => widensTo(c.before, c.after)),
  },
  {
    id: RuleIds.TYPE_NARROWED,
    purpose: 'A type narrowed (the reverse of a widening) cannot hold existing values: readers fail or truncate.',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'change',
    matches: typeChange((c) => widensTo(c.after, c.before)),
  },
  {
    id: RuleIds.TYPE_CHANGED,
    purpose: 'A type changed incompatibly (e.g. decimal→string, int→double, array→struct, an unknown type) breaks readers and queries.',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'change',
    matches: typeChange((c) => !widensTo(c.before, c.after)),
  },
  {
    id: RuleIds.COMMENT_CHANGED,
    purpose: 'A column or field comment changed: documentation only.',
    severity: 'info',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'change',
    matches: (change) => change.subject === 'comment',
  },
  breakingEverywhere(RuleIds.PARTITION_KEY_ADDED, 'A partition key added changes the partition layout every writer and reader relies on.', member('partitionKey', 'added')),
  breakingEverywhere(RuleIds.PARTITION_KEY_REMOVED, 'A partition key removed orphans existing partitions and breaks queries that filter on it.', member('partitionKey', 'removed')),
  breakingEverywhere(RuleIds.PARTITION_KEY_RENAMED, 'A partition key renamed breaks partition filters and partition projection.', member('partitionKey', 'renamed')),
  breakingEverywhere(RuleIds.PARTITION_KEY_MOVED, 'Reordered partition keys no longer match the S3 prefix layout.', member('partitionKey', 'moved')),
  breakingEverywhere(
    RuleIds.PARTITION_KEY_TYPE_CHANGED,
    'A partition key retyped (even widened) changes how partition values are compared and pruned.',
    (change) => change.subject === 'type' && underPartitionKey(change),
  ),
  {
    id: RuleIds.AVRO_SCHEMA_UNRESOLVABLE,
    purpose:
      'Files written with the approved Avro reader schema cannot be read with the new one (Avro schema resolution: a new field without a default, a type outside the promotions int→long/float/double, long→float/double, float→double, string↔bytes, a decimal whose precision or scale changed, enum symbols dropped without a default, a value no union branch matches).',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'change',
    matches: (change) => change.subject === 'avroResolution',
  },
  {
    id: RuleIds.AVRO_SCHEMA_DISAGREES_WITH_COLUMNS,
    purpose:
      "The Avro reader schema (avro.schema.literal) and the table's columns disagree: Hive, Athena and Trino read with the literal, tools reading the catalog columns see another table.",
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'change',
    matches: (change) => change.subject === 'avroColumns',
  },
  {
    id: RuleIds.ICEBERG_STORAGE_DESCRIPTOR_CHANGED,
    purpose:
      "An Iceberg table's StorageDescriptor location, formats or SerDe changed (or was filled in): informational only, Iceberg readers use the metadata file in metadata_location (Iceberg IcebergToGlueConverter; Athena \"Create Iceberg tables\", https://docs.aws.amazon.com/athena/latest/ug/querying-iceberg-creating-tables.html).",
    severity: 'info',
    formats: ['iceberg'],
    modes: ALL_MODES,
    stage: 'change',
    matches: (change) => (change.subject === 'storage' && change.property !== 'format') || change.subject === 'serdeParameter',
  },
  breakingEverywhere(
    RuleIds.COLUMN_MATCHING_CHANGED,
    'parquet.column.index.access or orc.column.index.access changed: readers now match every column by name instead of by position, or the reverse (a crawler run can drop a hand-set value).',
    (change) => change.subject === 'serdeParameter' && matchesParameter(INDEX_ACCESS_PARAMETERS, change.name),
  ),
  breakingEverywhere(
    RuleIds.VIEW_COLUMNS_DISAGREE,
    "An Athena view's stored output columns (in its /* Presto View */ definition, what Athena reads) no longer match its catalog columns: Athena reports a stale view, or readers of the catalog see columns the view does not return (Athena \"Considerations and limitations for Athena views\").",
    (change) => change.subject === 'viewColumns',
  ),
  {
    id: RuleIds.VIEW_DEFINITION_CHANGED,
    purpose:
      "A view's SQL changed (the decoded Athena/Presto definition, or ViewOriginalText/ViewExpandedText): what it returns may change although its columns did not. Breaking under strict.",
    severity: 'warning',
    formats: 'all',
    modes: LENIENT_MODES,
    stage: 'change',
    matches: (change) => change.subject === 'viewText',
  },
  breakingEverywhere(RuleIds.STORAGE_FORMAT_CHANGED, 'The storage format changed: existing files can no longer be read with the new format.', storage('format')),
  breakingEverywhere(RuleIds.SERDE_CHANGED, 'The SerDe library changed: rows are deserialised differently.', storage('serdeLibrary')),
  breakingEverywhere(RuleIds.INPUT_FORMAT_CHANGED, 'The InputFormat changed: files are split and read differently.', storage('inputFormat')),
  breakingEverywhere(RuleIds.OUTPUT_FORMAT_CHANGED, 'The OutputFormat changed: writers produce files old readers may not read.', storage('outputFormat')),
  breakingEverywhere(RuleIds.LOCATION_CHANGED, 'The table location changed: readers now see different data (or none).', storage('location')),
  breakingEverywhere(RuleIds.SERDE_PARAMETER_CHANGED, 'A SerDe parameter (delimiter, quote, escape, null format, paths, ...) changed how rows are parsed.', (change) => change.subject === 'serdeParameter'),
  breakingEverywhere(RuleIds.TABLE_TYPE_CHANGED, 'The table type changed (e.g. EXTERNAL_TABLE ↔ VIRTUAL_VIEW, GOVERNED).', (change) => change.subject === 'tableType'),
  breakingEverywhere(
    RuleIds.READER_PARAMETER_CHANGED,
    'A table parameter readers act on (header/footer line counts, null format, encoding, partition projection, ...) changed.',
    (change) => change.subject === 'tableParameter' && matchesParameter(READER_PARAMETERS, change.name),
  ),
  {
    id: RuleIds.STRICT_ANY_CHANGE,
    purpose: 'Strict contracts accept no schema change at all, not even additions or widenings.',
    severity: 'breaking',
    formats: 'all',
    modes: ['strict'],
    stage: 'change',
    matches: () => true,
  },
  {
    id: RuleIds.TABLE_PARAMETER_CHANGED,
    purpose: 'Another table parameter changed (not crawler bookkeeping, not read by readers).',
    severity: 'info',
    formats: 'all',
    modes: LENIENT_MODES,
    stage: 'change',
    matches: (change) => change.subject === 'tableParameter',
  },
  {
    id: RuleIds.VALUE_SET_REDUCED,
    purpose:
      'Cross-check: json-schema-diff, run on the JSON Schema of each column whose changes the rules allowed, finds values the old column accepted that the new one rejects.',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'cross-check',
    matches: never,
    qualifier: 'some values of the old type are not values of the new one',
  },
  {
    id: RuleIds.SCHEMA_UNREADABLE,
    purpose:
      'The table as stored cannot be parsed (a malformed type string, a column without a type, ...): readers fail on it too, and the guard never judges what it could not read as compliant.',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'fallback',
    matches: never,
  },
  {
    id: RuleIds.UNCOVERED_CHANGE,
    purpose: 'Fail closed: a change no other rule covers is breaking until a rule says otherwise.',
    severity: 'breaking',
    formats: 'all',
    modes: ALL_MODES,
    stage: 'fallback',
    matches: never,
  },
];

export function ruleById(id: RuleId, rules: readonly Rule[] = RULES): Rule {
  const rule = rules.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`rule ${id} is not in the registry`);
  return rule;
}

/** How the judged table is read: its storage format and how its readers match columns. */
export interface ReaderView {
  readonly format: StorageFormat;
  readonly matching: ColumnMatching;
}

export function ruleApplies(rule: Rule, reader: ReaderView, mode: CompatibilityMode): boolean {
  return (
    rule.modes.includes(mode) &&
    (rule.formats === 'all' || rule.formats.includes(reader.format)) &&
    (rule.reads === undefined || rule.reads === reader.matching)
  );
}

/** The rule that judges a change, or undefined when none covers it (the judge then fails closed). */
export function ruleFor(change: Change, reader: ReaderView, mode: CompatibilityMode, rules: readonly Rule[] = RULES): Rule | undefined {
  return rules.find((rule) => rule.stage === 'change' && ruleApplies(rule, reader, mode) && rule.matches(change));
}
