/**
 * The local stack's GetPartitions Expression subset (infra/local/glue/partition-expression.ts): what it evaluates,
 * and that everything else is refused with InvalidInputException instead of being ignored.
 */
import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../infra/local/index.js';
import { compilePartitionExpression } from '../../infra/local/glue/partition-expression.js';

const KEYS = [
  { Name: 'year', Type: 'int' },
  { Name: 'Region', Type: 'string' },
  { Name: 'dt', Type: 'date' },
  { Name: 'rate', Type: 'decimal(4,2)' },
  { Name: 'flag', Type: 'boolean' },
];
const ROWS: readonly (readonly string[])[] = [
  ['2025', 'eu', '2025-12-31', '1.5', 'true'],
  ['2026', 'eu', '2026-01-01', '10.25', 'true'],
  ['2026', "o'hare", '2026-01-02', '2', 'false'],
  ['10000', 'us', '2026-01-03', '0.5', 'false'],
];

function matching(expression: string): string[] {
  const predicate = compilePartitionExpression(expression, KEYS);
  return ROWS.filter((row) => predicate(row)).map((row) => row.slice(0, 3).join('/'));
}

function refusal(expression: string): unknown {
  try {
    compilePartitionExpression(expression, KEYS);
  } catch (error: unknown) {
    return error;
  }
  return undefined;
}

describe('GetPartitions Expression (local stack subset)', () => {
  it('compares integer keys as numbers and other keys as strings', () => {
    expect(matching('year > 9000')).toEqual(['10000/us/2026-01-03']);
    expect(matching("dt >= '2026-01-02'")).toEqual(["2026/o'hare/2026-01-02", '10000/us/2026-01-03']);
    expect(matching("region = 'EU'")).toEqual([]);
  });

  it('matches key names case-insensitively, accepts back-quoted names and doubled quotes in literals', () => {
    expect(matching("REGION = 'o''hare'")).toEqual(["2026/o'hare/2026-01-02"]);
    expect(matching('`year` = 2025')).toEqual(['2025/eu/2025-12-31']);
  });

  it('binds AND tighter than OR, honours parentheses, IN and BETWEEN', () => {
    expect(matching("year = 2025 OR year = 2026 AND region = 'eu'")).toEqual(['2025/eu/2025-12-31', '2026/eu/2026-01-01']);
    expect(matching("(year = 2025 OR year = 2026) AND region <> 'eu'")).toEqual(["2026/o'hare/2026-01-02"]);
    expect(matching("region IN ('us', 'eu') AND year BETWEEN 2026 AND 20000")).toEqual(['2026/eu/2026-01-01', '10000/us/2026-01-03']);
  });

  it('LIKE (% and _, regex characters literal), prefix NOT, decimal keys, quoted literals on integer keys', () => {
    expect(matching("region LIKE 'e%'")).toEqual(['2025/eu/2025-12-31', '2026/eu/2026-01-01']);
    expect(matching("region LIKE 'o_hare' OR region LIKE 'u.'")).toEqual(["2026/o'hare/2026-01-02"]);
    expect(matching("NOT region = 'eu'")).toEqual(["2026/o'hare/2026-01-02", '10000/us/2026-01-03']);
    expect(matching("NOT (region = 'eu' OR year > 9000)")).toEqual(["2026/o'hare/2026-01-02"]);
    expect(matching('rate > 2')).toEqual(['2026/eu/2026-01-01']);
    expect(matching('rate <= 1.5')).toEqual(['2025/eu/2025-12-31', '10000/us/2026-01-03']);
    expect(matching("year > '2025' AND year < '2027'")).toEqual(['2026/eu/2026-01-01', "2026/o'hare/2026-01-02"]);
  });

  it.each([
    "region NOT LIKE 'e%'",
    "region NOT IN ('eu')",
    'region LIKE 5',
    "flag = 'true'",
    'region IS NULL',
    "unknown = 'x'",
    "region = 'open",
    'year = 20 25',
    "year = 'twenty'",
    'year = 2025.5',
    'year = region',
    '(year = 2025',
    'year = 2025)',
    "region != 'eu'",
    '',
    "upper(region) = 'EU'",
  ])('refuses %j with InvalidInputException', (expression) => {
    const error = refusal(expression);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ code: 'InvalidInputException' });
  });
});
