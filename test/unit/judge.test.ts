import { describe, expect, it } from 'vitest';
import { type Contract, contractFromFile, contractToFile } from '../../functions/core/contracts/contract.js';
import { checkHistory } from '../../functions/core/contracts/contract-check.js';
import type { ContractHistory } from '../../functions/core/contracts/contract-repository.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { InputErrors } from '../../functions/core/errors.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import { judge } from '../../functions/core/judging/judge.js';
import { parseGlueTableDocument, type TableSchema } from '../../functions/core/schema/table-schema.js';
import { tableDocument } from '../support/fixtures.js';
import { restoreRefusal } from '../../functions/core/incidents/policy.js';

function schema(columns: readonly [string, string][], format: TableSchema['storage']['format'] = 'parquet'): TableSchema {
  return {
    database: 'db',
    name: 't',
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
    owners: ['team'],
    approval: { reviewer: 'a', approvedAt: '2026-01-01T00:00:00Z', reason: 'r', acknowledges: [] },
    schema: s,
    ...overrides,
  };
}

const history = (...contracts: Contract[]): ContractHistory => ({
  database: 'db',
  table: 't',
  directory: '/contracts/db/t',
  versions: contracts.map((c) => ({ file: `/contracts/db/t/v${c.version}.json`, contract: c })),
});

describe('Judging: regressions found in review', () => {
  it('a struct field whose name changes only in case, plus a field added, is allowed (no value-set false alarm)', () => {
    const judgement = judge(contract(schema([['s', 'array<struct<userName:string>>']])), schema([['s', 'array<struct<username:string,arn:string>>']]));
    expect(judgement.verdict).toBe('allowed');
    expect(judgement.findings.map((f) => f.ruleId)).toEqual(['FIELD_ADDED_AT_END']);
  });

  it('recognises a Hudi table by its InputFormat even without a provider parameter (never rolled back)', () => {
    const document = tableDocument('hudi-glue-sync.json');
    const parameters = document.Table.Parameters;
    if (typeof parameters === 'object' && parameters !== null) delete (parameters as Record<string, unknown>)['spark.sql.sources.provider'];
    const table = parseGlueTableDocument('hudi.json', document);
    expect(table.schema.storage.format).toBe('hudi');
    expect(restoreRefusal(table.schema.storage.format)).toEqual({ code: 'data-pointer-format', format: 'hudi' });
  });

  it('snapshot judges against the active version, not a rejected one after it', () => {
    const v1 = contract(schema([['a', 'int'], ['b', 'int']]));
    const v2 = contract(schema([['a', 'int']]), { version: 2, status: 'rejected' });
    const table = { schema: schema([['a', 'int']]) };
    const next = nextContractVersion(history(v1, v2), table, { reviewer: 'bob', reason: 'b is gone', approvedAt: new Date('2026-11-21T00:00:00Z') });
    const created = next.outcome === 'created' ? next.contract : undefined;
    expect(created?.version).toBe(3);
    expect(created?.approval?.acknowledges).toEqual([{ ruleId: 'COLUMN_REMOVED', path: 'columns.b' }]);
  });

  it('snapshot writes a new version when only the terms change', () => {
    const v1 = contract(schema([['a', 'int']]));
    const table = { schema: v1.schema };
    const next = nextContractVersion(history(v1), table, { reviewer: 'bob', reason: 'tighten', approvedAt: new Date() }, { compatibility: 'strict' });
    expect(next.outcome === 'created' ? next.contract.compatibility : next.outcome).toBe('strict');
  });

  it('check does not let an observe-mode predecessor waive the acknowledgement of a breaking step', () => {
    const v1 = contract(schema([['a', 'int'], ['b', 'int']]), { compatibility: 'observe' });
    const v2 = contract(schema([['a', 'int']]), { version: 2 });
    const result = checkHistory(history(v1, v2));
    expect(result.ok).toBe(false);
    expect(result.steps[0]?.unacknowledged.map((f) => f.ruleId)).toEqual(['COLUMN_REMOVED']);
  });

  it('a contract type written in a non-canonical spelling is rejected with the spelling to use', () => {
    const file = contractToFile(contract(schema([['a', 'decimal(10,2)']])));
    const document = JSON.parse(JSON.stringify(file).replace('"x-glue-type":"decimal(10,2)"', '"x-glue-type":"DECIMAL(10, 2)"')) as unknown;
    let messages: string[] = [];
    try {
      contractFromFile('v1.json', document);
    } catch (error) {
      if (error instanceof InputErrors) messages = error.errors.map((e) => e.message);
    }
    expect(messages).toEqual(['v1.json: properties["a"].x-glue-type: the canonical spelling "decimal(10,2)" (found "DECIMAL(10, 2)")']);
  });
});
