import { describe, expect, it } from 'vitest';
import { retryConfig } from '../../functions/aws/client-config.js';
import { InputError } from '../../functions/core/errors.js';
import { readConfig } from '../../functions/handlers/config.js';
import { originFromContext, parseReconcileTrigger, sweepIdOf, sweeps } from '../../functions/handlers/reconcile-app.js';

const valid = {
  CONTRACTS_DIR: './contracts',
  ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:glue-drift-guard-prod-alerts',
  EVENT_BUS_NAME: 'glue-drift-guard-prod',
  GUARD_MODE: 'enforce',
};

function failure(act: () => unknown): InputError | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  return undefined;
}

describe('Configuration read at cold start', () => {
  it('reads a valid environment, with defaults', () => {
    expect(readConfig(valid)).toEqual({ ...valid, INFO_ALERTS: true, STOP_RUNNING_RUNS: false, TABLE_CONCURRENCY: 8 });
    expect(readConfig({ ...valid, STOP_RUNNING_RUNS: 'true' })).toMatchObject({ STOP_RUNNING_RUNS: true });
    expect(readConfig({ ...valid, INFO_ALERTS: 'false', TABLE_CONCURRENCY: '3' })).toMatchObject({ INFO_ALERTS: false, TABLE_CONCURRENCY: 3 });
  });

  it.each([
    [{ ...valid, GUARD_MODE: undefined }, 'GUARD_MODE', 'enforce or observe (not set)'],
    [{ ...valid, GUARD_MODE: 'on' }, 'GUARD_MODE', 'enforce or observe (got "on")'],
    [{ ...valid, ALERT_TOPIC_ARN: 'alerts' }, 'ALERT_TOPIC_ARN', 'an SNS topic ARN (got "alerts")'],
    [{ ...valid, TABLE_CONCURRENCY: '1.5' }, 'TABLE_CONCURRENCY', '(got "1.5")'],
    [{ ...valid, STOP_RUNNING_RUNS: 'yes' }, 'STOP_RUNNING_RUNS', '(got "yes")'],
    [{ ...valid, CONTRACTS_DIR: '' }, 'CONTRACTS_DIR', 'the directory of contracts bundled with the function'],
  ])('fails fast naming the variable: %#', (env, variable, expected) => {
    const error = failure(() => readConfig(env));
    expect(error?.field).toBe(variable);
    expect(error?.expected).toContain(expected);
  });

  it('retries 6 times with standard back-off by default; AWS_MAX_ATTEMPTS and AWS_RETRY_MODE override', () => {
    expect(retryConfig({})).toEqual({ maxAttempts: 6, retryMode: 'standard' });
    expect(retryConfig({ AWS_MAX_ATTEMPTS: '10', AWS_RETRY_MODE: 'adaptive' })).toEqual({ maxAttempts: 10, retryMode: 'adaptive' });
    expect(failure(() => retryConfig({ AWS_MAX_ATTEMPTS: '0' }))?.field).toBe('AWS_MAX_ATTEMPTS');
  });

  it('a sweep run is named the same on every retry: the scheduled minute, else the Lambda request id', () => {
    const now = new Date('2026-12-01T10:17:42.000Z');
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: '2026-12-01T10:15:00Z', detail: {} };
    expect(sweepIdOf(scheduled, { awsRequestId: 'req-1' }, now)).toBe('sweep:2026-12-01T10:15Z');
    expect(sweepIdOf({ reconcile: 'sweep' }, { awsRequestId: 'req-1' }, now)).toBe('sweep:req-1');
    expect(sweepIdOf({ reconcile: 'sweep' }, undefined, now)).toBe('sweep:2026-12-01T10:17Z');
    // The schedule and an explicit manual sweep sweep; a deploy or a plain manual run only resumes.
    expect((['schedule', 'sweep', 'deploy', 'manual'] as const).filter(sweeps)).toEqual(['schedule', 'sweep']);
  });

  it('reconcile knows what invoked it and where it runs, without an API call', () => {
    expect(parseReconcileTrigger({ reconcile: 'now' })).toBe('manual');
    expect(parseReconcileTrigger({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toBe('schedule');
    expect(
      parseReconcileTrigger({ source: 'aws.cloudformation', 'detail-type': 'CloudFormation Stack Status Change', detail: { 'status-details': { status: 'UPDATE_COMPLETE' } } }),
    ).toBe('deploy');
    expect(parseReconcileTrigger({ reconcile: 'sweep' })).toBe('sweep');
    expect(() => parseReconcileTrigger({ hello: 'world' })).toThrow(/expected a Scheduled Event/);
    expect(originFromContext({ invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:glue-drift-guard-prod-reconcile' })).toEqual({
      region: 'eu-west-1',
      account: '123456789012',
    });
  });
});
