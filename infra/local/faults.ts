import { z } from 'zod';
import type { InjectedFault, ServiceName } from './call-log.js';
import { AwsServiceError, defaultStatusFor, eventsError, glueError, snsError } from './errors.js';
import { createPrng, type Prng } from './prng.js';

const failNextSchema = z.strictObject({
  /** Operation name as the SDK calls it: `UpdateTable`, `Publish`, `PutEvents`, ... */
  operation: z.string().min(1),
  /** Wire error code to return: `ConcurrentModificationException`, `ThrottlingException`, SNS `Throttled`, ... */
  error: z.string().min(1),
  count: z.number().int().min(1).default(1),
  message: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
});

export const faultConfigSchema = z.strictObject({
  /** Probability (0..1) that an in-scope call fails with the service's throttling error ("Rate exceeded"). */
  throttleRate: z.number().min(0).max(1).optional(),
  /** Probability (0..1) that an in-scope call fails with the service's HTTP 500 error. */
  errorRate: z.number().min(0).max(1).optional(),
  /** Extra latency added to every in-scope call, in milliseconds. */
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** Limit rate-based faults and latency to these operations (default: all). */
  operations: z.array(z.string().min(1)).optional(),
  /** Limit rate-based faults and latency to these services (default: all). */
  services: z.array(z.enum(['glue', 'sns', 'events'])).optional(),
  /** Fail the next `count` calls of `operation` with `error` (always, regardless of scope and rates). */
  failNext: z.union([failNextSchema, z.array(failNextSchema)]).optional(),
});

export type FaultConfig = z.input<typeof faultConfigSchema>;
type ParsedFaultConfig = z.output<typeof faultConfigSchema>;
type FailNext = z.output<typeof failNextSchema>;

export interface FaultDecision {
  readonly latencyMs: number;
  readonly error?: AwsServiceError;
  readonly fault?: InjectedFault;
}

function throttlingErrorFor(service: ServiceName): AwsServiceError {
  if (service === 'sns') return snsError.throttled();
  if (service === 'events') return eventsError.throttling();
  return glueError.throttling();
}

function internalErrorFor(service: ServiceName): AwsServiceError {
  if (service === 'sns') return snsError.internal();
  if (service === 'events') return eventsError.internal();
  return glueError.internal();
}

/**
 * Deterministic fault injection. Rates draw from a PRNG seeded by the stack's seed, so the same sequence of
 * calls meets the same faults on every run.
 */
export class FaultInjector {
  private config: ParsedFaultConfig = {};
  private failQueue: FailNext[] = [];
  private prng: Prng;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.prng = createPrng(seed, 'faults');
  }

  /** Replaces the fault configuration (validated; throws a zod error on a bad config). */
  set(config: FaultConfig): void {
    const parsed = faultConfigSchema.parse(config);
    this.config = parsed;
    const failNext = parsed.failNext;
    this.failQueue = failNext === undefined ? [] : Array.isArray(failNext) ? [...failNext] : [failNext];
  }

  /** Removes every fault and restarts the PRNG stream. */
  clear(): void {
    this.config = {};
    this.failQueue = [];
    this.prng = createPrng(this.seed, 'faults');
  }

  /** The active configuration (failNext shows what is still pending). */
  current(): ParsedFaultConfig {
    return { ...this.config, failNext: [...this.failQueue] };
  }

  private inScope(service: ServiceName, operation: string): boolean {
    const { operations, services } = this.config;
    if (operations !== undefined && !operations.includes(operation)) return false;
    if (services !== undefined && !services.includes(service)) return false;
    return true;
  }

  /** Decides what happens to one call. Consumes PRNG draws only for in-scope calls. */
  decide(service: ServiceName, operation: string): FaultDecision {
    const index = this.failQueue.findIndex((f) => f.operation === operation);
    const scoped = this.inScope(service, operation);
    const latencyMs = scoped ? (this.config.latencyMs ?? 0) : 0;
    const pending = this.failQueue[index];
    if (pending !== undefined) {
      if (pending.count <= 1) this.failQueue.splice(index, 1);
      else this.failQueue[index] = { ...pending, count: pending.count - 1 };
      const error = new AwsServiceError(
        pending.error,
        pending.message ?? `${pending.error} (injected by the local stack)`,
        pending.status ?? defaultStatusFor(pending.error),
      );
      return { latencyMs, error, fault: 'failNext' };
    }
    if (!scoped) return { latencyMs };
    const { throttleRate = 0, errorRate = 0 } = this.config;
    if (throttleRate > 0 && this.prng.chance(throttleRate)) {
      return { latencyMs, error: throttlingErrorFor(service), fault: 'throttle' };
    }
    if (errorRate > 0 && this.prng.chance(errorRate)) {
      return { latencyMs, error: internalErrorFor(service), fault: 'error' };
    }
    return { latencyMs };
  }
}
