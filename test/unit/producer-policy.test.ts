/**
 * The guard's policy for the producers of a drift (core/incidents/policy.ts): which crawler schedules and EventBridge
 * rules a hold stops, which it only checks are its own (a retry), which it leaves alone and why; and what release does.
 */
import { describe, expect, it } from 'vitest';
import { ruleHoldAction, ruleReleaseAction, scheduleHoldAction, scheduleReleaseAction } from '../../functions/core/incidents/policy.js';
import { producerLeaveText } from '../../functions/core/wording/incident.js';

const cron = 'cron(0 * * * ? *)';

describe('holding producers', () => {
  it.each([
    [{ expression: cron, state: 'SCHEDULED' }, { action: 'stop' }],
    [{ expression: cron, state: 'NOT_SCHEDULED' }, { action: 'check-own' }],
    [{ expression: cron, state: 'TRANSITIONING' }, { action: 'leave', reason: { code: 'state', state: 'TRANSITIONING' } }],
    [{ expression: undefined, state: undefined }, { action: 'leave', reason: { code: 'no-schedule' } }],
    [undefined, { action: 'leave', reason: { code: 'no-schedule' } }],
  ] as const)('a crawler schedule %j: %j', (schedule, expected) => {
    expect(scheduleHoldAction(schedule)).toEqual(expected);
  });

  it.each([
    [{ state: 'ENABLED' }, { action: 'stop' }],
    [{ state: 'DISABLED' }, { action: 'check-own' }],
    [{ state: 'ENABLED', managedBy: 'glue.amazonaws.com' }, { action: 'leave', reason: { code: 'managed', by: 'glue.amazonaws.com' } }],
    [{ state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, { action: 'leave', reason: { code: 'state', state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' } }],
  ] as const)('a rule %j: %j', (rule, expected) => {
    expect(ruleHoldAction(rule)).toEqual(expected);
  });

  it('words every reason', () => {
    expect(producerLeaveText({ code: 'managed', by: 'glue.amazonaws.com' })).toBe('managed by glue.amazonaws.com: never forced');
    expect(producerLeaveText({ code: 'state', state: 'DISABLED' })).toBe('already DISABLED');
    expect(producerLeaveText({ code: 'no-schedule' })).toBe('no schedule of its own');
  });
});

describe('releasing producers', () => {
  it.each([
    [{ expression: cron, state: 'NOT_SCHEDULED' }, { action: 'start' }],
    [{ expression: cron, state: 'SCHEDULED' }, { action: 'untag-only', why: 'already-active' }],
    [{ expression: undefined, state: undefined }, { action: 'untag-only', why: 'no-schedule' }],
    [{ expression: cron, state: 'TRANSITIONING' }, { action: 'wait', state: 'TRANSITIONING' }],
  ] as const)('a crawler schedule %j: %j', (schedule, expected) => {
    expect(scheduleReleaseAction(schedule)).toEqual(expected);
  });

  it.each([
    [{ state: 'DISABLED' }, { action: 'start' }],
    [{ state: 'ENABLED' }, { action: 'untag-only', why: 'already-active' }],
    [{ state: undefined }, { action: 'wait', state: 'UNKNOWN' }],
  ] as const)('a rule %j: %j', (rule, expected) => {
    expect(ruleReleaseAction(rule)).toEqual(expected);
  });
});
