/**
 * The json-schema-diff cross-check: does every value the old column type accepted remain a value of
 * the new one? Uses json-schema-diff's set engine directly (see functions/types/json-schema-diff-internals.d.ts)
 * and remembers answers per pair of types, since wide tables repeat the same change many times.
 */
import { parseAsJsonSet } from 'json-schema-diff/dist/json-schema-diff/diff-schemas/parse-as-json-set.js';
import { type GlueType, normalizeNames, printGlueType } from '../schema/glue-type.js';
import { nullableJsonSchema } from '../schema/type-families.js';

/** json-schema-diff's own default parse context. */
const CONTEXT = { heuristics: { applyLawOfAbsorptionInTypeSetCartesianProduct: true } } as const;
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, boolean>();

/** True when some value of `before` is not a value of `after` (json-schema-diff's "removals found"). */
export function loosesValues(before: GlueType, after: GlueType): boolean {
  // Field names match regardless of case (as in the diff), so compare the lower-cased types.
  const [from, to] = [normalizeNames(before), normalizeNames(after)];
  const key = `${printGlueType(from)}\n${printGlueType(to)}`;
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const source = parseAsJsonSet(nullableJsonSchema(from), CONTEXT);
  const destination = parseAsJsonSet(nullableJsonSchema(to), CONTEXT);
  const removed = source.intersect(destination).complement().intersect(source);
  const answer = removed.type !== 'empty';
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(key, answer);
  return answer;
}

/** Forgets remembered answers (benchmarks measure the cold path with this). */
export function forgetValueSets(): void {
  remembered.clear();
}
