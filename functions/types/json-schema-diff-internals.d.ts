/**
 * Types for the part of json-schema-diff 1.0.0 (pinned exactly) that the guard calls directly: its
 * set engine. The public `diffSchemas` also re-validates both schemas with a fresh Ajv instance on
 * every call (~14 ms), which the guard does not need for schemas it generated itself.
 * test/unit/value-set.test.ts proves this path answers exactly as the public API does.
 */
declare module 'json-schema-diff/dist/json-schema-diff/diff-schemas/parse-as-json-set.js' {
  export interface JsonSet {
    readonly type: string;
    intersect(other: JsonSet): JsonSet;
    complement(): JsonSet;
  }
  export interface ParseContext {
    readonly heuristics: { readonly applyLawOfAbsorptionInTypeSetCartesianProduct: boolean };
  }
  export function parseAsJsonSet(schema: object | boolean, context: ParseContext): JsonSet;
}
