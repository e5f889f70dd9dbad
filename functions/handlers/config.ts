/** The guard's configuration, read from the environment once at cold start; a bad value fails fast naming the variable. */
import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';
import { STOP_RUNNING_RUNS_DEFAULT } from '../core/incidents/policy.js';

const flag = z.pipe(z.enum(['true', 'false']), z.transform((value) => value === 'true'));

const environment = z.object({
  CONTRACTS_DIR: z.string().check(z.minLength(1, 'the directory of contracts bundled with the function')),
  ALERT_TOPIC_ARN: z.string().check(z.regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN')),
  EVENT_BUS_NAME: z.string().check(z.minLength(1, 'an EventBridge bus name or ARN')),
  GUARD_MODE: z.enum(['enforce', 'observe'], { error: 'enforce or observe' }),
  INFO_ALERTS: z._default(flag, true),
  /** Stop RUNNING runs of held workflows (a contract's x-stop-running-runs overrides it); off unless set. */
  STOP_RUNNING_RUNS: z._default(flag, STOP_RUNNING_RUNS_DEFAULT),
  TABLE_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(64)), 8),
});

export type GuardConfig = z.infer<typeof environment>;

export function readConfig(env: NodeJS.ProcessEnv): GuardConfig {
  const parsed = environment.safeParse(env);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const variable = String(issue?.path[0] ?? 'environment');
  const value = env[variable];
  throw new InputError('environment', variable, `${issue?.message ?? 'a value'}${value === undefined ? ' (not set)' : ` (got "${value}")`}`);
}
