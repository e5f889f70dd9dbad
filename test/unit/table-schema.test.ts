import { describe, expect, it } from 'vitest';
import { InputErrors } from '../../functions/core/errors.js';
import { judge } from '../../functions/core/judging/judge.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { tableDocument, tableFixture, tableFixtureNames } from '../support/fixtures.js';
import { restoreRefusal } from '../../functions/core/incidents/policy.js';

const contractFor = (name: string) => ({ schema: tableFixture(name).schema, compatibility: 'consumer-safe' as const });

describe('Canonical table schema from real Glue tables', () => {
  it.each(tableFixtureNames())('%s: builds a schema judged compliant against itself', (name) => {
    // Prepare
    const table = tableFixture(name);
    // Act
    const judgement = judge(contractFor(name), table.schema);
    // Assess
    expect(judgement.verdict).toBe('compliant');
    expect(table.schema.columns.length + table.schema.partitionKeys.length).toBeGreaterThan(0);
  });

  it.each([
    ['crawler-parquet-nested.json', 'parquet'],
    ['crawler-orc.json', 'orc'],
    ['crawler-avro.json', 'avro'],
    ['crawler-json-openx.json', 'json'],
    ['athena-json-hcatalog.json', 'json'],
    ['crawler-csv-lazysimple.json', 'csv'],
    ['crawler-csv-opencsv.json', 'csv'],
    ['hive-tsv-lazysimple-tab.json', 'tsv'],
    ['athena-vpc-flow-logs-space-delim.json', 'text'],
    ['athena-alb-regexserde.json', 'text'],
    ['iceberg-java-glue-catalog.json', 'iceberg'],
    ['iceberg-rust-glue-catalog.json', 'iceberg'],
    ['delta-athena-created.json', 'delta'],
    ['hudi-glue-sync.json', 'hudi'],
  ])('%s is stored as %s', (name, format) => {
    expect(tableFixture(name).schema.storage.format).toBe(format);
  });

  it('marks open table formats, which must never be rolled back', () => {
    expect(restoreRefusal(tableFixture('iceberg-java-glue-catalog.json').schema.storage.format)).toEqual({ code: 'data-pointer-format', format: 'iceberg' });
    expect(restoreRefusal(tableFixture('crawler-parquet-nested.json').schema.storage.format)).toBeUndefined();
  });

  it('leaves out columns Iceberg marks as no longer current', () => {
    const document = tableDocument('iceberg-java-glue-catalog.json');
    const names = tableFixture('iceberg-java-glue-catalog.json').schema.columns.map((c) => c.name);
    const raw = JSON.stringify(document);
    expect(raw).toContain('"iceberg.field.current":"false"');
    expect(names.length).toBeLessThan((raw.match(/"iceberg.field.id"/g) ?? []).length);
  });

  it('accepts a bare Table (what the SDK returns) as well as {"Table": ...}', () => {
    const wrapped = tableDocument('crawler-orc.json');
    const bare = parseGlueTableDocument('bare.json', wrapped.Table);
    expect(bare.schema).toEqual(parseGlueTableDocument('wrapped.json', wrapped).schema);
  });

  it('judges a re-crawl that changes only bookkeeping as compliant', () => {
    // Prepare
    const document = tableDocument('crawler-csv-lazysimple.json');
    const table = document.Table;
    table.VersionId = '99';
    table.UpdateTime = '2026-11-21T03:00:00+00:00';
    table.Parameters = {
      ...(typeof table.Parameters === 'object' ? table.Parameters : {}),
      recordCount: '123456',
      averageRecordSize: '77',
      objectCount: '42',
      sizeKey: '9999999',
      UPDATED_BY_CRAWLER: 'another-crawler',
      CrawlerSchemaDeserializerVersion: '2.0',
      CrawlerSchemaSerializerVersion: '2.0',
    };
    // Act
    const judgement = judge(contractFor('crawler-csv-lazysimple.json'), parseGlueTableDocument('recrawl.json', document).schema);
    // Assess
    expect(judgement.verdict).toBe('compliant');
    expect(judgement.findings).toEqual([]);
  });

  describe('bad input', () => {
    const problems = (document: unknown): string[] => {
      try {
        parseGlueTableDocument('table.json', document);
      } catch (error) {
        if (error instanceof InputErrors) return error.errors.map((e) => e.message);
        throw error;
      }
      return [];
    };

    it('names the file, the column and the position of an unparseable type', () => {
      const document = tableDocument('crawler-orc.json');
      const sd = document.Table.StorageDescriptor;
      if (typeof sd !== 'object' || sd === null || !('Columns' in sd) || !Array.isArray(sd.Columns)) throw new Error('fixture shape');
      sd.Columns[1] = { Name: 'broken', Type: 'struct<a:int' };
      expect(problems(document)).toEqual([
        'table.json: Table.StorageDescriptor.Columns[1].Type: column `broken`: invalid type "struct<a:int" at position 12: expected "," or ">"',
      ]);
    });

    it('rejects a column without a type rather than judging it', () => {
      const document = tableDocument('crawler-orc.json');
      const sd = document.Table.StorageDescriptor;
      if (typeof sd !== 'object' || sd === null || !('Columns' in sd) || !Array.isArray(sd.Columns)) throw new Error('fixture shape');
      sd.Columns[0] = { Name: 'untyped' };
      expect(problems(document)[0]).toMatch(/^table\.json: Table\.StorageDescriptor\.Columns\[0\]\.Type: a column type string/);
    });

    it('rejects a document that is not a Glue table, naming the missing field', () => {
      expect(problems({ Table: { Name: 'orders' } })).toEqual([expect.stringMatching(/^table\.json: Table\.DatabaseName: /)]);
      expect(problems([1, 2])[0]).toMatch(/^table\.json: /);
    });

    it('rejects duplicate column names and a partition key that is also a column', () => {
      const document = tableDocument('crawler-csv-lazysimple.json');
      const sd = document.Table.StorageDescriptor;
      if (typeof sd !== 'object' || sd === null || !('Columns' in sd) || !Array.isArray(sd.Columns)) throw new Error('fixture shape');
      sd.Columns.push({ Name: 'VendorID'.toUpperCase(), Type: 'int' }, { Name: 'partition_0', Type: 'string' });
      const found = problems(document);
      expect(found.some((p) => p.includes('a unique column name'))).toBe(true);
      expect(found.some((p) => p.includes('partition key "partition_0" not also a column'))).toBe(true);
    });
  });
});
