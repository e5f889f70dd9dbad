/**
 * Findings in words and as JSON (functions/core/wording/findings.ts): the CLI's report and `--json` output, which
 * the README documents. In-process here; the CLI tests run the same code in a child process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { type Judgement, judge } from '../../functions/core/judging/judge.js';
import { ruleById } from '../../functions/core/judging/rules.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import { type TableSchema, parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { renderJudgementText } from '../../functions/core/wording/cli.js';
import { findingToJson } from '../../functions/core/wording/findings.js';

function schema(columns: readonly [string, string][], format: TableSchema['storage']['format'] = 'parquet'): TableSchema {
  return {
    database: 'sales',
    name: 'orders',
    columns: columns.map(([name, type]) => ({ name, type: parseGlueType(type) })),
    partitionKeys: [],
    storage: { format, serdeParameters: {} },
    parameters: {},
  };
}

function contract(s: TableSchema, overrides: Partial<Contract> = {}): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility: 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: [],
    owners: ['team-sales-data'],
    approval: { reviewer: 'maria.santos', approvedAt: '2026-01-01T00:00:00Z', reason: 'baseline', acknowledges: [] },
    schema: s,
    ...overrides,
  };
}

/** Judges a rule fixture's current.json against a contract made from its previous.json. */
function judgeRuleFixture(dir: string): Judgement {
  const table = (file: string): TableSchema => {
    const path = new URL(`../fixtures/rules/${dir}/${file}`, import.meta.url);
    return parseGlueTableDocument(path.pathname, JSON.parse(readFileSync(path, 'utf8'))).schema;
  };
  return judge(contract(table('previous.json')), table('current.json'));
}

const ORDERS = schema([['order_id', 'bigint'], ['amount', 'decimal(10,2)'], ['currency', 'string']]);

describe('Findings: the readable report', () => {
  it('gives the verdict line, then per finding its mark, severity, rule and message, and its path and reason', () => {
    // Prepare / Act
    const judgement = judge(contract(ORDERS), schema([['order_id', 'bigint'], ['amount', 'string']]));
    const text = renderJudgementText('sales.orders against contract v1', judgement);

    // Assess
    expect(text.split('\n')).toEqual([
      'sales.orders against contract v1: BREAKING (consumer-safe contract, parquet table)',
      '  ✖ breaking TYPE_CHANGED  Column `amount` changed type decimal(10,2) → string',
      `      columns.amount — ${ruleById('TYPE_CHANGED').purpose}`,
      '  ✖ breaking COLUMN_REMOVED  Column `currency` (string) removed',
      `      columns.currency — ${ruleById('COLUMN_REMOVED').purpose}`,
    ]);
  });

  it('says when an observe contract only reports breaking findings, and when there is no difference at all', () => {
    const observed = judge(contract(ORDERS, { compatibility: 'observe' }), schema([['order_id', 'bigint'], ['amount', 'decimal(10,2)']]));
    const same = judge(contract(ORDERS), ORDERS);

    expect(renderJudgementText('t', observed).split('\n').slice(0, 3)).toEqual([
      't: ALLOWED (observe contract, parquet table)',
      '  observe mode: the breaking findings below are reported, not enforced',
      '  ✖ breaking COLUMN_REMOVED  Column `currency` (string) removed',
    ]);
    expect(renderJudgementText('t', same)).toBe('t: COMPLIANT (consumer-safe contract, parquet table)\n  no schema difference');
  });
});

describe('Findings: JSON (`drift-guard diff --json`)', () => {
  it('carries printed types for a type change, a removed and an added column', () => {
    const judgement = judge(contract(ORDERS), schema([['order_id', 'bigint'], ['amount', 'string'], ['currency', 'string'], ['items', 'array<struct<sku:string>>']]));

    expect(judgement.findings.map(findingToJson)).toEqual([
      {
        ruleId: 'TYPE_CHANGED',
        severity: 'breaking',
        path: 'columns.amount',
        kind: 'updated',
        before: 'decimal(10,2)',
        after: 'string',
        message: 'Column `amount` changed type decimal(10,2) → string',
        reason: ruleById('TYPE_CHANGED').purpose,
      },
      {
        ruleId: 'COLUMN_ADDED_AT_END',
        severity: 'info',
        path: 'columns.items',
        kind: 'added',
        after: 'array<struct<sku:string>>',
        message: 'Column `items` (array<struct<sku:string>>) added at the end',
        reason: ruleById('COLUMN_ADDED_AT_END').purpose,
      },
    ]);
    const removed = judge(contract(ORDERS), schema([['order_id', 'bigint'], ['amount', 'decimal(10,2)']])).findings.map(findingToJson);
    expect(removed).toMatchObject([{ ruleId: 'COLUMN_REMOVED', kind: 'removed', before: 'string' }]);
    expect(removed[0]).not.toHaveProperty('after');
  });

  it('gives positions from 1 for a move, and both names for a rename', () => {
    const moved = judge(contract(schema([['a', 'int'], ['b', 'string']], 'csv')), schema([['b', 'string'], ['a', 'int']], 'csv'));

    expect(moved.findings.map(findingToJson)).toMatchObject([
      { ruleId: 'COLUMN_MOVED_POSITIONAL_FORMAT', kind: 'moved', before: '1', after: '2', message: 'Column `a` moved from position 1 to 2' },
    ]);
    expect(judgeRuleFixture('partition-key-renamed').findings.map(findingToJson)).toMatchObject([
      { ruleId: 'PARTITION_KEY_RENAMED', kind: 'renamed', before: 'partition_0', after: 'dt', message: 'Partition key `partition_0` renamed to `dt`' },
    ]);
  });

  it('keeps property values raw in before/after and quoted in the message, an empty value included', () => {
    expect(judgeRuleFixture('location-changed').findings.map(findingToJson)).toMatchObject([
      {
        ruleId: 'LOCATION_CHANGED',
        kind: 'updated',
        before: 's3://example-curated-bucket/sales/orders/',
        after: 's3://example-curated-bucket/sales/orders_v2/',
        message: 'Location changed "s3://example-curated-bucket/sales/orders/" → "s3://example-curated-bucket/sales/orders_v2/"',
      },
    ]);
    const serde = judgeRuleFixture('serde-parameter-changed').findings.map(findingToJson);
    expect(serde).toMatchObject([{ ruleId: 'SERDE_PARAMETER_CHANGED', kind: 'added', after: '', message: 'SerDe parameter `serialization.null.format` set to ""' }]);
    expect(serde[0]).not.toHaveProperty('before');
  });

  it('names a nested comment, a table parameter and the table type in words', () => {
    const messages = ['comment-changed-field', 'table-parameter-changed', 'table-type-changed'].flatMap((dir) =>
      judgeRuleFixture(dir).findings.map((finding) => findingToJson(finding).message),
    );

    expect(messages).toEqual([
      'Comment on `shipping_address.street` set to "first address line"',
      'Table parameter `parquet.compression` set to "SNAPPY"',
      'Table type changed "EXTERNAL_TABLE" → "MANAGED_TABLE"',
    ]);
  });
});
