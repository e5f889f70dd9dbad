/** A log of every AWS API call the local stack served (one entry per HTTP attempt, so SDK retries show up). */
export type ServiceName = 'glue' | 'sns' | 'events';

export type InjectedFault = 'throttle' | 'error' | 'failNext';

export interface CallRecord {
  readonly seq: number;
  readonly service: ServiceName;
  readonly operation: string;
  readonly ok: boolean;
  /** Error code when the call failed (`EntityNotFoundException`, `ThrottlingException`, ...). */
  readonly error?: string;
  readonly status: number;
  /** Set when the failure was injected by the fault injector rather than produced by the service logic. */
  readonly fault?: InjectedFault;
  /** Latency the fault injector added to this call, in milliseconds. */
  readonly injectedLatencyMs: number;
  readonly at: Date;
}

export type CallFilter = Partial<Pick<CallRecord, 'service' | 'operation' | 'ok' | 'error' | 'fault'>>;

const FILTER_KEYS = ['service', 'operation', 'ok', 'error', 'fault'] as const;

function matches(record: CallRecord, filter: CallFilter): boolean {
  return FILTER_KEYS.every((key) => filter[key] === undefined || filter[key] === record[key]);
}

export class CallLog {
  private readonly records: CallRecord[] = [];
  private seq = 0;

  record(entry: Omit<CallRecord, 'seq' | 'at'>): CallRecord {
    this.seq += 1;
    const record: CallRecord = { ...entry, seq: this.seq, at: new Date() };
    this.records.push(record);
    return record;
  }

  /** All calls, oldest first (optionally filtered). */
  list(filter: CallFilter = {}): readonly CallRecord[] {
    return this.records.filter((r) => matches(r, filter));
  }

  /** Number of calls to `operation` (or matching a filter). */
  count(operationOrFilter?: string | CallFilter): number {
    if (operationOrFilter === undefined) return this.records.length;
    const filter = typeof operationOrFilter === 'string' ? { operation: operationOrFilter } : operationOrFilter;
    return this.list(filter).length;
  }

  /** Calls per operation name, e.g. `{ GetTable: 3, UpdateTable: 1 }`. */
  countByOperation(filter: CallFilter = {}): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.list(filter)) counts[r.operation] = (counts[r.operation] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.records.length = 0;
  }
}
