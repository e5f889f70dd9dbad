/**
 * Retry settings for the guard's SDK clients. The SDK's own standard retry does the work (exponential
 * back-off with jitter on ThrottlingException and 5xx); the guard only raises its attempts from 3 to 6,
 * because one breaking change costs ~17 calls and at heavy throttling 3 attempts leave too many to chance.
 * AWS_MAX_ATTEMPTS and AWS_RETRY_MODE (e.g. `adaptive`, which adds client-side rate limiting) override these.
 */
import * as z from 'zod/mini';
import { InputError } from '../core/errors.js';

const retryEnvironment = z.object({
  AWS_MAX_ATTEMPTS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(20)), 6),
  AWS_RETRY_MODE: z._default(z.enum(['standard', 'adaptive', 'legacy']), 'standard'),
});

export interface RetryConfig {
  readonly maxAttempts: number;
  readonly retryMode: 'standard' | 'adaptive' | 'legacy';
}

export function retryConfig(env: NodeJS.ProcessEnv = process.env): RetryConfig {
  const parsed = retryEnvironment.safeParse(env);
  if (parsed.success) return { maxAttempts: parsed.data.AWS_MAX_ATTEMPTS, retryMode: parsed.data.AWS_RETRY_MODE };
  const variable = String(parsed.error.issues[0]?.path[0] ?? 'AWS_MAX_ATTEMPTS');
  throw new InputError('environment', variable, parsed.error.issues[0]?.message ?? 'a valid value');
}
