/**
 * Shared fuzzing machinery: run counts, a fixed seed, outcome checks for the project's typed errors,
 * nasty values and a JSON mutator that turns valid documents into near-valid ones.
 *
 * `FUZZ_RUNS` (default 300) sets the runs per property: `FUZZ_RUNS=10000 npx vitest run test/fuzz` is the
 * chaos run. `FUZZ_SEED` replays another seed (fast-check prints the seed and path of any failure).
 */
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { type Contract, contractToFile } from '../../functions/core/contracts/contract.js';
import { InputError, InputErrors } from '../../functions/core/errors.js';
import {
  type GlueType,
  INTERVAL_UNITS,
  MAX_CHAR_LENGTH,
  MAX_DECIMAL_PRECISION,
  MAX_VARCHAR_LENGTH,
  PRIMITIVE_NAMES,
  TypeParseError,
  glueTypesEqual,
  parseGlueType,
  printGlueType,
} from '../../functions/core/schema/glue-type.js';
import type { CompatibilityMode } from '../../functions/core/judging/rules.js';
import { STORAGE_FORMATS } from '../../functions/core/schema/storage-format.js';
import {
  BOOKKEEPING_PARAMETERS,
  type CatalogTable,
  DERIVED_SERDE_PARAMETERS,
  type TableSchema,
  matchesParameter,
} from '../../functions/core/schema/table-schema.js';
import { MODELLED_SERDE_PARAMETERS, MODELLED_TABLE_PARAMETERS } from '../../functions/core/schema/parameters.js';
import { readJsonFixture, tableDocument, tableFixtureNames } from '../support/fixtures.js';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
export const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
/** A single call slower than this is a hang (synchronous code cannot be interrupted: it is measured). */
export const SLOW_CALL_MS = Number(process.env.FUZZ_SLOW_MS ?? 2_000);
/** Per describe: generous enough for 10,000 runs of the slowest property, scaled for bigger runs. */
export const SUITE_TIMEOUT = 300_000 * Math.max(1, Math.ceil(RUNS / 10_000));

export function fuzzParameters<T>(extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns: RUNS, seed: SEED, ...extra };
}

// ---------------------------------------------------------------------------------------------------
// Known defects in functions/ (found by these fuzzers; each is pinned by a `known defect` test)
// ---------------------------------------------------------------------------------------------------

/**
 * Defects these fuzzers found that are still open. By default the properties stay out of inputs that would
 * only rediscover one of them, so the suite stays green and keeps looking for new ones; `FUZZ_KNOWN_DEFECTS=1`
 * fuzzes into them too (those properties then fail until the defect is fixed). Each is pinned by an `it.fails`
 * test with its minimal input: when that test starts failing the defect is fixed: turn it into a plain `it`
 * (a regression test) and delete the id here.
 *
 * - D6 an opaque type argument of 22+ digits (`foo(1000000000000000000000)`) is kept as `foo(1e+21)`, which
 *      does not parse: the table is accepted, its printed type (and any contract written from it) is not
 * - D7 a column type nested 31 struct levels deep is accepted (MAX_TYPE_DEPTH is 100), but the contract the guard
 *      writes for it nests deeper than MAX_JSON_DEPTH (64) and is rejected when read back
 *
 * Fixed while these fuzzers were written (regression tests kept): D1 `constructor` / `__proto__` accepted as
 * primitive types; D2 deeply nested types overflowing the stack (RangeError); D3 deeply nested JSON in a contract
 * overflowing the stack in contractFromFile, failing loadContractTree for the whole tree; D4 `"__proto__"` keys
 * in string maps dropped unvalidated; D5 classification `constructor` making the storage format `Object`.
 */
export type DefectId = 'D6' | 'D7';
export const OPEN_DEFECTS: ReadonlySet<DefectId> = new Set<DefectId>([]);
export const INCLUDE_KNOWN_DEFECTS = process.env.FUZZ_KNOWN_DEFECTS === '1';

/** True when the fuzzers should stay out of `id` (it is open and FUZZ_KNOWN_DEFECTS is not set). */
export function avoiding(id: DefectId): boolean {
  return OPEN_DEFECTS.has(id) && !INCLUDE_KNOWN_DEFECTS;
}

/** The open defect type text would hit, if any. */
export function knownTypeDefect(text: string): DefectId | undefined {
  if (OPEN_DEFECTS.has('D6') && /\d{22,}/.test(text)) return 'D6';
  return undefined;
}

/** The open defect a JSON-like input would hit through one of its strings, if any (iterative: any depth). */
export function knownDefect(value: unknown): DefectId | undefined {
  const work: unknown[] = [value];
  for (let node = work.pop(); node !== undefined || work.length > 0; node = work.pop()) {
    if (typeof node === 'string') {
      const defect = knownTypeDefect(node);
      if (defect !== undefined) return defect;
    } else if (Array.isArray(node)) work.push(...(node as unknown[]).slice(0, 10_000));
    else if (isRecord(node)) for (const key of Object.keys(node)) work.push(Object.getOwnPropertyDescriptor(node, key)?.value);
  }
  return undefined;
}

/** Skips a run that would only rediscover an open defect (unless FUZZ_KNOWN_DEFECTS=1). */
export function skipKnownDefects(input: unknown): void {
  if (!INCLUDE_KNOWN_DEFECTS) fc.pre(knownDefect(input) === undefined);
}

/** The same for type text. */
export function skipKnownTypeDefects(text: string): void {
  if (!INCLUDE_KNOWN_DEFECTS) fc.pre(knownTypeDefect(text) === undefined);
}

// ---------------------------------------------------------------------------------------------------
// Outcomes and typed-error checks
// ---------------------------------------------------------------------------------------------------

export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly error: unknown; readonly ms: number };

export function attempt<T>(act: () => T): Outcome<T> {
  const start = performance.now();
  try {
    const value = act();
    return { ok: true, value, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - start };
  }
}

export async function attemptAsync<T>(act: () => Promise<T>): Promise<Outcome<T>> {
  const start = performance.now();
  try {
    const value = await act();
    return { ok: true, value, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - start };
  }
}

/** One line naming what was thrown, for failure messages. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack?.split('\n').find((line) => line.includes('/functions/')) ?? '';
    return `${error.constructor.name}: ${error.message.slice(0, 300)}${frame === '' ? '' : ` (${frame.trim()})`}`;
  }
  return `non-Error ${typeof error}: ${String(error).slice(0, 300)}`;
}

export function slowness(outcome: Outcome<unknown>, what: string): string[] {
  return outcome.ms > SLOW_CALL_MS ? [`${what} took ${Math.round(outcome.ms)} ms (> ${SLOW_CALL_MS} ms: a hang)`] : [];
}

/** Where a single InputError falls short of naming its source and what was expected. */
function inputErrorProblems(error: InputError, source: (s: string) => boolean): string[] {
  const problems: string[] = [];
  if (!source(error.source)) problems.push(`InputError names source ${JSON.stringify(error.source)}`);
  if (typeof error.field !== 'string') problems.push('InputError.field is not a string');
  if (typeof error.expected !== 'string' || error.expected.trim() === '') problems.push(`InputError at ${error.field} says nothing about what was expected`);
  if (!error.message.startsWith(error.source) || error.message.trim() === '') problems.push(`InputError message ${JSON.stringify(error.message)} does not start with its source`);
  if (error.field !== '' && !error.message.includes(error.field)) problems.push(`InputError message does not name its field ${error.field}`);
  return problems;
}

/**
 * Why `error` is not an InputErrors (or InputError) naming its source; [] when it is.
 * `source` is the exact source name, or a test for it.
 */
export function inputErrorViolations(error: unknown, source: string | ((s: string) => boolean)): string[] {
  const matches = typeof source === 'string' ? (s: string) => s === source : source;
  if (error instanceof InputError) return inputErrorProblems(error, matches);
  if (error instanceof InputErrors) {
    if (error.errors.length === 0) return ['InputErrors with no errors in it'];
    const problems = error.errors.flatMap((e) => (e instanceof InputError ? inputErrorProblems(e, matches) : [`InputErrors holds ${describeThrown(e)}`]));
    if (error.message.trim() === '') problems.push('InputErrors with an empty message');
    return problems;
  }
  return [`untyped exception escaped: ${describeThrown(error)}`];
}

/** Why `error` is not a TypeParseError for `text` with a position inside it; [] when it is. */
export function typeParseErrorViolations(error: unknown, text: string, column?: string): string[] {
  if (!(error instanceof TypeParseError)) return [`untyped exception escaped: ${describeThrown(error)}`];
  const problems: string[] = [];
  if (error.typeText !== text) problems.push('TypeParseError.typeText is not the parsed text');
  if (!Number.isInteger(error.position) || error.position < 0 || error.position > text.length) {
    problems.push(`TypeParseError position ${error.position} outside 0..${text.length}`);
  }
  if (error.expected.trim() === '') problems.push('TypeParseError says nothing about what was expected');
  if (column !== undefined && (error.column !== column || !error.message.includes(`column \`${column}\``))) {
    problems.push(`TypeParseError does not name column ${column}`);
  }
  return problems;
}

/** Why an accepted type is not well formed or does not survive print → parse; [] when it does. */
export function acceptedTypeViolations(type: GlueType): string[] {
  const problems = malformedParts(type, 'type');
  if (problems.length > 0) return problems;
  const printed = attempt(() => printGlueType(type));
  if (!printed.ok) return [`printGlueType threw on an accepted type: ${describeThrown(printed.error)}`];
  const text = printed.value;
  const shown = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  const reparsed = attempt(() => parseGlueType(text));
  if (!reparsed.ok) return [`printed type ${shown} does not parse: ${describeThrown(reparsed.error)}`];
  const equal = attempt(() => glueTypesEqual(type, reparsed.value));
  if (!equal.ok) return [`glueTypesEqual threw on an accepted type: ${describeThrown(equal.error)}`];
  if (!equal.value) return [`printed type ${shown} parses to a different type`];
  const same = attempt(() => isDeepStrictEqual(reparsed.value, type));
  if (same.ok && !same.value) return [`printed type ${shown} parses to a different tree (names or comments changed)`];
  if (printGlueType(reparsed.value) !== text) return ['printing is not stable'];
  return [];
}

const KINDS = new Set(['primitive', 'decimal', 'char', 'varchar', 'interval', 'timestamptz', 'array', 'map', 'struct', 'union', 'opaque']);

/** The invariants a parsed type promises (iterative: deep types must not overflow the checker). */
function malformedParts(root: GlueType, where: string): string[] {
  const problems: string[] = [];
  const stack: { type: GlueType; at: string }[] = [{ type: root, at: where }];
  const primitives: readonly string[] = PRIMITIVE_NAMES;
  const units: readonly unknown[] = INTERVAL_UNITS;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { type, at } = next;
    const kind: string = type.kind;
    if (!KINDS.has(kind)) problems.push(`${at}: unknown kind ${describeValue(kind)}`);
    switch (type.kind) {
      case 'primitive':
        if (!primitives.includes(type.name)) problems.push(`${at}: primitive name ${describeValue(type.name)} is not one of ${PRIMITIVE_NAMES.join(', ')}`);
        break;
      case 'decimal':
        if (!Number.isInteger(type.precision) || type.precision < 1 || type.precision > MAX_DECIMAL_PRECISION) problems.push(`${at}: decimal precision ${type.precision}`);
        if (!Number.isInteger(type.scale) || type.scale < 0 || type.scale > type.precision) problems.push(`${at}: decimal scale ${type.scale}`);
        break;
      case 'char':
      case 'varchar': {
        const max = type.kind === 'char' ? MAX_CHAR_LENGTH : MAX_VARCHAR_LENGTH;
        if (!Number.isInteger(type.length) || type.length < 1 || type.length > max) problems.push(`${at}: ${type.kind} length ${type.length}`);
        break;
      }
      case 'interval':
        if (!units.includes(type.from) || (type.to !== undefined && !units.includes(type.to))) problems.push(`${at}: interval units`);
        break;
      case 'opaque':
        if (typeof type.text !== 'string' || type.text === '') problems.push(`${at}: empty opaque text`);
        break;
      case 'array':
        stack.push({ type: type.element, at: `${at}<>` });
        break;
      case 'map':
        stack.push({ type: type.key, at: `${at}<key>` }, { type: type.value, at: `${at}<value>` });
        break;
      case 'struct': {
        const seen = new Set<string>();
        for (const field of type.fields) {
          const name: unknown = field.name;
          if (typeof name !== 'string' || name === '') problems.push(`${at}: empty field name`);
          else if (seen.has(name.toLowerCase())) problems.push(`${at}: duplicate field ${name}`);
          seen.add(String(name).toLowerCase());
          stack.push({ type: field.type, at: `${at}.${field.name}` });
        }
        break;
      }
      case 'union':
        if (type.members.length === 0) problems.push(`${at}: union without members`);
        type.members.forEach((m, i) => stack.push({ type: m, at: `${at}[${i}]` }));
        break;
      case 'timestamptz':
        break;
    }
  }
  return problems;
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `a function (${value.name})`;
  if (typeof value === 'object' && value !== null) return `an object (${Object.prototype.toString.call(value)})`;
  // JSON.stringify(undefined) is undefined, whatever its declared type says.
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? typeof value : text;
}

// ---------------------------------------------------------------------------------------------------
// Nasty values, described small (so counterexamples print readably) and built on demand
// ---------------------------------------------------------------------------------------------------

export type Nasty =
  | { readonly literal: unknown }
  /** `depth` levels of arrays or objects (or objects keyed "__proto__") around `leaf`. */
  | { readonly deep: number; readonly shape: 'array' | 'object' | '__proto__'; readonly leaf: unknown }
  /** A string of `length` repetitions of `unit`. */
  | { readonly huge: number; readonly unit: string }
  /** An array of `many` copies of `item`. */
  | { readonly many: number; readonly item: unknown };

export const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  'length',
  '',
  ' ',
  '\u0000',
  'é',
  'İ',
  '\ud800',
  '😀',
  '\u202e',
  'x-unknown',
  'Table',
  'detail-type',
  'iceberg.field.current',
  'classification',
  'table_type',
] as const;

export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\ud800',
  '\udfff',
  '😀',
  'ß',
  'İ',
  'ﬁ',
  '\u202e',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e+21',
  '0x10',
  '__proto__',
  'constructor',
  'toString',
  'false',
  'parquet',
  'iceberg',
  'aws.glue',
  'Glue Crawler State Change',
  'Succeeded',
  'CreateTable',
  '2026-11-21T02:00:00Z',
  '123456789012',
] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const primitiveLiteral: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, Number.NaN, Infinity, -Infinity, 10n),
  nastyString,
);

export const nasty: fc.Arbitrary<Nasty> = fc.oneof(
  { weight: 6, arbitrary: primitiveLiteral.map((literal): Nasty => ({ literal })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((literal): Nasty => ({ literal })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ deep: fc.integer({ min: 1, max: 20_000 }), shape: fc.constantFrom('array' as const, 'object' as const, '__proto__' as const), leaf: primitiveLiteral })
      .map((d): Nasty => d),
  },
  { weight: 1, arbitrary: fc.record({ huge: fc.integer({ min: 1_000, max: 300_000 }), unit: fc.constantFrom('x', ' ', 'é', '😀', '<', 'a:int,', '\\') }).map((h): Nasty => h) },
  {
    weight: 1,
    arbitrary: fc
      .record({ many: fc.integer({ min: 100, max: 5_000 }), item: fc.constantFrom<unknown>('x', 0, null, { Name: 'c', Type: 'int' }, {}) })
      .map((m): Nasty => m),
  },
  { weight: 1, arbitrary: fc.constantFrom<Nasty>({ literal: {} }, { literal: [] }, { literal: [[]] }, { literal: { '': {} } }) },
);

/** Builds the value a Nasty describes (fresh every time: the code under test may keep it). */
export function materialize(spec: Nasty): unknown {
  if ('deep' in spec) {
    let value: unknown = spec.leaf;
    for (let i = 0; i < spec.deep; i += 1) {
      if (spec.shape === 'array') value = [value];
      else if (spec.shape === 'object') value = { a: value };
      else value = defineOwn({}, '__proto__', value);
    }
    return value;
  }
  if ('huge' in spec) return spec.unit.repeat(spec.huge);
  if ('many' in spec) return Array.from({ length: spec.many }, () => cloneJson(spec.item));
  return cloneJson(spec.literal);
}

/** Sets an own, enumerable data property, even for "__proto__" (as JSON.parse does). */
export function defineOwn<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep copy of JSON-like data, iterative (any depth), keeping own "__proto__" keys; other objects are shared. */
export function cloneJson<T>(value: T): T {
  const copyOf = (v: unknown): unknown => (Array.isArray(v) ? new Array<unknown>(v.length) : isPlain(v) ? {} : v);
  const root = copyOf(value);
  const work: { from: unknown; to: unknown }[] = [{ from: value, to: root }];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const { from, to } = next;
    if (Array.isArray(from) && Array.isArray(to)) {
      from.forEach((item: unknown, i) => {
        const copy = copyOf(item);
        to[i] = copy;
        if (copy !== item) work.push({ from: item, to: copy });
      });
    } else if (isPlain(from) && isRecord(to)) {
      for (const key of Object.keys(from)) {
        const item = from[key];
        const copy = copyOf(item);
        defineOwn(to, key, copy);
        if (copy !== item) work.push({ from: item, to: copy });
      }
    }
  }
  return root as T;
}

// ---------------------------------------------------------------------------------------------------
// Mutating valid documents
// ---------------------------------------------------------------------------------------------------

/** Characters and fragments of the Glue type grammar, plus unicode and whitespace oddities. */
export const TYPE_ALPHABET = [
  ...Array.from('abcdefghijklmnopqrstuvwxyzAIMSTZ_0123456789'),
  '<',
  '>',
  '(',
  ')',
  ',',
  ':',
  '`',
  "'",
  '"',
  '\\',
  ' ',
  '\t',
  '\n',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'é',
  'İ',
  'ß',
  '中',
  '😀',
  '\ud800',
  '\u0000',
] as const;

export const TYPE_TOKENS = [
  'array',
  'ARRAY',
  'map',
  'struct',
  'uniontype',
  'decimal',
  'numeric',
  'char',
  'varchar',
  'interval',
  'interval_year_month',
  'interval_day_time',
  'timestamp',
  'timestamptz',
  'with',
  'local',
  'time',
  'zone',
  'to',
  'year',
  'years',
  'month',
  'day',
  'hour',
  'minute',
  'seconds',
  'comment',
  'COMMENT',
  'int',
  'integer',
  'bigint',
  'string',
  'boolean',
  'double',
  'binary',
  'real',
  'float',
  'date',
  'timestamp_ns',
  'variant',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a',
  'B',
  '$oid',
  'a b',
  '<',
  '>',
  '(',
  ')',
  ',',
  ':',
  '`',
  '``',
  "'",
  '"',
  '\\',
  "\\'",
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '0',
  '1',
  '2',
  '10',
  '38',
  '39',
  '255',
  '256',
  '65535',
  '65536',
  '007',
  '9007199254740993',
  '1000000000000000000000',
  '99999999999999999999999999999999999999999999999999',
  'é',
  '😀',
  '\ud800',
] as const;

/** Splice `insert` into `text` at `at`, deleting `remove` characters (indices wrap into range). */
export interface StringEdit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

export const stringEdit: fc.Arbitrary<StringEdit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 6 }),
  insert: fc.oneof(
    fc.string({ unit: fc.constantFrom(...TYPE_ALPHABET), maxLength: 4 }),
    fc.array(fc.constantFrom(...TYPE_TOKENS), { maxLength: 3 }).map((tokens) => tokens.join('')),
    nastyString,
  ),
});

export function applyStringEdit(text: string, edit: StringEdit): string {
  const at = edit.at % (text.length + 1);
  return text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
}

export type Mutation =
  | { readonly op: 'delete' }
  | { readonly op: 'replace'; readonly value: Nasty }
  | { readonly op: 'retype' }
  | { readonly op: 'setKey'; readonly key: string; readonly value: Nasty }
  | { readonly op: 'editString'; readonly edits: readonly StringEdit[] }
  | { readonly op: 'upperCase' }
  | { readonly op: 'duplicate' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Mutation>({ op: 'delete' }) },
  { weight: 3, arbitrary: nasty.map((value): Mutation => ({ op: 'replace', value })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ op: 'retype' }) },
  { weight: 3, arbitrary: fc.record({ key: nastyKey, value: nasty }).map(({ key, value }): Mutation => ({ op: 'setKey', key, value })) },
  { weight: 4, arbitrary: fc.array(stringEdit, { minLength: 1, maxLength: 3 }).map((edits): Mutation => ({ op: 'editString', edits })) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'upperCase' }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'duplicate' }) },
);

/** Mutations, each aimed at the node `target % nodeCount` (counted afresh before each one). */
export type MutationPlan = readonly (readonly [target: number, mutation: Mutation])[];

export const mutationPlan: fc.Arbitrary<MutationPlan> = fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 });

type Path = readonly (string | number)[];

/** Paths of the nodes of `value` (root first), bounded in depth and count so deep values stay cheap. */
export function nodePaths(value: unknown, maxDepth = 40, maxNodes = 4_000): Path[] {
  const out: Path[] = [];
  const work: { node: unknown; path: Path }[] = [{ node: value, path: [] }];
  for (let next = work.shift(); next !== undefined && out.length < maxNodes; next = work.shift()) {
    out.push(next.path);
    if (next.path.length >= maxDepth) continue;
    const { node, path } = next;
    if (Array.isArray(node)) node.forEach((item: unknown, i) => work.push({ node: item, path: [...path, i] }));
    else if (isPlain(node)) for (const key of Object.keys(node)) work.push({ node: node[key], path: [...path, key] });
  }
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isRecord(node) && typeof key === 'string') node = Object.getOwnPropertyDescriptor(node, key)?.value;
    else return undefined;
  }
  return node;
}

function retype(value: unknown): unknown {
  if (typeof value === 'string') return value !== '' && Number.isFinite(Number(value)) ? Number(value) : [value];
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((v: unknown, i) => [String(i), v]));
  if (isRecord(value)) return Object.entries(value);
  return null;
}

function transform(value: unknown, m: Mutation): unknown {
  switch (m.op) {
    case 'replace':
      return materialize(m.value);
    case 'retype':
      return retype(value);
    case 'editString':
      return typeof value === 'string' ? m.edits.reduce(applyStringEdit, value) : value;
    case 'upperCase':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'setKey':
      if (Array.isArray(value)) return [...(value as unknown[]), materialize(m.value)];
      return isRecord(value) ? defineOwn(value, m.key, materialize(m.value)) : value;
    case 'duplicate':
      return Array.isArray(value) && value.length > 0 ? [...(value as unknown[]), cloneJson(value[0])] : value;
    case 'delete':
      return undefined;
  }
}

/** A mutated deep copy of `base` (`base` itself is never changed). */
export function applyMutations(base: unknown, plan: MutationPlan): unknown {
  let root = cloneJson(base);
  for (const [target, m] of plan) {
    const paths = nodePaths(root);
    const path = paths[target % paths.length] ?? [];
    const parentPath = path.slice(0, -1);
    const key = path.at(-1);
    if (key === undefined) {
      root = transform(root, m);
      continue;
    }
    const parent = getAt(root, parentPath);
    const current = getAt(root, path);
    if (m.op === 'delete') {
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else if (isRecord(parent) && typeof key === 'string') Reflect.deleteProperty(parent, key);
      continue;
    }
    const next = transform(current, m);
    if (Array.isArray(parent) && typeof key === 'number') parent[key] = next;
    else if (isRecord(parent) && typeof key === 'string') defineOwn(parent, key, next);
  }
  return root;
}

/** Arbitrary values of every JavaScript shape, with hostile keys. */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  key: nastyKey,
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});

/** Arbitrary JSON values. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 5 });

/** `base` with each top-level key replaced by arbitrary JSON now and then: shapes close to the real one. */
export function reshaped(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), fc.oneof(anyJson, anyValue)), { minLength: 1, maxLength: 3 })
    .map((replacements) => replacements.reduce<Record<string, unknown>>((doc, [key, value]) => defineOwn(doc, key, value), cloneJson(base)));
}

// ---------------------------------------------------------------------------------------------------
// Real documents to start from
// ---------------------------------------------------------------------------------------------------

/** Every Glue table fixture as its GetTable document (`{"Table": {...}}`), by file name. */
export function tableDocuments(): readonly { readonly name: string; readonly document: Record<string, unknown> }[] {
  return tableFixtureNames().map((name) => ({ name, document: tableDocument(name) }));
}

/** The demo contract (the tests' copy in test/fixtures/contracts/sales/orders/v1.json), as parsed JSON. */
export function ordersContractDocument(): Record<string, unknown> {
  const document = readJsonFixture(fileURLToPath(new URL('../fixtures/contracts/sales/orders/v1.json', import.meta.url)));
  if (!isRecord(document)) throw new Error('contracts/sales/orders/v1.json is not an object');
  return document;
}

/** A contract on `schema`, as the guard would write it. */
export function contractFor(schema: TableSchema, compatibility: CompatibilityMode = 'consumer-safe'): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility,
    enforcement: 'enforce',
    dependentWorkflows: ['nightly'],
    owners: ['team-fuzz@example.com'],
    approval: { reviewer: 'fuzz', approvedAt: '2026-11-21T09:30:00.000Z', reason: 'baseline', glueVersionId: '1', acknowledges: [] },
    schema,
  };
}

/** The contract file document for `schema`, through JSON text (as it sits on disk). */
export function contractDocumentFor(schema: TableSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(contractToFile(contractFor(schema)))) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------
// What an accepted Glue table document promises
// ---------------------------------------------------------------------------------------------------

function ownString(record: unknown, key: string): string | undefined {
  if (!isRecord(record)) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(record, key)?.value;
  return typeof value === 'string' ? value : undefined;
}

function ownValue(record: unknown, key: string): unknown {
  return isRecord(record) ? Object.getOwnPropertyDescriptor(record, key)?.value : undefined;
}

/**
 * Why an accepted table document's model is not faithful to the raw document; [] when it is: a known
 * storage format, well-formed column types, unique names, and no parameter or column silently dropped.
 */
export function acceptedTableViolations(document: unknown, table: CatalogTable): string[] {
  const problems: string[] = [];
  const { schema } = table;
  const formats: readonly unknown[] = STORAGE_FORMATS;
  if (!formats.includes(schema.storage.format)) problems.push(`storage format ${describeValue(schema.storage.format)} is not one of ${STORAGE_FORMATS.join(', ')}`);
  const names = new Set<string>();
  for (const column of [...schema.columns, ...schema.partitionKeys]) {
    if (names.has(column.name.toLowerCase())) problems.push(`column ${column.name} appears twice`);
    names.add(column.name.toLowerCase());
    problems.push(...acceptedTypeViolations(column.type).map((p) => `column ${column.name}: ${p}`));
  }
  const raw = Object.hasOwn(isRecord(document) ? document : {}, 'Table') ? ownValue(document, 'Table') : document;
  const rawParameters = ownValue(raw, 'Parameters');
  for (const key of isRecord(rawParameters) ? Reflect.ownKeys(rawParameters) : []) {
    // Modelled parameters (the Avro reader schema) live in the model elsewhere: storage.avroSchema.
    if (typeof key !== 'string' || matchesParameter(BOOKKEEPING_PARAMETERS, key) || matchesParameter(MODELLED_TABLE_PARAMETERS, key)) continue;
    if (!Object.hasOwn(schema.parameters, key) || schema.parameters[key] !== ownString(rawParameters, key)) {
      problems.push(`table parameter ${JSON.stringify(key)} = ${describeValue(ownValue(rawParameters, key))} was accepted but is not in the model`);
    }
  }
  const rawSerde = ownValue(ownValue(ownValue(raw, 'StorageDescriptor'), 'SerdeInfo'), 'Parameters');
  for (const key of isRecord(rawSerde) ? Reflect.ownKeys(rawSerde) : []) {
    if (typeof key !== 'string' || matchesParameter(DERIVED_SERDE_PARAMETERS, key) || matchesParameter(MODELLED_SERDE_PARAMETERS, key)) continue;
    if (!Object.hasOwn(schema.storage.serdeParameters, key) || schema.storage.serdeParameters[key] !== ownString(rawSerde, key)) {
      problems.push(`SerDe parameter ${JSON.stringify(key)} = ${describeValue(ownValue(rawSerde, key))} was accepted but is not in the model`);
    }
  }
  const current = (columns: unknown): number =>
    Array.isArray(columns) ? columns.filter((c: unknown) => ownString(ownValue(c, 'Parameters'), 'iceberg.field.current') !== 'false').length : 0;
  const rawColumns = current(ownValue(ownValue(raw, 'StorageDescriptor'), 'Columns'));
  if (rawColumns !== schema.columns.length) problems.push(`${rawColumns} current columns in the document, ${schema.columns.length} in the model`);
  const rawKeys = current(ownValue(raw, 'PartitionKeys'));
  if (rawKeys !== schema.partitionKeys.length) problems.push(`${rawKeys} current partition keys in the document, ${schema.partitionKeys.length} in the model`);
  return problems;
}

/**
 * JSON text for JSON-like data of any depth (JSON.stringify recurses and overflows the stack on deep values).
 * Like JSON.stringify: undefined members are left out (null in arrays), non-finite numbers are null; bigints are written as numbers.
 */
export function jsonText(value: unknown): string {
  type Frame = { readonly raw: string } | { readonly value: unknown };
  const out: string[] = [];
  const work: Frame[] = [{ value }];
  const pushReversed = (frames: Frame[]): void => {
    for (let i = frames.length - 1; i >= 0; i -= 1) {
      const frame = frames[i];
      if (frame !== undefined) work.push(frame);
    }
  };
  for (let frame = work.pop(); frame !== undefined; frame = work.pop()) {
    if ('raw' in frame) {
      out.push(frame.raw);
      continue;
    }
    const v = frame.value;
    if (Array.isArray(v)) {
      const frames: Frame[] = [{ raw: '[' }];
      v.forEach((item: unknown, i) => {
        if (i > 0) frames.push({ raw: ',' });
        frames.push({ value: item === undefined ? null : item });
      });
      frames.push({ raw: ']' });
      pushReversed(frames);
    } else if (isRecord(v)) {
      const frames: Frame[] = [{ raw: '{' }];
      for (const key of Object.keys(v)) {
        const item = Object.getOwnPropertyDescriptor(v, key)?.value as unknown;
        if (item === undefined) continue;
        frames.push({ raw: `${frames.length > 1 ? ',' : ''}${JSON.stringify(key)}:` }, { value: item });
      }
      frames.push({ raw: '}' });
      pushReversed(frames);
    } else if (typeof v === 'bigint') out.push(v.toString());
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
    else if (typeof v === 'string' || typeof v === 'boolean' || v === null) out.push(JSON.stringify(v));
    else out.push('null');
  }
  return out.join('');
}
