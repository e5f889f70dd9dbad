/**
 * Where a finding sits in a contract file: the 1-based line of the JSON key that records the changed
 * column, storage property or table property, so CI annotations point at the line a reviewer edits.
 * A finding about something the file no longer has (a removed column) points at the enclosing key.
 */
import type { Path } from '../schema/path.js';

/** A key path into a JSON document; array elements are not addressed (contracts key what they record). */
export type KeyPath = readonly string[];

/**
 * The line of the first key at `keys` in a JSON text, or undefined when the text has no such key (or is
 * not JSON the scanner can follow). Duplicate keys: the first one, which is what a reader sees first.
 */
export function lineOfKey(text: string, keys: KeyPath): number | undefined {
  if (keys.length === 0) return undefined;
  // The scanner keeps, per open container, the key path to it; `null` marks an array level.
  const stack: (string | null)[] = [];
  const containers: ('object' | 'array')[] = [];
  let line = 1;
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line += 1;
      i += 1;
    } else if (ch === '{' || ch === '[') {
      containers.push(ch === '{' ? 'object' : 'array');
      if (ch === '[') stack.push(null);
      expectKey = ch === '{';
      i += 1;
    } else if (ch === '}' || ch === ']') {
      const closed = containers.pop();
      if (closed === 'array') stack.pop();
      // Leaving the value of a key: that key is done.
      if (containers.at(-1) === 'object') stack.pop();
      expectKey = false;
      i += 1;
    } else if (ch === ',') {
      if (containers.at(-1) === 'object') {
        expectKey = true;
      }
      i += 1;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      if (expectKey && containers.at(-1) === 'object') {
        const key = decodeString(text.slice(i, end + 1));
        if (key === undefined) return undefined;
        stack.push(key);
        if (matches(stack, keys)) return line;
        expectKey = false;
      } else {
        popScalarValue(stack, containers);
      }
      i = end + 1;
    } else if (ch === ':' || ch === ' ' || ch === '\t' || ch === '\r') {
      i += 1;
    } else {
      // A number, true, false or null: runs to the next delimiter.
      while (i < text.length && !',}]\n'.includes(text[i] ?? '')) i += 1;
      popScalarValue(stack, containers);
    }
  }
  return undefined;
}

/** A scalar value ends its key inside an object (the key's entry is complete). */
function popScalarValue(stack: (string | null)[], containers: readonly ('object' | 'array')[]): void {
  if (containers.at(-1) === 'object') stack.pop();
}

function matches(stack: readonly (string | null)[], keys: KeyPath): boolean {
  return stack.length === keys.length && stack.every((k, index) => k === keys[index]);
}

function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return undefined;
}

function decodeString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key paths that record what a finding's path names, most specific first: a column is a key of
 * `properties` (its nested fields live in its `x-glue-type` string), storage under `x-storage`, the table
 * type and parameters under `x-table-type` / `x-table-parameters`, a view under `x-view`.
 */
export function contractKeysFor(path: Path): KeyPath[] {
  const [first, ...rest] = path;
  const names = rest.flatMap((s) => (s.kind === 'name' ? [s.name] : []));
  if (first?.kind !== 'section') return [];
  switch (first.name) {
    case 'columns':
    case 'partitionKeys':
      return names[0] === undefined ? [['properties']] : [['properties', names[0]], ['properties']];
    case 'storage':
      return [['x-storage', ...names], ['x-storage', ...names.slice(0, 1)], ['x-storage']];
    case 'avroSchema':
      return [['x-storage', 'avroSchema'], ['x-storage']];
    case 'table':
      if (names[0] === 'type') return [['x-table-type']];
      return [['x-table-parameters', ...names.slice(1)], ['x-table-parameters']];
    case 'view':
      return [['x-view', ...names], ['x-view']];
  }
}

/** The line a finding at `path` points to in the contract text; line 1 when the file records nothing closer. */
export function contractLineFor(text: string, path: Path): number {
  for (const keys of contractKeysFor(path)) {
    const line = lineOfKey(text, keys);
    if (line !== undefined) return line;
  }
  return 1;
}
