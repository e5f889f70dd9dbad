import type { BusEvent } from '../bus.js';
import type { Prng } from '../prng.js';
import type { GlueEventFactory } from './events.js';

/** What every Glue component shares: identity, clock, id source and the event sink. */
export interface GlueContext {
  readonly region: string;
  readonly accountId: string;
  readonly events: GlueEventFactory;
  /** Publishes to the local event bus. */
  readonly emit: (event: BusEvent) => void;
  readonly now: () => Date;
  /** Seeded stream for ids (run ids, message prefixes). */
  readonly ids: Prng;
  readonly seed: number;
  /** The principal recorded as `CreatedBy`. */
  readonly principalArn: string;
}

/** Mutable knobs tests can turn on `stack.glue.settings`. */
export interface GlueSettings {
  /** Versions kept per table before UpdateTable fails with ResourceNumberLimitExceededException (AWS: 100,000). */
  maxTableVersions: number;
  /** How many reads of a stopped workflow run still report STOPPING before it settles to STOPPED (0 = immediate). */
  stopObservations: number;
  /** Partitions per table before a create fails with ResourceNumberLimitExceededException (default 10,000,000, as remembered from
   *  "AWS Glue endpoints and quotas"; not re-checked, see infra/local/README.md). */
  maxPartitionsPerTable: number;
  /** Partitions per account (default 20,000,000, same source and caveat). */
  maxPartitionsPerAccount: number;
  /**
   * BatchGetPartition serves this many keys and hands the rest back as UnprocessedKeys (AWS may return unprocessed
   * keys; callers must retry them). Default 1000 = every key of a valid request.
   */
  batchGetPartitionMaxProcessed: number;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
