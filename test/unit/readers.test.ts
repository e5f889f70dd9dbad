/**
 * What readers read: the column matching a table declares, the Avro reader schema (parse, Hive types, schema
 * resolution), a view's SQL, the parameter registry, and contracts recording (and old contracts lacking) these facts.
 */
import { describe, expect, it } from 'vitest';
import { type Contract, contractFromFile, contractToFile } from '../../functions/core/contracts/contract.js';
import { contractAppliedDocument } from '../../functions/core/guard/contract-table.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { judge } from '../../functions/core/judging/judge.js';
import { judgePartition } from '../../functions/core/judging/partition-judge.js';
import { AvroSchemaError, hiveTypeText, parseAvroSchema, resolutionProblems } from '../../functions/core/schema/avro-schema.js';
import { PARAMETER_REGISTRY, parameterRole } from '../../functions/core/schema/parameters.js';
import { columnMatching } from '../../functions/core/schema/storage-format.js';
import { type TableSchema, parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { prestoViewColumns, viewDefinition } from '../../functions/core/schema/view-text.js';
import { InputErrors } from '../../functions/core/errors.js';
import { findingMessage } from '../../functions/core/wording/findings.js';
import { tableDocument } from '../support/fixtures.js';

const record = (fields: readonly object[]): string => JSON.stringify({ type: 'record', name: 'row', fields });

function contractOf(schema: TableSchema, compatibility: Contract['compatibility'] = 'consumer-safe'): Contract {
  const approval = { reviewer: 'test', approvedAt: '2026-12-01T07:00:00Z', reason: 'baseline', acknowledges: [] };
  return { version: 1, status: 'approved', compatibility, enforcement: 'enforce', dependentWorkflows: [], owners: ['test'], approval, schema };
}

/** The table's storage as a contract written before the Avro reader schema was recorded has it. */
function withoutAvroSchema(schema: TableSchema): TableSchema['storage'] {
  return Object.fromEntries(Object.entries(schema.storage).filter(([key]) => key !== 'avroSchema')) as TableSchema['storage'];
}

describe('column matching declared by the table', () => {
  it.each([
    ['parquet', {}, 'name'],
    ['parquet', { 'parquet.column.index.access': 'true' }, 'position'],
    ['parquet', { 'PARQUET.COLUMN.INDEX.ACCESS': 'TRUE' }, 'position'],
    ['parquet', { 'parquet.column.index.access': 'false' }, 'name'],
    ['hudi', { 'parquet.column.index.access': 'true' }, 'position'],
    ['orc', {}, 'position'],
    ['orc', { 'orc.column.index.access': 'true' }, 'position'],
    ['orc', { 'orc.column.index.access': 'false' }, 'name'],
    ['orc', { 'orc.column.index.access': 'maybe' }, 'position'],
    ['csv', { 'orc.column.index.access': 'false' }, 'position'],
    ['avro', {}, 'name'],
    ['unknown', {}, 'position'],
  ] as const)('%s with %j reads by %s', (format, serdeParameters, expected) => {
    expect(columnMatching({ format, serdeParameters })).toBe(expected);
  });

  it('a view is read by name whatever its (empty) storage says', () => {
    expect(columnMatching({ format: 'unknown', serdeParameters: {}, tableType: 'VIRTUAL_VIEW' })).toBe('name');
  });
});

describe('the Avro reader schema', () => {
  it('maps Avro types to the Hive types the AvroSerDe gives them', () => {
    const schema = parseAvroSchema(
      record([
        { name: 'a', type: ['null', 'long'], default: null },
        { name: 'b', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'c', type: { type: 'int', logicalType: 'date' } },
        { name: 'd', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'e', type: { type: 'enum', name: 'colour', symbols: ['RED', 'GREEN'] } },
        { name: 'f', type: { type: 'map', values: { type: 'array', items: 'string' } } },
        { name: 'g', type: { type: 'record', name: 'inner', fields: [{ name: 'x', type: 'float' }] } },
        { name: 'h', type: 'inner' },
        { name: 'i', type: ['int', 'string'] },
        { name: 'j', type: { type: 'fixed', name: 'md5', size: 16 } },
        { name: 'k', type: { type: 'string', logicalType: 'varchar', maxLength: 20 } },
      ]),
    );
    expect(schema.fields.map((f) => hiveTypeText(f.type))).toEqual([
      'bigint',
      'decimal(10,2)',
      'date',
      'timestamp',
      'string',
      'map<string,array<string>>',
      'struct<x:float>',
      'struct<x:float>',
      'uniontype<int,string>',
      'binary',
      'varchar(20)',
    ]);
  });

  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['not a record', '"string"', 'record schema'],
    ['an unknown named type', record([{ name: 'a', type: 'nowhere' }]), 'unknown type "nowhere"'],
    ['a recursive record', JSON.stringify({ type: 'record', name: 'node', fields: [{ name: 'next', type: ['null', 'node'] }] }), 'recursive'],
    ['a field twice (any case)', record([{ name: 'a', type: 'int' }, { name: 'A', type: 'int' }]), 'field "A" once'],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseAvroSchema(text)).toThrow(AvroSchemaError);
    expect(() => parseAvroSchema(text)).toThrow(message);
  });

  it('resolves files written with the old schema against the new one (Avro "Schema Resolution")', () => {
    const check = (writer: object[], reader: object[]) => resolutionProblems(parseAvroSchema(record(writer)), parseAvroSchema(record(reader))).map((p) => p.problem);
    // Promotions, removed writer fields and new fields with a default resolve.
    expect(check([{ name: 'a', type: 'int' }, { name: 'gone', type: 'string' }], [{ name: 'a', type: 'double' }, { name: 'b', type: ['null', 'int'], default: null }])).toEqual([]);
    expect(check([{ name: 's', type: 'string' }], [{ name: 's', type: 'bytes' }])).toEqual([]);
    // A new field without a default, a narrowing, a decimal precision change, an enum symbol dropped, a null no longer allowed.
    expect(check([], [{ name: 'b', type: 'int' }])).toEqual(['field-without-default']);
    expect(check([{ name: 'a', type: 'long' }], [{ name: 'a', type: 'int' }])).toEqual(['incompatible-type']);
    const decimal = (precision: number) => ({ type: 'bytes', logicalType: 'decimal', precision, scale: 2 });
    expect(check([{ name: 'p', type: decimal(10) }], [{ name: 'p', type: decimal(12) }])).toEqual(['incompatible-type']);
    const colour = (symbols: string[], extra: object = {}) => ({ type: 'enum', name: 'colour', symbols, ...extra });
    expect(check([{ name: 'c', type: colour(['RED', 'GREEN']) }], [{ name: 'c', type: colour(['RED']) }])).toEqual(['enum-symbols-removed']);
    expect(check([{ name: 'c', type: colour(['RED', 'GREEN']) }], [{ name: 'c', type: colour(['RED', 'OTHER'], { default: 'OTHER' }) }])).toEqual([]);
    expect(check([{ name: 'n', type: ['null', 'int'], default: null }], [{ name: 'n', type: 'int' }])).toEqual(['incompatible-type']);
    expect(check([{ name: 'n', type: 'int' }], [{ name: 'n', type: ['null', 'string'] }])).toEqual(['union-branch-unmatched']);
    // Nested records resolve field by field.
    const inner = (fields: object[]) => ({ type: 'record', name: 'inner', fields });
    expect(check([{ name: 'r', type: inner([]) }], [{ name: 'r', type: inner([{ name: 'x', type: 'int' }]) }])).toEqual(['field-without-default']);
  });

  it('a table with an unreadable literal is unreadable, not compliant', () => {
    const document = tableDocument('crawler-avro.json');
    const sd = document.Table.StorageDescriptor as { SerdeInfo: { Parameters: Record<string, string> } };
    sd.SerdeInfo.Parameters['avro.schema.literal'] = '{"type":"record","name":"x","fields":[{"name":"a"}]}';
    expect(() => parseGlueTableDocument('t', document)).toThrow(InputErrors);
  });

  it('"none" and an empty value declare no literal (Hive AvroSerDe)', () => {
    const document = tableDocument('crawler-avro.json');
    const sd = document.Table.StorageDescriptor as { SerdeInfo: { Parameters: Record<string, string> } };
    sd.SerdeInfo.Parameters['avro.schema.literal'] = 'none';
    const parameters = document.Table.Parameters as Record<string, string>;
    const tableLiteral = parameters['avro.schema.literal'];
    expect(parseGlueTableDocument('t', document).schema.storage.avroSchema).toBe(tableLiteral);
    parameters['avro.schema.literal'] = '';
    expect(parseGlueTableDocument('t', document).schema.storage.avroSchema).toBeUndefined();
  });

  it('an old contract without the literal still catches a literal-only change: the literal disagrees with the columns', () => {
    const before = parseGlueTableDocument('before', tableDocument('crawler-avro.json')).schema;
    const storage = withoutAvroSchema(before);
    const old = contractOf({ ...before, storage });
    const literal = JSON.parse(before.storage.avroSchema ?? '') as { fields: { name: string }[] };
    const after = { ...before, storage: { ...before.storage, avroSchema: JSON.stringify({ ...literal, fields: literal.fields.slice(1) }) } };
    // Nothing changed for the old contract when the literal agrees with the columns.
    expect(judge(old, before).verdict).toBe('compliant');
    const judgement = judge(old, after);
    expect(judgement.verdict).toBe('breaking');
    expect(judgement.findings.map((f) => [f.ruleId, f.path])).toEqual([['AVRO_SCHEMA_DISAGREES_WITH_COLUMNS', 'avroSchema.yr']]);
  });

  it('catalog columns that read a logical type as its underlying type agree with the literal (no false alarm)', () => {
    const before = parseGlueTableDocument('before', tableDocument('crawler-avro.json')).schema;
    const literal = record([
      { name: 'yr', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
    ]);
    const schema = (yr: string, day: string): TableSchema => ({
      ...before,
      columns: [
        { name: 'yr', type: { kind: 'primitive', name: yr === 'bigint' ? 'bigint' : 'timestamp' } },
        { name: 'day', type: { kind: 'primitive', name: day === 'int' ? 'int' : 'date' } },
      ],
      storage: { ...before.storage, avroSchema: literal },
    });
    const old = contractOf({ ...schema('timestamp', 'date'), storage: withoutAvroSchema(schema('timestamp', 'date')) });
    expect(judge(old, schema('bigint', 'int')).findings.map((f) => f.ruleId)).not.toContain('AVRO_SCHEMA_DISAGREES_WITH_COLUMNS');
    expect(judge(old, schema('timestamp', 'date')).findings.map((f) => f.ruleId)).not.toContain('AVRO_SCHEMA_DISAGREES_WITH_COLUMNS');
  });

  it('the literal dropped from an Avro table is a SerDe parameter removed (breaking)', () => {
    const before = parseGlueTableDocument('before', tableDocument('crawler-avro.json')).schema;
    const storage = withoutAvroSchema(before);
    const judgement = judge(contractOf(before), { ...before, storage });
    expect(judgement.findings.map((f) => [f.ruleId, f.path])).toEqual([['SERDE_PARAMETER_CHANGED', 'storage.serdeParameters.`avro.schema.literal`']]);
  });
});

describe('the words for reader findings', () => {
  it('says what readers see, in core/wording', () => {
    const before = parseGlueTableDocument('before', tableDocument('crawler-avro.json')).schema;
    const literal = JSON.parse(before.storage.avroSchema ?? '') as { fields: { name: string; type: unknown }[] };
    const fields = literal.fields.map((f) => (f.name === 'depdelay' ? { ...f, type: ['null', 'string'] } : f));
    const after = { ...before, storage: { ...before.storage, avroSchema: JSON.stringify({ ...literal, fields: [...fields, { name: 'arrdelay', type: 'int' }] }) } };
    const messages = judge(contractOf(before), after).findings.map(findingMessage);
    expect(messages).toContain('Avro reader schema field `depdelay`: a written int value matches no branch of union[null,string]');
    expect(messages).toContain('Avro reader schema field `arrdelay` has no default: files written before it existed cannot be read');
    expect(messages).toContain('Column `depdelay` is int in the table\'s columns but string in the Avro reader schema');
    expect(messages).toContain('Avro reader schema has column `arrdelay` (int) that the table\'s columns do not list');
  });
});

describe('partitions of an Avro table', () => {
  it("a partition without a literal of its own is read with the table's; one with a changed literal is judged by it", () => {
    const table = parseGlueTableDocument('avro', tableDocument('crawler-avro.json'));
    const contract = contractOf(table.schema);
    const sd = tableDocument('crawler-avro.json').Table.StorageDescriptor as { SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> } };
    const withoutLiteral = { ...sd, SerdeInfo: { ...sd.SerdeInfo, Parameters: { 'serialization.format': '1' } } };
    const ref = { database: table.schema.database, table: table.schema.name };
    expect(judgePartition(contract, ref, { Values: ['2024'], StorageDescriptor: withoutLiteral }).verdict).toBe('compliant');
    const changed = { ...sd, SerdeInfo: { ...sd.SerdeInfo, Parameters: { ...sd.SerdeInfo.Parameters, 'avro.schema.literal': record([{ name: 'yr', type: 'int' }]) } } };
    expect(judgePartition(contract, ref, { Values: ['2024'], StorageDescriptor: changed }).verdict).toBe('breaking');
  });
});

describe('views', () => {
  it('decodes an Athena/Presto view to its SQL (and scope); other text as stored', () => {
    const payload = Buffer.from(JSON.stringify({ originalSql: 'SELECT 1 AS x', catalog: 'awsdatacatalog', schema: 'web', columns: [] })).toString('base64');
    expect(viewDefinition(`/* Presto View: ${payload} */`)).toBe('SELECT 1 AS x -- in awsdatacatalog.web');
    expect(viewDefinition('SELECT a FROM t')).toBe('SELECT a FROM t');
    expect(viewDefinition('/* Presto View: !!! */')).toBe('/* Presto View: !!! */');
    expect(viewDefinition(undefined)).toBeUndefined();
  });

  it('reads the column names an Athena view stores; none from other text', () => {
    const payload = Buffer.from(JSON.stringify({ originalSql: 'SELECT 1 AS x', columns: [{ name: 'x', type: 'integer' }] })).toString('base64');
    expect(prestoViewColumns(`/* Presto View: ${payload} */`)).toEqual(['x']);
    expect(prestoViewColumns('SELECT 1 AS x')).toBeUndefined();
    const broken = Buffer.from(JSON.stringify({ originalSql: 'SELECT 1', columns: [{ type: 'integer' }] })).toString('base64');
    expect(prestoViewColumns(`/* Presto View: ${broken} */`)).toBeUndefined();
  });

  it('re-encoding the same view (same SQL, other JSON key order) is no change', () => {
    const before = parseGlueTableDocument('before', tableDocument('athena-view.json')).schema;
    const text = before.view?.originalText ?? '';
    const json = JSON.parse(Buffer.from(/Presto View: (.*) \*\//.exec(text)?.[1] ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(json).reverse());
    const after = { ...before, view: { ...before.view, originalText: `/* Presto View: ${Buffer.from(JSON.stringify(reordered)).toString('base64')} */` } };
    expect(judge(contractOf(before), after).verdict).toBe('compliant');
  });
});

describe('contracts record what readers read', () => {
  it('round-trips the Avro literal and the view text, and a restore writes them back', () => {
    for (const fixture of ['crawler-avro.json', 'athena-view.json', 'glue-multi-dialect-view.json']) {
      const table = parseGlueTableDocument(fixture, tableDocument(fixture));
      const contract = contractOf(table.schema);
      const file = contractToFile(contract);
      const loaded = contractFromFile('v1.json', JSON.parse(JSON.stringify(file)));
      expect(loaded.schema).toEqual(table.schema);
      expect(judge(loaded, table.schema).verdict).toBe('compliant');
    }
    const avro = parseGlueTableDocument('avro', tableDocument('crawler-avro.json'));
    const edited = tableDocument('crawler-avro.json').Table;
    (edited.StorageDescriptor as { SerdeInfo: { Parameters: Record<string, string> } }).SerdeInfo.Parameters['avro.schema.literal'] = record([{ name: 'yr', type: 'int' }]);
    const restored = contractAppliedDocument(contractOf(avro.schema), edited);
    expect(judge(contractOf(avro.schema), parseGlueTableDocument('restored', restored).schema).verdict).toBe('compliant');
  });

  it('snapshot writes a new version that records the literal when the active contract predates it; then nothing more', () => {
    const table = parseGlueTableDocument('avro', tableDocument('crawler-avro.json'));
    const old = contractOf({ ...table.schema, storage: withoutAvroSchema(table.schema) });
    const history = (contract: Contract) => ({ database: table.schema.database, table: table.schema.name, directory: 'contracts', versions: [{ file: 'v.json', contract }] });
    const approval = { reviewer: 'bob', reason: 'record the reader schema', approvedAt: new Date('2026-12-01T08:00:00Z') };
    const next = nextContractVersion(history(old), table, approval);
    expect(next.outcome).toBe('created');
    if (next.outcome !== 'created') return;
    expect(next.contract.schema.storage.avroSchema).toBe(table.schema.storage.avroSchema);
    expect(nextContractVersion(history(next.contract), table, approval).outcome).toBe('unchanged');
  });

  it('rejects the literal as a plain parameter, and drops crawler notes an older contract recorded', () => {
    const table = parseGlueTableDocument('csv', tableDocument('crawler-csv-opencsv.json'));
    const file = contractToFile(contractOf(table.schema));
    const older = { ...file, 'x-table-parameters': { ...file['x-table-parameters'], columnsOrdered: 'true', delimiter: ',' } };
    expect(contractFromFile('old.json', older).schema.parameters).toEqual(table.schema.parameters);
    const misplaced = { ...file, 'x-table-parameters': { 'avro.schema.literal': record([]) } };
    expect(() => contractFromFile('bad.json', misplaced)).toThrow(/x-storage\.avroSchema/);
  });
});

describe('the parameter registry', () => {
  it('gives every entry a reason, and sorts the crawler CSV notes as bookkeeping and skip.header.line.count as read', () => {
    expect(PARAMETER_REGISTRY.filter((p) => p.reason.length < 12).map((p) => p.name)).toEqual([]);
    for (const name of ['columnsOrdered', 'areColumnsQuoted', 'delimiter', 'connectionName', 'recordCount', 'serde.param.field.delim']) expect(parameterRole('table', name)).toBe('bookkeeping');
    expect(parameterRole('table', 'skip.header.line.count')).toBe('reader');
    expect(parameterRole('serde', 'orc.column.index.access')).toBe('reader');
    expect(parameterRole('serde', 'avro.schema.literal')).toBe('modelled');
  });
});
