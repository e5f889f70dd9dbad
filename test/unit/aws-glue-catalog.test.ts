/**
 * The Glue catalog adapter against a mocked GlueClient: not-found handling, version paging and numeric order,
 * the allow-list TableInput, the VersionId lock and the typed errors.
 */
import {
  AccessDeniedException,
  ConcurrentModificationException,
  EntityNotFoundException,
  GetCrawlerCommand,
  GetTableCommand,
  GetTableVersionCommand,
  GetTableVersionsCommand,
  GlueClient,
  UpdateTableCommand,
  type Table,
  type TableVersion,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAccessDeniedError, AwsCallError, UnexpectedResponseError } from '../../functions/aws/errors.js';
import { createGlueCatalog, tableInputFromTable } from '../../functions/aws/glue-catalog.js';
import { RestoreConflictError } from '../../functions/core/ports.js';

const glue = new GlueClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const glueMock = mockClient(glue);
const catalog = createGlueCatalog({ client: glue });

const ALLOW_LIST = [
  'Name',
  'Description',
  'Owner',
  'LastAccessTime',
  'LastAnalyzedTime',
  'Retention',
  'StorageDescriptor',
  'PartitionKeys',
  'ViewOriginalText',
  'ViewExpandedText',
  'TableType',
  'Parameters',
  'TargetTable',
  'ViewDefinition',
];

const READ_ONLY = [
  'DatabaseName',
  'CreateTime',
  'UpdateTime',
  'CreatedBy',
  'IsRegisteredWithLakeFormation',
  'CatalogId',
  'VersionId',
  'FederatedTable',
  'IsMultiDialectView',
  'IsMaterializedView',
  'IcebergTableMetadata',
  'Status',
];

function table(versionId: string, columns: readonly string[] = ['id']): Table {
  return {
    Name: 'orders',
    DatabaseName: 'sales',
    VersionId: versionId,
    StorageDescriptor: { Columns: columns.map((Name) => ({ Name, Type: 'bigint' })), Location: 's3://sales/orders/' },
    Parameters: { classification: 'parquet' },
  };
}

function version(id: string): TableVersion {
  return { VersionId: id, Table: table(id) };
}

/** A Table carrying every field Glue returns, writable or not. */
function fullTable(): Table {
  const at = new Date('2024-05-01T10:00:00Z');
  return {
    Name: 'orders',
    DatabaseName: 'sales',
    Description: 'orders, one row per order',
    Owner: 'sales-team',
    CreateTime: at,
    UpdateTime: at,
    LastAccessTime: at,
    LastAnalyzedTime: at,
    Retention: 0,
    StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: 's3://sales/orders/' },
    PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    ViewOriginalText: '',
    ViewExpandedText: '',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', 'drift-guard:restored-from': 'old' },
    CreatedBy: 'arn:aws:iam::123456789012:user/someone',
    IsRegisteredWithLakeFormation: false,
    TargetTable: { CatalogId: '123456789012', DatabaseName: 'other', Name: 'orders' },
    CatalogId: '123456789012',
    VersionId: '7',
    FederatedTable: { Identifier: 'x', DatabaseIdentifier: 'y', ConnectionName: 'z' },
    ViewDefinition: {
      IsProtected: true,
      Definer: 'arn:aws:iam::123456789012:role/definer',
      ViewVersionId: 3,
      ViewVersionToken: 'token',
      LastRefreshType: 'FULL',
      SubObjects: ['arn:aws:glue:us-east-1:123456789012:table/sales/raw'],
      SubObjectVersionIds: [4],
      Representations: [{ Dialect: 'ATHENA', DialectVersion: '3', ViewOriginalText: 'SELECT 1', ViewExpandedText: 'SELECT 1', IsStale: false }],
    },
    IsMultiDialectView: true,
    IsMaterializedView: false,
    IcebergTableMetadata: {},
    Status: { State: 'SUCCESS' },
  };
}

function sentTableInput(): Record<string, unknown> {
  const calls = glueMock.commandCalls(UpdateTableCommand);
  expect(calls).toHaveLength(1);
  return { ...calls[0]?.args[0].input.TableInput };
}

beforeEach(() => {
  glueMock.reset();
});

describe('GlueCatalog.getTable', () => {
  it('returns the table with its VersionId, the document being the Glue Table itself', async () => {
    // Prepare
    const current = table('4');
    glueMock.on(GetTableCommand, { DatabaseName: 'sales', Name: 'orders' }).resolves({ Table: current });

    // Act
    const stored = await catalog.getTable('sales', 'orders');

    // Assess
    expect(stored).toEqual({ versionId: '4', document: current, table: current });
    expect(stored?.document).toBe(stored?.table);
  });

  it('returns undefined when the table or its database does not exist', async () => {
    // Prepare
    glueMock.on(GetTableCommand).rejects(new EntityNotFoundException({ message: 'Database sales not found.', $metadata: {} }));

    // Act
    const stored = await catalog.getTable('sales', 'orders');

    // Assess
    expect(stored).toBeUndefined();
  });

  it('refuses a Table without VersionId', async () => {
    // Prepare
    const withoutVersion: Table = { ...table('1'), VersionId: undefined };
    glueMock.on(GetTableCommand).resolves({ Table: withoutVersion });

    // Act
    const result = catalog.getTable('sales', 'orders');

    // Assess
    await expect(result).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(result).rejects.toThrow('glue:GetTable: unexpected response');
  });

  it('names the action when access is denied', async () => {
    // Prepare
    glueMock.on(GetTableCommand).rejects(new AccessDeniedException({ message: 'User is not authorized', $metadata: {} }));

    // Act
    const error: unknown = await catalog.getTable('sales', 'orders').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({ action: 'glue:GetTable', code: 'AccessDeniedException' });
    expect(error).toHaveProperty('cause', expect.any(AccessDeniedException));
    expect(String(error)).toContain('"glue:GetTable"');
  });
});

describe('GlueCatalog.getVersion', () => {
  it('reads one version by id (GetTableVersion)', async () => {
    glueMock.on(GetTableVersionCommand).resolves({ TableVersion: version('7') });

    const found = await catalog.getVersion('sales', 'orders', '7');

    expect(found?.versionId).toBe('7');
    expect(found?.document).toBe(found?.table);
    expect(glueMock).toHaveReceivedCommandWith(GetTableVersionCommand, { DatabaseName: 'sales', TableName: 'orders', VersionId: '7' });
    expect(glueMock).toHaveReceivedCommandTimes(GetTableVersionsCommand, 0);
  });

  it('a version Glue does not have (deleted, or the table is gone) is undefined', async () => {
    glueMock.on(GetTableVersionCommand).rejects(new EntityNotFoundException({ message: 'Version 7 of table orders not found.', $metadata: {} }));
    expect(await catalog.getVersion('sales', 'orders', '7')).toBeUndefined();
  });

  it('any other failure names the action', async () => {
    glueMock.on(GetTableVersionCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    await expect(catalog.getVersion('sales', 'orders', '7')).rejects.toThrow(/glue:GetTableVersion/);
  });

  it('an answer without its Table is an unexpected response', async () => {
    glueMock.on(GetTableVersionCommand).resolves({ TableVersion: { VersionId: '7' } });
    await expect(catalog.getVersion('sales', 'orders', '7')).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe('GlueCatalog.listVersions', () => {
  it('reads every page with MaxResults 100 and sorts numerically, newest first', async () => {
    // Prepare
    glueMock
      .on(GetTableVersionsCommand)
      .resolvesOnce({ TableVersions: [version('10'), version('2'), version('7')], NextToken: 'page-2' })
      .resolvesOnce({ TableVersions: [version('1'), version('12')], NextToken: 'page-3' })
      .resolvesOnce({ TableVersions: [version('3'), version('9')] });

    // Act
    const versions = await catalog.listVersions('sales', 'orders');

    // Assess
    expect(versions.map((v) => v.versionId)).toEqual(['12', '10', '9', '7', '3', '2', '1']);
    expect(glueMock).toHaveReceivedCommandTimes(GetTableVersionsCommand, 3);
    expect(glueMock).toHaveReceivedCommandWith(GetTableVersionsCommand, { DatabaseName: 'sales', TableName: 'orders', MaxResults: 100 });
    expect(versions[0]?.document).toBe(versions[0]?.table);
  });

  it('orders VersionIds beyond Number precision correctly', async () => {
    // Prepare
    glueMock.on(GetTableVersionsCommand).resolves({ TableVersions: [version('9007199254740993'), version('9007199254740992'), version('99')] });

    // Act
    const versions = await catalog.listVersions('sales', 'orders');

    // Assess
    expect(versions.map((v) => v.versionId)).toEqual(['9007199254740993', '9007199254740992', '99']);
  });

  it('returns no versions when the table does not exist', async () => {
    // Prepare
    glueMock.on(GetTableVersionsCommand).rejects(new EntityNotFoundException({ message: 'Table orders not found.', $metadata: {} }));

    // Act
    const versions = await catalog.listVersions('sales', 'orders');

    // Assess
    expect(versions).toEqual([]);
  });
});

describe('GlueCatalog.restore', () => {
  it('writes a Table document core built (the contract applied to the current table), not only a stored version', async () => {
    glueMock.on(UpdateTableCommand).resolves({});
    const built = { Name: 'orders', DatabaseName: 'sales', VersionId: '9', Owner: 'etl', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] } };

    await catalog.restore('sales', 'orders', { versionId: '9', document: built }, '9', { 'drift-guard:incident': 'inc-1' });

    expect(glueMock).toHaveReceivedCommandWith(UpdateTableCommand, {
      DatabaseName: 'sales',
      VersionId: '9',
      TableInput: { Name: 'orders', Owner: 'etl', StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }] }, Parameters: { 'drift-guard:incident': 'inc-1' } },
    });
  });

  it('refuses a document that is not a Glue Table, writing nothing', async () => {
    await expect(catalog.restore('sales', 'orders', { versionId: '9', document: ['not', 'a', 'table'] }, '9', {})).rejects.toThrow(/not a Glue Table/);
    expect(glueMock).toHaveReceivedCommandTimes(UpdateTableCommand, 0);
  });

  it('writes an allow-list TableInput: no read-only field, annotations merged into Parameters', async () => {
    // Prepare
    glueMock.on(UpdateTableCommand).resolves({});
    const source = fullTable();

    // Act
    await catalog.restore('sales', 'orders', { versionId: '7', document: source }, '9', {
      'drift-guard:incident': 'inc-1',
      'drift-guard:restored-from': '7',
    });

    // Assess
    const input = sentTableInput();
    expect(Object.keys(input).sort()).toEqual([...ALLOW_LIST].sort());
    for (const field of READ_ONLY) expect(input).not.toHaveProperty(field);
    expect(input['Parameters']).toEqual({ classification: 'parquet', 'drift-guard:incident': 'inc-1', 'drift-guard:restored-from': '7' });
    expect(input['StorageDescriptor']).toEqual(source.StorageDescriptor);
    expect(glueMock).toHaveReceivedCommandWith(UpdateTableCommand, { DatabaseName: 'sales', VersionId: '9' });
  });

  it('maps ViewDefinition to ViewDefinitionInput without its read-only and snapshot fields', () => {
    // Prepare
    const source = fullTable();

    // Act
    const input = tableInputFromTable(source);

    // Assess
    expect(input.ViewDefinition).toEqual({
      IsProtected: true,
      Definer: 'arn:aws:iam::123456789012:role/definer',
      SubObjects: ['arn:aws:glue:us-east-1:123456789012:table/sales/raw'],
      Representations: [{ Dialect: 'ATHENA', DialectVersion: '3', ViewOriginalText: 'SELECT 1', ViewExpandedText: 'SELECT 1' }],
    });
  });

  it('copies only the fields the source has', () => {
    // Prepare
    const source: Table = { Name: 'orders', DatabaseName: 'sales', VersionId: '1', CreateTime: new Date(0) };

    // Act
    const input = tableInputFromTable(source);

    // Assess
    expect(Object.keys(input)).toEqual(['Name']);
  });

  it('turns a stale VersionId (ConcurrentModificationException) into RestoreConflictError with the cause', async () => {
    // Prepare
    const cause = new ConcurrentModificationException({ message: 'Update table failed due to concurrent modifications', $metadata: {} });
    glueMock.on(UpdateTableCommand).rejects(cause);
    const source = table('3');

    // Act
    const error: unknown = await catalog
      .restore('sales', 'orders', { versionId: '3', document: source }, '5', {})
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RestoreConflictError);
    expect(error).toMatchObject({ database: 'sales', table: 'orders', expectedVersionId: '5', cause });
  });

  it('reports a missing glue:UpdateTable permission by name', async () => {
    // Prepare
    glueMock.on(UpdateTableCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: glue:UpdateTable', $metadata: {} }));
    const source = table('3');

    // Act
    const error: unknown = await catalog
      .restore('sales', 'orders', { versionId: '3', document: source }, '5', {})
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ action: 'glue:UpdateTable' });
    expect(String(error)).toMatch(/^AwsAccessDeniedError: glue:UpdateTable: access denied/);
  });

  it('refuses a version of another table', async () => {
    // Prepare
    const source: Table = { ...table('3'), Name: 'customers' };

    // Act
    const result = catalog.restore('sales', 'orders', { versionId: '3', document: source }, '5', {});

    // Assess
    await expect(result).rejects.toThrow('belongs to table customers');
    expect(glueMock).not.toHaveReceivedCommand(UpdateTableCommand);
  });
});

describe('GlueCatalog.crawlerDatabases', () => {
  it('lists the crawler database and its catalog targets once each', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand, { Name: 'raw-crawler' }).resolves({
      Crawler: {
        Name: 'raw-crawler',
        DatabaseName: 'raw',
        Targets: { CatalogTargets: [{ DatabaseName: 'sales', Tables: ['a'] }, { DatabaseName: 'raw', Tables: ['b'] }] },
      },
    });

    // Act
    const databases = await catalog.crawlerDatabases('raw-crawler');

    // Assess
    expect(databases).toEqual(['raw', 'sales']);
  });

  it('returns undefined for an unknown crawler', async () => {
    // Prepare
    glueMock.on(GetCrawlerCommand).rejects(new EntityNotFoundException({ message: 'Crawler entry with name x does not exist', $metadata: {} }));

    // Act
    const databases = await catalog.crawlerDatabases('x');

    // Assess
    expect(databases).toBeUndefined();
  });
});

describe('GlueCatalog.lookUpTable and Lake Formation', () => {
  const lakeFormationDenial = (): AccessDeniedException =>
    new AccessDeniedException({ message: 'Insufficient Lake Formation permission(s) on orders', $metadata: {} });

  it('tells a table that does not exist (EntityNotFoundException) from one the caller may not see (AccessDeniedException)', async () => {
    // Prepare
    glueMock.reset();
    glueMock.on(GetTableCommand, { Name: 'gone' }).rejects(new EntityNotFoundException({ message: 'Table gone not found.', $metadata: {} }));
    glueMock.on(GetTableCommand, { Name: 'orders' }).rejects(lakeFormationDenial());
    glueMock.on(GetTableCommand, { Name: 'late' }).resolves({ Table: { Name: 'late', DatabaseName: 'sales', VersionId: '3' } });

    // Act
    const gone = await catalog.lookUpTable('sales', 'gone');
    const hidden = await catalog.lookUpTable('sales', 'orders');
    const late = await catalog.lookUpTable('sales', 'late');

    // Assess
    expect(gone).toEqual({ kind: 'missing' });
    expect(hidden).toEqual({ kind: 'not-visible', reason: expect.stringContaining('access denied by Lake Formation') as unknown });
    expect(late).toMatchObject({ kind: 'found', table: { versionId: '3' } });
  });

  it('an access-denied error that names Lake Formation says grants are needed and where the README tells them', async () => {
    // Prepare
    glueMock.reset();
    glueMock.on(GetTableCommand).rejects(lakeFormationDenial());

    // Act
    const error: unknown = await catalog.getTable('sales', 'orders').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error).toMatchObject({
      action: 'glue:GetTable',
      message:
        'glue:GetTable: access denied by Lake Formation; the caller needs Lake Formation grants (DESCRIBE and ALTER on the guarded tables, or IAMAllowedPrincipals), see README "Lake Formation" (Insufficient Lake Formation permission(s) on orders)',
    });
  });

  it('a plain IAM denial still names the IAM action', async () => {
    // Prepare
    glueMock.reset();
    glueMock.on(GetTableCommand).rejects(new AccessDeniedException({ message: 'User is not authorized to perform: glue:GetTable', $metadata: {} }));

    // Act
    const error: unknown = await catalog.getTable('sales', 'orders').catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ message: expect.stringContaining('the caller\'s IAM policy must allow "glue:GetTable"') as unknown });
  });
});
