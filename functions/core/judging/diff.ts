/**
 * The neutral diff between two canonical table schemas: what was added, removed, renamed, moved or
 * updated, and where, down into struct fields, array elements, map keys/values and union members.
 * It says nothing about whether a change is acceptable; the rule registry judges that.
 */
import { type GlueType, glueTypesEqual, printGlueType } from '../schema/glue-type.js';
import { type Path, type PathSegment, named, section } from '../schema/path.js';
import type { TableSchema } from '../schema/table-schema.js';
import { childrenOf } from '../schema/type-families.js';
import { type AvroType, type ResolutionProblem, avroToGlueType, parseAvroSchema, resolutionProblems } from '../schema/avro-schema.js';
import { prestoViewColumns, viewDefinition } from '../schema/view-text.js';

/** What kind of element a named-list change is about. */
export type MemberSubject = 'column' | 'field' | 'partitionKey';
export type StorageProperty = 'format' | 'location' | 'inputFormat' | 'outputFormat' | 'serdeLibrary';

export type Change =
  | {
      readonly kind: 'added';
      readonly subject: MemberSubject;
      readonly path: Path;
      readonly type: GlueType;
      /** True when nothing that existed before follows it: readers by position are unaffected. */
      readonly atEnd: boolean;
    }
  | { readonly kind: 'removed'; readonly subject: MemberSubject; readonly path: Path; readonly type: GlueType }
  | {
      readonly kind: 'renamed';
      readonly subject: MemberSubject;
      /** Path of the old name. */
      readonly path: Path;
      readonly before: string;
      readonly after: string;
      readonly type: GlueType;
    }
  | { readonly kind: 'moved'; readonly subject: MemberSubject; readonly path: Path; readonly before: number; readonly after: number }
  | { readonly kind: 'updated'; readonly subject: 'type'; readonly path: Path; readonly before: GlueType; readonly after: GlueType }
  | PropertyChange<'comment'>
  | (PropertyChange<'storage'> & { readonly property: StorageProperty })
  | (PropertyChange<'serdeParameter'> & { readonly name: string })
  | PropertyChange<'tableType'>
  | (PropertyChange<'tableParameter'> & { readonly name: string })
  /** The table as stored could not be parsed (`after` says why): it is judged, never assumed compliant. */
  | PropertyChange<'unreadable'>
  /** Files written with the approved Avro schema cannot be read with the new one (Avro schema resolution). */
  | { readonly kind: 'updated'; readonly subject: 'avroResolution'; readonly path: Path; readonly problem: ResolutionProblem }
  /** The Avro reader schema and the catalog columns disagree on a column: readers see different tables. */
  | (PropertyChange<'avroColumns'> & { readonly name: string })
  /** A view's SQL changed (`ViewOriginalText`, decoded for Athena/Presto views, or `ViewExpandedText`). */
  | (PropertyChange<'viewText'> & { readonly property: 'originalText' | 'expandedText' })
  /** An Athena view's stored column list (in its definition) and its catalog columns disagree: before/after list the names. */
  | PropertyChange<'viewColumns'>;

/** A scalar property added, removed or updated; before/after are absent when it did not exist. */
export interface PropertyChange<S extends string> {
  readonly kind: 'added' | 'removed' | 'updated';
  readonly subject: S;
  readonly path: Path;
  readonly before?: string;
  readonly after?: string;
}

interface Member {
  readonly name: string;
  readonly type: GlueType;
  readonly comment?: string | undefined;
}

/** Diffs `before` (the contract) against `after` (the table now). Changes come in path order. */
export function diffTables(before: TableSchema, after: TableSchema): Change[] {
  const changes: Change[] = [];
  diffMembers(before.columns, after.columns, [section('columns')], 'column', changes);
  diffMembers(before.partitionKeys, after.partitionKeys, [section('partitionKeys')], 'partitionKey', changes);

  const storage = [section('storage')];
  const properties: readonly StorageProperty[] = ['format', 'location', 'inputFormat', 'outputFormat', 'serdeLibrary'];
  for (const property of properties) {
    const change = propertyChange('storage', [...storage, named(property)], before.storage[property], after.storage[property]);
    if (change !== undefined) changes.push({ ...change, property });
  }
  diffRecords('serdeParameter', [...storage, named('serdeParameters')], before.storage.serdeParameters, after.storage.serdeParameters, changes);

  const table = [section('table')];
  const tableType = propertyChange('tableType', [...table, named('type')], before.tableType, after.tableType);
  if (tableType !== undefined) changes.push(tableType);
  diffRecords('tableParameter', [...table, named('parameters')], before.parameters, after.parameters, changes);
  diffAvroSchemas(before, after, changes);
  diffViews(before, after, changes);
  return changes;
}

type AvroRecord = Extract<AvroType, { kind: 'record' }>;

function avroColumns(record: AvroRecord): Member[] {
  return record.fields.map((f) => ({ name: f.name, type: avroToGlueType(f.type, f.name) }));
}

/**
 * The Avro reader schema: field changes judged like column changes (under `avroSchema`), files written with the
 * approved schema resolved against the new one, and the new schema compared with the catalog columns. A contract that
 * recorded no schema (written before it was recorded) still gets the comparison with the columns.
 */
function diffAvroSchemas(before: TableSchema, after: TableSchema, out: Change[]): void {
  const next = after.storage.avroSchema === undefined ? undefined : parseAvroSchema(after.storage.avroSchema);
  const previous = before.storage.avroSchema === undefined ? undefined : parseAvroSchema(before.storage.avroSchema);
  const prefix = [section('avroSchema')];
  if (previous !== undefined && next !== undefined) {
    // A reader-schema change the columns made too (a crawler rewrites both) is reported once, on the column.
    const mirrored = new Set(out.filter((c) => c.path[0]?.kind === 'section' && c.path[0].name === 'columns').map(changeKey));
    const fieldChanges: Change[] = [];
    diffMembers(avroColumns(previous), avroColumns(next), prefix, 'column', fieldChanges);
    out.push(...fieldChanges.filter((c) => !mirrored.has(changeKey(c))));
    for (const problem of resolutionProblems(previous, next)) {
      out.push({ kind: 'updated', subject: 'avroResolution', path: [...prefix, ...problem.path.map(pathSegment)], problem });
    }
  } else if (previous !== undefined && before.storage.format === 'avro') {
    // The reader schema dropped: readers fall back to whatever else the table says. A SerDe parameter removed.
    const name = 'avro.schema.literal';
    out.push({ kind: 'removed', subject: 'serdeParameter', path: [section('storage'), named('serdeParameters'), named(name)], name, before: previous.name });
  }
  if (next === undefined) return;
  const disagreements = (schema: TableSchema, record: AvroRecord): Map<string, { columns?: string; literal?: string }> => {
    const literal = new Map(avroColumns(record).map((c) => [c.name.toLowerCase(), c]));
    // Writers of the catalog columns differ on logical types (timestamp-millis as timestamp or bigint, ...): either agrees.
    const underlying = new Map(record.fields.map((f) => [f.name.toLowerCase(), avroToGlueType(f.type, f.name, false)]));
    const found = new Map<string, { columns?: string; literal?: string }>();
    for (const column of schema.columns) {
      const key = column.name.toLowerCase();
      const other = literal.get(key);
      const raw = underlying.get(key);
      const agrees = other !== undefined && (glueTypesEqual(other.type, column.type) || (raw !== undefined && glueTypesEqual(raw, column.type)));
      if (other === undefined) found.set(column.name, { columns: printGlueType(column.type) });
      else if (!agrees) found.set(column.name, { columns: printGlueType(column.type), literal: printGlueType(other.type) });
      literal.delete(column.name.toLowerCase());
    }
    for (const extra of literal.values()) found.set(extra.name, { literal: printGlueType(extra.type) });
    return found;
  };
  // Only a disagreement the approved version did not already have: an approved one is the reviewer's call.
  const approved = previous === undefined ? new Map<string, { columns?: string; literal?: string }>() : disagreements(before, previous);
  for (const [name, values] of disagreements(after, next)) {
    const was = approved.get(name);
    if (was !== undefined && was.columns === values.columns && was.literal === values.literal) continue;
    out.push({
      kind: 'updated',
      subject: 'avroColumns',
      path: [...prefix, named(name)],
      name,
      ...(values.columns === undefined ? {} : { before: values.columns }),
      ...(values.literal === undefined ? {} : { after: values.literal }),
    });
  }
}

/** A change without its section, to match a reader-schema change with the same change to the columns. */
function changeKey(change: Change): string {
  const { path, ...rest } = change;
  return JSON.stringify([path.slice(1), rest], (_key, value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
}

function pathSegment(part: string): PathSegment {
  if (part === '[]') return { kind: 'element' };
  if (part === '{value}') return { kind: 'value' };
  return named(part);
}

/** A view's SQL: the decoded Presto/Athena definition when there is one, else the stored text. */
function diffViews(before: TableSchema, after: TableSchema, out: Change[]): void {
  const path = [section('view')];
  const original = propertyChange('viewText', [...path, named('originalText')], viewDefinition(before.view?.originalText), viewDefinition(after.view?.originalText));
  if (original !== undefined) out.push({ ...original, property: 'originalText' });
  const expanded = propertyChange('viewText', [...path, named('expandedText')], before.view?.expandedText, after.view?.expandedText);
  if (expanded !== undefined) out.push({ ...expanded, property: 'expandedText' });
  // An Athena view stores its output columns in its definition; Athena reads those. Reported when they stop matching
  // the catalog columns (a disagreement the approved version already had is the reviewer's call).
  const disagreement = (schema: TableSchema): string | undefined => {
    const stored = prestoViewColumns(schema.view?.originalText);
    if (stored === undefined) return undefined;
    const catalog = schema.columns.map((c) => c.name.toLowerCase());
    return stored.map((n) => n.toLowerCase()).join(',') === catalog.join(',') ? undefined : stored.join(', ');
  };
  const now = disagreement(after);
  if (now !== undefined && now !== disagreement(before)) {
    out.push({ kind: 'updated', subject: 'viewColumns', path: [...path, named('columns')], before: after.columns.map((c) => c.name).join(', '), after: now });
  }
  // A Data Catalog view: each dialect's SQL (the dialects must all return the same columns, judged as columns).
  const dialects = (view: TableSchema['view']) => new Map((view?.representations ?? []).map((r) => [r.dialect, r]));
  const was = dialects(before.view);
  const is = dialects(after.view);
  for (const dialect of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    for (const property of ['originalText', 'expandedText'] as const) {
      const change = propertyChange('viewText', [...path, named(dialect), named(property)], was.get(dialect)?.[property], is.get(dialect)?.[property]);
      if (change !== undefined) out.push({ ...change, property });
    }
  }
}

function propertyChange<S extends string>(
  subject: S,
  path: Path,
  before: string | undefined,
  after: string | undefined,
): PropertyChange<S> | undefined {
  if (before === after) return undefined;
  if (before === undefined) return { kind: 'added', subject, path, ...(after === undefined ? {} : { after }) };
  if (after === undefined) return { kind: 'removed', subject, path, before };
  return { kind: 'updated', subject, path, before, after };
}

function diffRecords(
  subject: 'serdeParameter' | 'tableParameter',
  path: Path,
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  out: Change[],
): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    // Own keys only: a parameter named "constructor" must not read Object.prototype.
    const own = (record: Readonly<Record<string, string>>): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
    const change = propertyChange(subject, [...path, named(key)], own(before), own(after));
    if (change !== undefined) out.push({ ...change, subject, name: key });
  }
}

/**
 * Diffs an ordered list of named members (columns, partition keys, struct fields). Names match
 * case-insensitively, as Hive matches them. A removed and an added member in the same gap between
 * surviving members, with the same type, is a rename.
 */
function diffMembers(
  before: readonly Member[],
  after: readonly Member[],
  prefix: Path,
  subject: MemberSubject,
  out: Change[],
): void {
  const afterIndex = new Map(after.map((m, i) => [m.name.toLowerCase(), i]));
  const beforeIndex = new Map(before.map((m, i) => [m.name.toLowerCase(), i]));

  // A gap is named by the nearest surviving member before it ('' for the start): the same in both lists.
  const gapsOf = (list: readonly Member[], other: ReadonlyMap<string, number>): (string | undefined)[] => {
    let anchor = '';
    return list.map((m) => {
      const key = m.name.toLowerCase();
      if (!other.has(key)) return anchor;
      anchor = key;
      return undefined;
    });
  };
  const removedByGap = groupIndexes(gapsOf(before, afterIndex));
  const addedByGap = groupIndexes(gapsOf(after, beforeIndex));
  /** before index → after index, for surviving and renamed members. */
  const pairs = new Map<number, number>();
  before.forEach((m, i) => {
    const j = afterIndex.get(m.name.toLowerCase());
    if (j !== undefined) pairs.set(i, j);
  });
  const renamed = new Set<number>();
  for (const [gap, removed] of removedByGap) {
    const added = addedByGap.get(gap) ?? [];
    if (removed.length !== added.length) continue;
    const sameTypes = removed.every((i, k) => {
      const a = after[added[k] ?? -1];
      const b = before[i];
      return a !== undefined && b !== undefined && glueTypesEqual(a.type, b.type);
    });
    if (!sameTypes) continue;
    removed.forEach((i, k) => {
      const j = added[k];
      if (j === undefined) return;
      pairs.set(i, j);
      renamed.add(i);
    });
  }
  const pairedAfter = new Set(pairs.values());

  before.forEach((member, i) => {
    const path = [...prefix, named(member.name)];
    const j = pairs.get(i);
    if (j === undefined) {
      out.push({ kind: 'removed', subject, path, type: member.type });
      return;
    }
    const next = after[j];
    if (next === undefined) return;
    if (renamed.has(i)) out.push({ kind: 'renamed', subject, path, before: member.name, after: next.name, type: member.type });
    const nextPath = [...prefix, named(next.name)];
    const comment = propertyChange('comment', [...nextPath, { kind: 'comment' }], member.comment, next.comment);
    if (comment !== undefined) out.push(comment);
    diffTypes(member.type, next.type, nextPath, out);
  });

  for (const i of movedMembers(before.length, pairs)) {
    const j = pairs.get(i);
    const member = before[i];
    if (j === undefined || member === undefined || renamed.has(i)) continue;
    out.push({ kind: 'moved', subject, path: [...prefix, named(member.name)], before: i, after: j });
  }

  // An added member is at the end when no pre-existing member follows it.
  let lastPaired = -1;
  for (const j of pairedAfter) lastPaired = Math.max(lastPaired, j);
  after.forEach((member, j) => {
    if (pairedAfter.has(j)) return;
    out.push({ kind: 'added', subject, path: [...prefix, named(member.name)], type: member.type, atEnd: j > lastPaired });
  });
}

function groupIndexes(gaps: readonly (string | undefined)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  gaps.forEach((gap, index) => {
    if (gap === undefined) return;
    const group = groups.get(gap);
    if (group === undefined) groups.set(gap, [index]);
    else group.push(index);
  });
  return groups;
}

/**
 * Members whose relative order changed: those outside a longest increasing run of new positions
 * (patience sorting, O(n log n), so wide tables stay linear-ish).
 */
function movedMembers(count: number, pairs: ReadonlyMap<number, number>): number[] {
  const order: { i: number; j: number }[] = [];
  for (let i = 0; i < count; i += 1) {
    const j = pairs.get(i);
    if (j !== undefined) order.push({ i, j });
  }
  const tails: number[] = [];
  const tailIndex: number[] = [];
  const previous = new Array<number>(order.length).fill(-1);
  order.forEach(({ j }, k) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] ?? Infinity) < j) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = j;
    tailIndex[lo] = k;
    previous[k] = lo > 0 ? (tailIndex[lo - 1] ?? -1) : -1;
  });
  const keep = new Set<number>();
  let k = tailIndex[tails.length - 1] ?? -1;
  while (k >= 0) {
    keep.add(k);
    k = previous[k] ?? -1;
  }
  return order.filter((_, index) => !keep.has(index)).map(({ i }) => i);
}

function sameSlots(a: readonly { segment: PathSegment }[], b: readonly { segment: PathSegment }[]): boolean {
  return a.length === b.length && a.every((slot, i) => JSON.stringify(slot.segment) === JSON.stringify(b[i]?.segment));
}

/** Recurses into matching containers; anything else that differs is one `updated` type change. */
function diffTypes(before: GlueType, after: GlueType, path: Path, out: Change[]): void {
  if (printGlueType(before) === printGlueType(after)) return;
  const a = childrenOf(before);
  const b = childrenOf(after);
  if (a !== undefined && b !== undefined && before.kind === after.kind) {
    if (a.by === 'name' && b.by === 'name') {
      diffMembers(a.fields, b.fields, path, 'field', out);
      return;
    }
    if (a.by === 'slot' && b.by === 'slot' && sameSlots(a.slots, b.slots)) {
      a.slots.forEach((slot, i) => {
        const other = b.slots[i];
        if (other !== undefined) diffTypes(slot.type, other.type, [...path, slot.segment], out);
      });
      return;
    }
  }
  if (!glueTypesEqual(before, after)) out.push({ kind: 'updated', subject: 'type', path, before, after });
}
