/**
 * Safety invariants, as properties over random nights on the local stack (random tables changed, random
 * kinds of change, unguarded tables and a workflow nobody pointed the guard at, events duplicated and
 * reordered, an approval deployed mid-night):
 * the guard never writes a version no contract accepts, never rolls back an approved schema, never starts
 * an ON_DEMAND trigger, and never touches a table without a contract or a workflow it was not pointed at.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from '@aws-sdk/client-glue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTableContracts, writeContractVersion } from '../../functions/core/contracts/contract-repository.js';
import { nextContractVersion } from '../../functions/core/contracts/contract-versioning.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';
import { type Change, DB, TRIGGERS, changed, startWorld, tableName, writeContracts, deliverWithRetries } from '../chaos/world.js';

const GUARDED = 6;
const UNGUARDED = ['raw_clicks', 'raw_sessions'];
const OTHER = { workflow: 'marketing-hourly', scheduled: 'marketing-hourly-cron', manual: 'marketing-manual', crawler: 'marketing-crawler' };
const RUNS = Number(process.env.SAFETY_RUNS ?? 12);

const night = fc.record({
  changes: fc.array(fc.tuple(fc.integer({ min: 0, max: GUARDED - 1 }), fc.constantFrom<Change>('breaking', 'allowed', 'bookkeeping')), { minLength: 1, maxLength: 8 }),
  unguardedBreaks: fc.boolean(),
  /** Table whose breaking change is approved and deployed mid-night, if any. */
  approve: fc.option(fc.integer({ min: 0, max: GUARDED - 1 }), { nil: undefined }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

const guardWritten = (t: Table | undefined): boolean => Object.keys(t?.Parameters ?? {}).some((k) => k.startsWith('drift-guard:'));

describe('Safety invariants (property tests on the local stack)', { timeout: 300_000 }, () => {
  it('hold over random nights', async () => {
    const base = mkdtempSync(join(tmpdir(), 'safety-'));
    await writeContracts(join(base, 'v1'), GUARDED);
    try {
      await fc.assert(
        fc.asyncProperty(night, async ({ changes, unguardedBreaks, approve, seed }) => {
          // Prepare: the lake, two unguarded tables, and a workflow the guard was never pointed at.
          const contracts = mkdtempSync(join(tmpdir(), 'safety-contracts-'));
          cpSync(join(base, 'v1'), contracts, { recursive: true });
          const world = await startWorld(GUARDED, { stack: { seed } }, contracts);
          const { g } = world;
          try {
            for (const name of UNGUARDED) g.stack.glue.putTable(DB, { ...changed(0, 'bookkeeping'), Name: name }, { emit: false });
            g.stack.glue.createCrawler({ Name: OTHER.crawler, Role: 'arn:aws:iam::123456789012:role/c', DatabaseName: DB });
            g.stack.glue.createWorkflow({ Name: OTHER.workflow });
            g.stack.glue.createTrigger({ Name: OTHER.scheduled, WorkflowName: OTHER.workflow, Type: 'SCHEDULED', Schedule: 'cron(0 * * * ? *)', Actions: [{ CrawlerName: OTHER.crawler }], StartOnCreation: true });
            g.stack.glue.createTrigger({ Name: OTHER.manual, WorkflowName: OTHER.workflow, Type: 'ON_DEMAND', Actions: [{ CrawlerName: OTHER.crawler }] });
            g.stack.bus.configure({ autoDeliver: false, duplicateRate: 0.3, reorder: true });

            // Act: the night's writes, an approval deployed halfway, the rest, events delivered as EventBridge would.
            const half = Math.ceil(changes.length / 2);
            for (const [i, change] of changes.slice(0, half)) g.stack.glue.putTable(DB, changed(i, change));
            if (unguardedBreaks) g.stack.glue.putTable(DB, { ...changed(1, 'breaking'), Name: UNGUARDED[0] ?? 'raw' });
            let approvedAt: number | undefined;
            if (approve !== undefined) {
              const table = parseGlueTableDocument('approved', { ...changed(approve, 'breaking'), DatabaseName: DB, VersionId: '1' });
              const next = nextContractVersion(await loadTableContracts(contracts, DB, tableName(approve)), table, { reviewer: 'r', reason: 'approved', approvedAt: new Date() });
              if (next.outcome === 'created') await writeContractVersion(contracts, next.contract);
              await deliverWithRetries(world, g.stack.bus.events.filter((e) => e.source === 'aws.glue'));
              await g.redeploy(contracts);
              g.stack.glue.putTable(DB, changed(approve, 'breaking'));
              approvedAt = g.stack.glue.getTableVersions(DB, tableName(approve)).length;
            }
            for (const [i, change] of changes.slice(half)) g.stack.glue.putTable(DB, changed(i, change));
            await g.stack.bus.drain();
            await deliverWithRetries(world, g.stack.bus.deadLetters.map((d) => d.event));

            // Assess
            for (let i = 0; i < GUARDED; i += 1) {
              const history = await loadTableContracts(contracts, DB, tableName(i));
              const versions = g.stack.glue.getTableVersions(DB, tableName(i)).sort((a, b) => Number(a.VersionId) - Number(b.VersionId));
              versions.forEach((version, k) => {
                if (!guardWritten(version.Table)) return;
                // Never a version no contract accepts.
                const accepted = (history?.versions ?? []).some((c) => judgeDocument(c.contract, 'v', version.Table).verdict !== 'breaking');
                expect(accepted).toBe(true);
                // Never a rollback of what the contract active at the time accepted: the replaced version broke it.
                const replaced = version.Table?.Parameters?.['drift-guard:replaced-version'];
                if (version.Table?.Parameters?.['drift-guard:alert'] !== 'pending' || replaced === undefined) return;
                const activeThen = history?.versions.filter((c) => c.contract.version === 1 || (i === approve && approvedAt !== undefined && k >= approvedAt)).at(-1);
                const replacedTable = versions.find((v) => v.VersionId === replaced)?.Table;
                expect(activeThen === undefined ? 'no contract' : judgeDocument(activeThen.contract, 'replaced', replacedTable).verdict).toBe('breaking');
              });
            }
            for (const name of UNGUARDED) expect(g.stack.glue.getTableVersions(DB, name).filter((v) => guardWritten(v.Table))).toEqual([]);
            expect(g.stack.glue.triggerFirings).toEqual([]);
            expect(g.stack.glue.getTrigger(TRIGGERS.manual).State).toBe('CREATED');
            expect(g.stack.glue.getTrigger(OTHER.manual).State).toBe('CREATED');
            expect(g.stack.glue.getTrigger(OTHER.scheduled).State).toBe('ACTIVATED');
            expect(g.stack.glue.getTags(g.stack.glue.arn('trigger', OTHER.scheduled))).toEqual({});
            expect(g.stack.glue.getTags(g.stack.glue.arn('workflow', OTHER.workflow))).toEqual({});
          } finally {
            await world.cleanup();
            rmSync(contracts, { recursive: true, force: true });
          }
        }),
        { numRuns: RUNS },
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
