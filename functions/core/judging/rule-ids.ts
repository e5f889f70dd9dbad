/**
 * Stable rule ids. An id is never reused or renamed: a replaced rule stays here, deprecated in the
 * registry, pointing to its successor. Contracts acknowledge breaking findings by these ids.
 */
export const RULE_IDS = [
  'COLUMN_ADDED_AT_END',
  'COLUMN_INSERTED_NAMED_FORMAT',
  'COLUMN_INSERTED_POSITIONAL_FORMAT',
  'COLUMN_REMOVED',
  'COLUMN_RENAMED',
  'COLUMN_MOVED_NAMED_FORMAT',
  'COLUMN_MOVED_POSITIONAL_FORMAT',
  'FIELD_ADDED_AT_END',
  'FIELD_INSERTED_NAMED_FORMAT',
  'FIELD_INSERTED_POSITIONAL_FORMAT',
  'FIELD_REMOVED',
  'FIELD_RENAMED',
  'FIELD_MOVED_NAMED_FORMAT',
  'FIELD_MOVED_POSITIONAL_FORMAT',
  'TYPE_WIDENED',
  'TYPE_NARROWED',
  'TYPE_CHANGED',
  'COMMENT_CHANGED',
  'PARTITION_KEY_ADDED',
  'PARTITION_KEY_REMOVED',
  'PARTITION_KEY_RENAMED',
  'PARTITION_KEY_MOVED',
  'PARTITION_KEY_TYPE_CHANGED',
  'STORAGE_FORMAT_CHANGED',
  'SERDE_CHANGED',
  'SERDE_PARAMETER_CHANGED',
  'INPUT_FORMAT_CHANGED',
  'OUTPUT_FORMAT_CHANGED',
  'LOCATION_CHANGED',
  'TABLE_TYPE_CHANGED',
  'READER_PARAMETER_CHANGED',
  'TABLE_PARAMETER_CHANGED',
  'STRICT_ANY_CHANGE',
  'VALUE_SET_REDUCED',
  'SCHEMA_UNREADABLE',
  'UNCOVERED_CHANGE',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** `RuleIds.COLUMN_REMOVED === 'COLUMN_REMOVED'`: ids referenced in code, never assembled from strings. */
export const RuleIds = Object.fromEntries(RULE_IDS.map((id) => [id, id])) as { readonly [K in RuleId]: K };
