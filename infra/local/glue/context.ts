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
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
