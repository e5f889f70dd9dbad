import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractLineFor, lineOfKey } from '../../functions/core/contracts/contract-lines.js';
import { named, section } from '../../functions/core/schema/path.js';
import { ROOT } from '../support/cli.js';

const TEXT = [
  '{', //                                   1
  '  "x-version": 2,', //                   2
  '  "x-dependent-workflows": ["a", "b"],', // 3
  '  "x-storage": {', //                    4
  '    "format": "parquet",', //            5
  '    "serdeParameters": {', //            6
  '      "serialization.format": "1"', //  7
  '    }', //                               8
  '  },', //                                9
  '  "nested": { "properties": { "amount": 1 } },', // 10
  '  "properties": {', //                   11
  '    "order_id": { "x-glue-type": "bigint", "x-position": 0 },', // 12
  '    "we\\"ird": { "x-glue-type": "string" },', // 13
  '    "amount": {', //                     14
  '      "x-glue-type": "decimal(10,2)"', // 15
  '    }', //                               16
  '  }', //                                 17
  '}', //                                   18
].join('\n');

describe('lineOfKey: the line of a JSON key', () => {
  it('finds top-level and nested keys by their full path, not by name alone', () => {
    expect(lineOfKey(TEXT, ['x-version'])).toBe(2);
    expect(lineOfKey(TEXT, ['x-storage', 'serdeParameters', 'serialization.format'])).toBe(7);
    expect(lineOfKey(TEXT, ['properties', 'amount'])).toBe(14);
    expect(lineOfKey(TEXT, ['nested', 'properties', 'amount'])).toBe(10);
    expect(lineOfKey(TEXT, ['properties', 'we"ird'])).toBe(13);
  });

  it('is undefined for a key the document does not have', () => {
    expect(lineOfKey(TEXT, ['properties', 'gone'])).toBeUndefined();
    expect(lineOfKey(TEXT, ['amount'])).toBeUndefined();
    expect(lineOfKey(TEXT, [])).toBeUndefined();
    expect(lineOfKey('{"a": "unterminated', ['b'])).toBeUndefined();
  });
});

describe('contractLineFor: where a finding points in a contract', () => {
  it('a column (or a field inside it) points at the column key; a removed one at "properties"', () => {
    expect(contractLineFor(TEXT, [section('columns'), named('amount')])).toBe(14);
    expect(contractLineFor(TEXT, [section('columns'), named('amount'), { kind: 'element' }, named('price')])).toBe(14);
    expect(contractLineFor(TEXT, [section('partitionKeys'), named('gone')])).toBe(11);
  });

  it('storage properties point into x-storage; what the file does not record falls back to line 1', () => {
    expect(contractLineFor(TEXT, [section('storage'), named('format')])).toBe(5);
    expect(contractLineFor(TEXT, [section('storage'), named('serdeParameters'), named('serialization.format')])).toBe(7);
    expect(contractLineFor(TEXT, [section('storage'), named('location')])).toBe(4);
    expect(contractLineFor(TEXT, [section('table'), named('type')])).toBe(1);
  });

  it('agrees with the shipped contract file, line by line', async () => {
    const file = join(ROOT, 'contracts', 'sales', 'orders', 'v1.json');
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const line = contractLineFor(text, [section('columns'), named('customer_id')]);
    expect(lines[line - 1]?.trim()).toBe('"customer_id": {');
    const format = contractLineFor(text, [section('storage'), named('format')]);
    expect(lines[format - 1]?.trim()).toBe('"format": "parquet",');
    const tableType = contractLineFor(text, [section('table'), named('type')]);
    expect(lines[tableType - 1]?.trim()).toBe('"x-table-type": "EXTERNAL_TABLE",');
  });
});
