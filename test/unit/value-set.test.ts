import fc from 'fast-check';
import jsonSchemaDiff from 'json-schema-diff';
import { describe, expect, it } from 'vitest';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import { nullableJsonSchema } from '../../functions/core/schema/type-families.js';
import { forgetValueSets, loosesValues } from '../../functions/core/judging/value-set.js';
import { glueType } from '../support/arbitraries.js';

/** The public API, with its per-call schema validation: the reference the fast path must match. */
async function publicRemovals(before: string, after: string): Promise<boolean> {
  const result = await jsonSchemaDiff.diffSchemas({
    sourceSchema: nullableJsonSchema(parseGlueType(before)),
    destinationSchema: nullableJsonSchema(parseGlueType(after)),
  });
  return result.removalsFound;
}

describe('Value-set cross-check (json-schema-diff)', () => {
  it.each([
    ['int', 'bigint', false],
    ['bigint', 'int', true],
    ['decimal(10,2)', 'decimal(12,2)', false],
    ['decimal(12,2)', 'decimal(10,2)', true],
    ['varchar(10)', 'string', false],
    ['string', 'varchar(10)', true],
    ['struct<a:int>', 'struct<a:int,b:string>', false],
    ['struct<a:int,b:string>', 'struct<a:int>', true],
    ['array<int>', 'array<bigint>', false],
    ['uniontype<int,string>', 'uniontype<int,string,double>', false],
  ])('%s → %s loses values: %s, exactly as the public API says', async (before, after, loses) => {
    forgetValueSets();
    expect(loosesValues(parseGlueType(before), parseGlueType(after))).toBe(loses);
    expect(await publicRemovals(before, after)).toBe(loses);
  });

  it('property: agrees with the public API on generated type pairs (which also validates our schemas as draft-07)', async () => {
    await fc.assert(
      fc.asyncProperty(glueType, glueType, async (a, b) => {
        const expected = (await jsonSchemaDiff.diffSchemas({ sourceSchema: nullableJsonSchema(a), destinationSchema: nullableJsonSchema(b) })).removalsFound;
        expect(loosesValues(a, b)).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });
});
