/**
 * Rule fixtures: test/fixtures/rules/<rule-id-in-kebab-case>[-<variant>]/ holds a Glue table before
 * (previous.json, the approved baseline) and after (current.json) one realistic change, and what the
 * judge must say about it (expected.json: verdict and the complete list of (ruleId, path) findings).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { judgeDocument } from '../../functions/core/judging/judge.js';
import { RULE_IDS, type RuleId } from '../../functions/core/judging/rule-ids.js';
import { COMPATIBILITY_MODES, RULES, type Rule } from '../../functions/core/judging/rules.js';
import { type TableSchema, parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));

const findingKey = z.strictObject({ ruleId: z.enum(RULE_IDS), path: z.string().min(1) });
type FindingKey = z.infer<typeof findingKey>;

const expectedFile = z.strictObject({
  description: z.string().min(1),
  verdict: z.enum(['compliant', 'allowed', 'breaking']),
  findings: z.array(findingKey),
  compatibility: z.enum(COMPATIBILITY_MODES).optional(),
  registry: z
    .strictObject({
      downgrade: z.array(z.enum(RULE_IDS)).optional(),
      remove: z.array(z.enum(RULE_IDS)).optional(),
    })
    .optional(),
});
type Expected = z.infer<typeof expectedFile>;

interface Fixture {
  readonly dir: string;
  readonly previous: TableSchema;
  /** The stored document: judged as the guard judges a table read from the catalog (unparseable → SCHEMA_UNREADABLE). */
  readonly current: unknown;
  readonly currentSource: string;
  readonly expected: Expected;
}

/** COLUMN_ADDED_AT_END → column-added-at-end */
const kebab = (id: RuleId): string => id.toLowerCase().replaceAll('_', '-');

function readJson(path: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return parsed;
}

function loadFixture(dir: string): Fixture {
  const at = (file: string): string => join(FIXTURES_DIR, dir, file);
  return {
    dir,
    previous: parseGlueTableDocument(at('previous.json'), readJson(at('previous.json'))).schema,
    current: readJson(at('current.json')),
    currentSource: at('current.json'),
    expected: expectedFile.parse(readJson(at('expected.json'))),
  };
}

/** The rule a fixture directory is named after (`<rule>` or `<rule>-<variant>`), if any. */
function ruleOfDir(dir: string): RuleId | undefined {
  const candidates = RULE_IDS.filter((id) => dir === kebab(id) || dir.startsWith(`${kebab(id)}-`));
  return candidates.sort((a, b) => b.length - a.length)[0];
}

/** RULES as the fixture asks: some rules dropped, some downgraded to info (to reach the safety nets). */
function registryFor(spec: Expected['registry']): readonly Rule[] {
  const removed = new Set<RuleId>(spec?.remove ?? []);
  const downgraded = new Set<RuleId>(spec?.downgrade ?? []);
  return RULES.filter((rule) => !removed.has(rule.id)).map((rule): Rule => (downgraded.has(rule.id) ? { ...rule, severity: 'info' } : rule));
}

function contractFrom(fixture: Fixture): Contract {
  return {
    version: 1,
    status: 'approved',
    compatibility: fixture.expected.compatibility ?? 'consumer-safe',
    enforcement: 'enforce',
    dependentWorkflows: [],
    owners: ['test'],
    schema: fixture.previous,
  };
}

/** Order-insensitive comparison of finding multisets. */
function sortedKeys(findings: readonly FindingKey[]): FindingKey[] {
  return findings
    .map(({ ruleId, path }) => ({ ruleId, path }))
    .sort((a, b) => (a.ruleId === b.ruleId ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.ruleId < b.ruleId ? -1 : 1));
}

const fixtureDirs = readdirSync(FIXTURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const fixtures = fixtureDirs.map(loadFixture);

/** Fixtures grouped by the rule they are named after; the others (e.g. observe-mode) by their own name. */
const groups = new Map<string, { readonly kind: 'Rule' | 'Scenario'; readonly fixtures: Fixture[] }>();
for (const fixture of fixtures) {
  const rule = ruleOfDir(fixture.dir);
  const name = rule ?? fixture.dir;
  const group = groups.get(name) ?? { kind: rule === undefined ? 'Scenario' : 'Rule', fixtures: [] };
  group.fixtures.push(fixture);
  groups.set(name, group);
}

for (const [name, { kind, fixtures: members }] of groups) {
  describe(`${kind}: ${name}`, () => {
    for (const fixture of members) {
      it(`${fixture.expected.description} [${fixture.dir}]`, () => {
        // Prepare
        const contract = contractFrom(fixture);
        const rules = registryFor(fixture.expected.registry);

        // Act
        const judgement = judgeDocument(contract, fixture.currentSource, fixture.current, { rules });

        // Assess
        expect(judgement.verdict).toBe(fixture.expected.verdict);
        expect(sortedKeys(judgement.findings)).toEqual(sortedKeys(fixture.expected.findings));
      });
    }
  });
}

describe('Rule fixtures: completeness', () => {
  it('finds fixture directories', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(RULES.map((rule) => rule.id))('%s has a fixture directory named after it whose expected findings include it', (id) => {
    const dir = kebab(id);
    expect(existsSync(join(FIXTURES_DIR, dir, 'expected.json')), `test/fixtures/rules/${dir}/expected.json`).toBe(true);
    const fixture = fixtures.find((f) => f.dir === dir);
    expect(fixture?.expected.findings.map((f) => f.ruleId)).toContain(id);
  });
});
