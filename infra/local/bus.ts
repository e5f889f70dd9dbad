import { createPrng, type Prng } from './prng.js';

/** The EventBridge envelope, exactly as a rule target (e.g. Lambda) receives it. */
export type BusEvent<Detail = Readonly<Record<string, unknown>>> = {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
};

export type BusListener = (event: BusEvent) => void | Promise<void>;

/** Like an EventBridge rule pattern, restricted to the two fields that matter here. */
export interface BusFilter {
  readonly source?: readonly string[];
  readonly detailType?: readonly string[];
}

export interface BusOptions {
  /** Deliver automatically (asynchronously, after the HTTP response that caused the event). Default true.
   *  When false, events wait in the queue until `drain()`. */
  autoDeliver: boolean;
  /** Probability (0..1) that a delivery is duplicated (same event id): EventBridge is at-least-once. Default 0. */
  duplicateRate: number;
  /** Shuffle each batch of queued deliveries (seeded): EventBridge does not keep order. Default false. */
  reorder: boolean;
  /** How many times a delivery whose listener threw is retried before it goes to `deadLetters`. Default 2. */
  maxRedeliveries: number;
  /** Deliveries running at the same time. Default 1 (deterministic interleaving). */
  concurrency: number;
  /**
   * Probability (0..1) that an event an AWS service emits (source `aws.*`) is never delivered: Glue emits its catalog
   * events "on a best effort basis" and they "might be out of sequence or missing". The event stays in `events` (it
   * happened) and is listed in `lost`. PutEvents entries are not lost. Default 0.
   */
  dropRate: number;
}

export interface DeliveryRecord {
  readonly eventId: string;
  readonly detailType: string;
  readonly subscriptionId: number;
  readonly attempt: number;
  readonly ok: boolean;
}

export interface DeliveryFailure {
  readonly eventId: string;
  readonly detailType: string;
  readonly subscriptionId: number;
  readonly attempt: number;
  readonly error: unknown;
  readonly message: string;
}

export interface DeadLetter {
  readonly event: BusEvent;
  readonly subscriptionId: number;
  readonly attempts: number;
  readonly lastError: unknown;
}

interface Subscription {
  readonly id: number;
  readonly listener: BusListener;
  readonly filter: BusFilter;
}

interface Delivery {
  readonly event: BusEvent;
  readonly subscription: Subscription;
  readonly attempt: number;
  readonly gate: Promise<void> | undefined;
}

export interface DrainOptions {
  /** Give up (reject) after this many deliveries: catches listeners that trigger themselves forever. Default 10,000. */
  readonly maxDeliveries?: number;
}

const DEFAULT_OPTIONS: BusOptions = {
  autoDeliver: true,
  duplicateRate: 0,
  reorder: false,
  maxRedeliveries: 2,
  concurrency: 1,
  dropRate: 0,
};

function matchesFilter(event: BusEvent, filter: BusFilter): boolean {
  if (filter.source !== undefined && !filter.source.includes(event.source)) return false;
  if (filter.detailType !== undefined && !filter.detailType.includes(event['detail-type'])) return false;
  return true;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An in-process EventBridge bus: every event the stack emits (Glue state changes, PutEvents entries) goes to
 * `events`, and is delivered to subscribers asynchronously, at least once, optionally duplicated and reordered.
 */
export class LocalEventBus {
  private options: BusOptions;
  private readonly initialOptions: BusOptions;
  private readonly subscriptions = new Map<number, Subscription>();
  private nextSubscriptionId = 1;
  private queue: Delivery[] = [];
  private readonly history: BusEvent[] = [];
  private readonly deliveryLog: DeliveryRecord[] = [];
  private readonly failureLog: DeliveryFailure[] = [];
  private readonly deadLetterLog: DeadLetter[] = [];
  private readonly lostLog: BusEvent[] = [];
  private pumping: Promise<void> | undefined;
  private scheduled = false;
  private deliveriesSinceDrain = 0;
  private deliveryBudget = Number.POSITIVE_INFINITY;
  private prng: Prng;
  private readonly seed: number;
  private currentGate: Promise<void> | undefined;

  constructor(seed: number, options: Partial<BusOptions> = {}) {
    this.seed = seed;
    this.prng = createPrng(seed, 'bus');
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.initialOptions = { ...this.options };
  }

  /** Changes delivery behaviour (duplicates, reordering, auto delivery, redeliveries, concurrency). */
  configure(options: Partial<BusOptions>): void {
    this.options = { ...this.options, ...options };
    if (this.options.autoDeliver && this.queue.length > 0) this.schedule();
  }

  get settings(): Readonly<BusOptions> {
    return this.options;
  }

  /** Adds a listener; returns a function that removes it. */
  subscribe(listener: BusListener, filter: BusFilter = {}): () => void {
    const id = this.nextSubscriptionId;
    this.nextSubscriptionId += 1;
    this.subscriptions.set(id, { id, listener, filter });
    return () => {
      this.subscriptions.delete(id);
    };
  }

  unsubscribeAll(): void {
    this.subscriptions.clear();
  }

  /** Every event published, in publication order. */
  get events(): readonly BusEvent[] {
    return this.history;
  }

  /** Every delivery attempt, in delivery order. */
  get deliveries(): readonly DeliveryRecord[] {
    return this.deliveryLog;
  }

  /** Every listener error (one per failed attempt). */
  get failures(): readonly DeliveryFailure[] {
    return this.failureLog;
  }

  /** Deliveries that failed on every attempt. */
  get deadLetters(): readonly DeadLetter[] {
    return this.deadLetterLog;
  }

  /** Events an AWS service emitted that were never delivered (`dropRate`). */
  get lost(): readonly BusEvent[] {
    return this.lostLog;
  }

  /** Deliveries waiting or running. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Runs `action` so that events it publishes are held until `gate` settles: the server passes the promise
   * of "HTTP response written", so listeners never see an event before the caller sees its response.
   */
  withGate<T>(gate: Promise<void>, action: () => T): T {
    const previous = this.currentGate;
    this.currentGate = gate;
    try {
      return action();
    } finally {
      this.currentGate = previous;
    }
  }

  publish(event: BusEvent): void {
    this.history.push(event);
    // Drawn only when dropping is on, so seeded runs without it replay as before.
    if (this.options.dropRate > 0 && event.source.startsWith('aws.') && this.prng.chance(this.options.dropRate)) {
      this.lostLog.push(event);
      return;
    }
    const gate = this.currentGate;
    for (const subscription of this.subscriptions.values()) {
      if (!matchesFilter(event, subscription.filter)) continue;
      const copies = this.prng.chance(this.options.duplicateRate) ? 2 : 1;
      for (let i = 0; i < copies; i += 1) this.queue.push({ event, subscription, attempt: 1, gate });
    }
    if (this.options.autoDeliver) this.schedule();
  }

  /**
   * Resolves once no delivery is queued or running, including deliveries caused by listeners' own calls
   * (and their redeliveries). Delivers queued events even when `autoDeliver` is off.
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    this.deliveryBudget = options.maxDeliveries ?? 10_000;
    this.deliveriesSinceDrain = 0;
    try {
      for (;;) {
        if (this.pumping !== undefined) {
          await this.pumping;
        } else if (this.queue.length > 0) {
          await this.pump();
        } else {
          return;
        }
      }
    } finally {
      this.deliveryBudget = Number.POSITIVE_INFINITY;
    }
  }

  /** Drops queued deliveries and all logs and restores the initial options; keeps subscriptions. */
  clear(): void {
    this.options = { ...this.initialOptions };
    this.queue = [];
    this.history.length = 0;
    this.deliveryLog.length = 0;
    this.failureLog.length = 0;
    this.deadLetterLog.length = 0;
    this.lostLog.length = 0;
    this.prng = createPrng(this.seed, 'bus');
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // Turned off since this was scheduled: leave the queue for drain().
      if (this.options.autoDeliver && this.pumping === undefined && this.queue.length > 0) {
        this.pump().catch(() => undefined);
      }
    });
  }

  private pump(): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        while (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          if (this.options.reorder) this.prng.shuffle(batch);
          await this.deliverBatch(batch);
        }
      } finally {
        this.pumping = undefined;
      }
    };
    this.pumping = run();
    return this.pumping;
  }

  private async deliverBatch(batch: Delivery[]): Promise<void> {
    const workers = Math.max(1, Math.floor(this.options.concurrency));
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const delivery = batch[next];
        next += 1;
        if (delivery === undefined) return;
        this.deliveriesSinceDrain += 1;
        if (this.deliveriesSinceDrain > this.deliveryBudget) {
          this.queue = [];
          next = batch.length;
          throw new Error(
            `local event bus did not settle after ${String(this.deliveryBudget)} deliveries: a listener may be re-triggering itself`,
          );
        }
        await this.deliver(delivery);
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, batch.length) }, worker));
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { event, subscription, attempt, gate } = delivery;
    if (gate !== undefined) await gate;
    if (!this.subscriptions.has(subscription.id)) return;
    const detailType = event['detail-type'];
    try {
      await subscription.listener(structuredClone(event));
      this.deliveryLog.push({ eventId: event.id, detailType, subscriptionId: subscription.id, attempt, ok: true });
    } catch (error: unknown) {
      this.deliveryLog.push({ eventId: event.id, detailType, subscriptionId: subscription.id, attempt, ok: false });
      this.failureLog.push({
        eventId: event.id,
        detailType,
        subscriptionId: subscription.id,
        attempt,
        error,
        message: errorMessage(error),
      });
      if (attempt <= this.options.maxRedeliveries) {
        this.queue.push({ event, subscription, attempt: attempt + 1, gate: undefined });
      } else {
        this.deadLetterLog.push({ event, subscriptionId: subscription.id, attempts: attempt, lastError: error });
      }
    }
  }
}
