import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../functions/core/judging/rule-ids.js';
import { RULES } from '../../functions/core/judging/rules.js';
import { restoreRefusal } from '../../functions/core/incidents/policy.js';
import {
  approvalNoteText,
  approvalRefusalText,
  cannotRestoreText,
  historyEventText,
  historyWriterText,
  resumeCatalogText,
  resumeRefusalText,
} from '../../functions/core/wording/incident.js';

const WORDING_DIR = new URL('../../functions/core/wording/', import.meta.url);

describe('Wording: renderers never branch on a rule id', () => {
  it('no file of core/wording names a rule id; rules carry what their wording needs', () => {
    // Prepare
    const files = readdirSync(WORDING_DIR).filter((f) => f.endsWith('.ts'));
    // Act
    const named = files.flatMap((file) => {
      const text = readFileSync(new URL(file, WORDING_DIR), 'utf8');
      return RULE_IDS.filter((id) => text.includes(`'${id}'`) || text.includes(`RuleIds.${id}`)).map((id) => `${file}: ${id}`);
    });
    // Assess
    expect(named).toEqual([]);
  });

  it('a qualifier is words, not a sentence of its own', () => {
    const qualifiers = RULES.flatMap((rule) => (rule.qualifier === undefined ? [] : [rule.qualifier]));
    expect(qualifiers.length).toBeGreaterThan(0);
    for (const qualifier of qualifiers) expect(qualifier).toMatch(/^[a-z].*[^.]$/);
  });
});

describe('Wording: incident codes in words', () => {
  it('why a change was not restored', () => {
    const refusal = restoreRefusal('iceberg');
    expect(refusal).toEqual({ code: 'data-pointer-format', format: 'iceberg' });
    expect(cannotRestoreText(refusal ?? { code: 'no-accepted-version' })).toBe(
      'iceberg tables keep their data pointer in the table parameters: restoring an old version would move it, so the guard never rolls them back',
    );
    expect(cannotRestoreText({ code: 'no-accepted-version' })).toBe('no earlier Glue version of this table is accepted by the contract');
  });

  it('history events and writers', () => {
    expect(historyEventText({ kind: 'restore', incidentId: 'dg-1', restoredFrom: '1', replaced: '2' })).toBe('restore: schema of version 1 written back over version 2 (incident dg-1)');
    expect(historyEventText({ kind: 'open', incidentId: 'dg-1', triggers: ['a', 'b'] })).toBe('incident dg-1 open: triggers a, b paused');
    expect(historyEventText({ kind: 'open', incidentId: 'dg-1', triggers: ['a'], producers: [{ kind: 'schedule', name: 'hourly' }, { kind: 'rule', name: 'landing' }] })).toBe(
      'incident dg-1 open: triggers a paused; crawler schedules hourly stopped; rules landing disabled',
    );
    expect(historyEventText({ kind: 'open', incidentId: 'dg-1', triggers: [], producers: [{ kind: 'schedule', name: 'hourly' }] })).toBe('incident dg-1 open: crawler schedules hourly stopped');
    expect(historyWriterText({ kind: 'crawler', crawler: 'c' })).toBe('crawler c');
    expect(historyWriterText({ kind: 'unknown' })).toBe('unknown (API / job)');
  });

  it('resume notes and refusals', () => {
    expect(resumeCatalogText({ kind: 'wrote-back', versionId: '1', contractVersion: 2 })).toBe('wrote the approved schema of version 1 back (contract v2)');
    expect(resumeRefusalText({ code: 'never-written-back', table: 's.t', blockedVersionId: '3', refusal: { code: 'data-pointer-format', format: 'delta' } })).toBe(
      's.t: the blocked version 3 is not written back (delta tables keep their data pointer in the table parameters: restoring an old version would move it, so the guard never rolls them back); resume with --keep-current',
    );
  });

  it('approval refusals and notes', () => {
    expect(approvalRefusalText({ code: 'no-such-version', table: 's.t', glueVersion: '9', currentVersionId: '3' })).toBe(
      's.t has no Glue version 9 (its current version is 3; `drift-guard history s.t` lists the versions Glue still keeps)',
    );
    expect(approvalRefusalText({ code: 'no-such-version', table: 's.t', glueVersion: '9' })).toBe('s.t has no Glue version 9 (it has none)');
    expect(
      approvalNoteText({ kind: 'catalog-moved-on', table: 's.t', approvedVersionId: '1', currentVersionId: '3', currentVerdict: 'compliant', contractVersion: 2 }),
    ).toBe(
      'the catalog has moved on since Glue version 1: it is now at version 3 (compliant against contract v2); `drift-guard resume s.t` writes the approved schema back once this contract version is deployed',
    );
  });
});
