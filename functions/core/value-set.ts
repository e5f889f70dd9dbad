/**
 * The json-schema-diff cross-check: does every value the old column type accepted remain a value of
 * the new one? Uses json-schema-diff's set engine directly (see functions/types/json-schema-diff-internals.d.ts)
 * and remembers answers per pair of types, since wide tables repeat the same change many times.
 */
import { parseAsJsonSet } from 'json-schema-diff/dist/json-schema-diff/diff-schemas/parse-as-json-set.js';
import { type GlueType, printGlueType } from './glue-type.js';
import { nullableJsonSchema } from './type-families.js';

/** json-schema-diff's own default parse context. */
const CONTEXT = { heuristics: { applyLawOfAbsorptionInTypeSetCartesianProduct: true } } as const;
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, boolean>();

/** True when some value of `before` is not a value of `after` (json-schema-diff's "removals found"). */
export function loosesValues(before: GlueType, after: GlueType): boolean {
  const key = `${printGlueType(before)}\n${printGlueType(after)}`;
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const source = parseAsJsonSet(nullableJsonSchema(before), CONTEXT);
  const destination = parseAsJsonSet(nullableJsonSchema(after), CONTEXT);
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
