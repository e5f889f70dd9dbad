/**
 * Exported documents obey the ODCS v3.0.x JSON Schema's rules for every key drift-guard writes, restated here from
 * bitol-io/open-data-contract-standard schema/odcs-json-schema-v3.0.2.json (top level additionalProperties false,
 * SchemaObject / SchemaProperty unevaluatedProperties false, the logicalType enum, logicalTypeOptions per logical type
 * with additionalProperties false, CustomProperty {property, value}). Not the published schema itself: see README
 * "Known limitations".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractToOdcs } from '../../functions/core/contracts/odcs.js';
import { tableSchema } from '../support/arbitraries.js';

const customProperties = z.array(z.strictObject({ property: z.string(), value: z.unknown() }));

const base = {
  name: z.string().optional(),
  physicalType: z.string().optional(),
  description: z.string().optional(),
  partitioned: z.boolean().optional(),
  partitionKeyPosition: z.number().int().min(1).optional(),
  customProperties: customProperties.optional(),
};

type Property = { [key: string]: unknown };
const property: z.ZodType<Property> = z.lazy(() =>
  z.union([
    z.strictObject({ ...base, logicalType: z.undefined().optional() }),
    z.strictObject({ ...base, logicalType: z.literal('string'), logicalTypeOptions: z.strictObject({ minLength: z.number().int().min(0).optional(), maxLength: z.number().int().min(0).optional(), pattern: z.string().optional(), format: z.string().optional() }).optional() }),
    z.strictObject({ ...base, logicalType: z.literal('date'), logicalTypeOptions: z.strictObject({ format: z.string().optional() }).optional() }),
    z.strictObject({ ...base, logicalType: z.literal('integer'), logicalTypeOptions: z.strictObject({ format: z.enum(['i8', 'i16', 'i32', 'i64', 'i128', 'u8', 'u16', 'u32', 'u64', 'u128']).optional() }).optional() }),
    z.strictObject({ ...base, logicalType: z.literal('number'), logicalTypeOptions: z.strictObject({ format: z.enum(['f32', 'f64']).optional() }).optional() }),
    z.strictObject({ ...base, logicalType: z.literal('boolean') }),
    z.strictObject({ ...base, logicalType: z.literal('object'), properties: z.array(property).optional() }),
    z.strictObject({ ...base, logicalType: z.literal('array'), items: property.optional() }),
  ]),
);

const document = z.strictObject({
  apiVersion: z.enum(['v3.0.1', 'v3.0.0']),
  kind: z.literal('DataContract'),
  id: z.string(),
  name: z.string(),
  version: z.string(),
  status: z.string(),
  description: z.strictObject({ purpose: z.string() }).optional(),
  team: z.array(z.strictObject({ username: z.string(), role: z.string() })),
  schema: z.array(
    z.strictObject({
      name: z.string(),
      physicalName: z.string(),
      physicalType: z.string(),
      logicalType: z.literal('object'),
      description: z.string().optional(),
      properties: z.array(property),
      customProperties,
    }),
  ),
  customProperties,
  contractCreatedTs: z.iso.datetime().optional(),
});

describe('ODCS v3.0.x conformance of exported documents', () => {
  it('property: every export uses only keys, logical types and options the v3.0.x schema allows', () => {
    fc.assert(
      fc.property(tableSchema, (schema) => {
        const doc = JSON.parse(
          JSON.stringify(
            contractToOdcs({
              version: 2,
              status: 'approved',
              description: 'orders',
              compatibility: 'consumer-safe',
              enforcement: 'enforce',
              dependentWorkflows: [],
              owners: ['team'],
              approval: { reviewer: 'a', approvedAt: '2026-11-21T09:30:00.000Z', reason: 'r', acknowledges: [] },
              schema,
            }),
          ),
        ) as unknown;
        const result = document.safeParse(doc);
        expect(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the model is not vacuous: a map logicalType (3.2.0 only) or an unknown key is refused', () => {
    const ok = { apiVersion: 'v3.0.1', kind: 'DataContract', id: 'a', name: 'a', version: '1.0.0', status: 'approved', team: [], customProperties: [] };
    const object = (p: unknown) => ({ ...ok, schema: [{ name: 't', physicalName: 't', physicalType: 'table', logicalType: 'object', customProperties: [], properties: [p] }] });
    expect(document.safeParse(object({ name: 'c', logicalType: 'string' })).success).toBe(true);
    expect(document.safeParse(object({ name: 'c', logicalType: 'map' })).success).toBe(false);
    expect(document.safeParse(object({ name: 'c', logicalType: 'number', logicalTypeOptions: { precision: 10 } })).success).toBe(false);
    expect(document.safeParse({ ...ok, schema: [], extra: 1 }).success).toBe(false);
  });
});
