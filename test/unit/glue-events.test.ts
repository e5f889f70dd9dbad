/**
 * What each Glue event asks the guard to do (the work the executor is handed), one example per case. The parser's
 * properties (any malformed event is refused, naming the field) are test/fuzz/event-parser.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { InputErrors } from '../../functions/core/errors.js';
import { workFor } from '../../functions/core/guard/glue-events.js';
import { parseGlueEvent } from '../../functions/handlers/glue-event.js';
import { unwrapRedrive } from '../../functions/handlers/redrive.js';

function event(detailType: string, detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: 'c1b2a3d4-0000-4000-8000-000000000001',
    source: 'aws.glue',
    account: '111122223333',
    time: '2026-12-01T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    'detail-type': detailType,
    detail,
  };
}

const work = (detailType: string, detail: Record<string, unknown>) => workFor(parseGlueEvent(event(detailType, detail)));

describe('workFor', () => {
  it('a table change judges that table', () => {
    expect(work('Glue Data Catalog Table State Change', { databaseName: 'sales', tableName: 'orders', typeOfChange: 'UpdateTable' })).toEqual({
      kind: 'tables',
      tables: [{ database: 'sales', table: 'orders' }],
    });
  });

  it('a change type Glue may add later is judged too: missing a schema change costs more than a read', () => {
    expect(work('Glue Data Catalog Table State Change', { databaseName: 'sales', tableName: 'orders', typeOfChange: 'SomethingNew' }).kind).toBe('tables');
  });

  it('a partition write judges the partitions it names; a partition deletion (or a write naming none) is ignored', () => {
    for (const typeOfChange of ['CreatePartition', 'BatchCreatePartition', 'UpdatePartition', 'BatchUpdatePartition']) {
      const detail = { databaseName: 'sales', tableName: 'orders', typeOfChange, changedPartitions: ['[2026-12-01]'] };
      expect(work('Glue Data Catalog Table State Change', detail)).toEqual({ kind: 'partitions', table: { database: 'sales', table: 'orders' }, changedPartitions: ['[2026-12-01]'] });
    }
    for (const typeOfChange of ['DeletePartition', 'BatchDeletePartition']) {
      const detail = { databaseName: 'sales', tableName: 'orders', typeOfChange, changedPartitions: ['[2026-12-01]'] };
      expect(work('Glue Data Catalog Table State Change', detail).kind).toBe('ignore');
    }
    expect(work('Glue Data Catalog Table State Change', { databaseName: 'sales', tableName: 'orders', typeOfChange: 'CreatePartition' }).kind).toBe('ignore');
  });

  it('a database change creating tables judges each of them; other database changes are ignored', () => {
    expect(work('Glue Data Catalog Database State Change', { databaseName: 'sales', typeOfChange: 'CreateTable', changedTables: ['orders', 'refunds'] })).toEqual({
      kind: 'tables',
      tables: [
        { database: 'sales', table: 'orders' },
        { database: 'sales', table: 'refunds' },
      ],
    });
    expect(work('Glue Data Catalog Database State Change', { databaseName: 'sales', typeOfChange: 'DeleteTable', changedTables: ['orders'] }).kind).toBe('ignore');
  });

  it('a crawler that succeeded asks for its databases to be swept; one that started or failed is ignored', () => {
    expect(work('Glue Crawler State Change', { crawlerName: 'orders-crawler', state: 'Succeeded' })).toEqual({ kind: 'crawler', crawlerName: 'orders-crawler' });
    expect(work('Glue Crawler State Change', { crawlerName: 'orders-crawler', state: 'Failed' }).kind).toBe('ignore');
  });
});

describe('parseGlueEvent', () => {
  it('refuses an event that is not from Glue', () => {
    expect(() => parseGlueEvent({ ...event('Glue Crawler State Change', { crawlerName: 'c', state: 'Succeeded' }), source: 'aws.s3' })).toThrow(InputErrors);
  });

  it('a redriven dead-letter record hands back the event inside; anything else passes through', () => {
    const inner = event('Glue Crawler State Change', { crawlerName: 'c', state: 'Succeeded' });
    const record = { version: '1.0', requestContext: { functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:guard' }, requestPayload: inner };
    expect(unwrapRedrive(record)).toBe(inner);
    expect(unwrapRedrive(inner)).toBe(inner);
  });
});
