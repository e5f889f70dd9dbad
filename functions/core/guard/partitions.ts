/**
 * Partitions are judged and protected. Glue's UpdateTable never touches partitions (Athena user guide, "Update tables
 * with partitions": "If your table's schema changes, the schemas for partitions are not updated"), so a crawl can add
 * partitions whose schema breaks the contract without changing the table, and partitions a bad crawl wrote keep its
 * schema after the guard restores the table. Readers then fail on them (HIVE_PARTITION_SCHEMA_MISMATCH).
 *
 * The remedy: a partition the enforced contract rejects is MOVED to the table's held table (same database,
 * incident.ts heldTableName): BatchCreatePartition there with its exact definition plus the guard's records
 * (records.ts), THEN BatchDeletePartition from the guarded table. A crash in between leaves it in both places, never
 * in none; a retry converges (already held with the same definition is success). Glue has no conditional partition
 * delete, so the partition is read again just before the delete, and only a partition still as it was copied is
 * deleted. Reconcile moves a held partition back once the deployed contract accepts it (reviewing/held-partitions.ts).
 *
 * Incidents: partitions with the same breaking findings are one incident (incident.ts partitionIncidentIdFor), so a
 * storm of events alerts once. The alert is claimed on the held table's Parameters with UpdateTable's VersionId lock
 * (AWS Glue API, UpdateTable "VersionId": "The version ID at which to update the table contents";
 * ConcurrentModificationException otherwise), after the move: a delivery that dies before alerting leaves the claim
 * pending (or absent), and a redelivery of any event naming those partitions finds them held and finishes the alert.
 *
 * Cost: an event whose partitions are all compliant costs one BatchGetPartition.
 */
import type { Contract } from '../contracts/contract.js';
import type { ContractIndex } from '../contracts/contract-index.js';
import { type EventOrigin, type TableRef, heldTableName, partitionIncidentIdFor, qualifiedName, tableCreatedAt } from '../incidents/incident.js';
import { stopsRunningRuns } from '../incidents/policy.js';
import {
  type PartitionAlertClaim,
  heldTableParameters,
  heldTableRecords,
  holdsForOf,
  partitionAlertClaimParameters,
  partitionAlertClaimsOf,
  partitionHoldOf,
  partitionHoldParameters,
  withoutGuardRecords,
} from '../incidents/records.js';
import { type IncidentReport, type PartitionFacts, incidentFacts } from '../incidents/report.js';
import type { DocumentJudgement } from '../judging/judge.js';
import { breakingFingerprint, judgePartition } from '../judging/partition-judge.js';
import { type CatalogPort, type GuardLog, type PartitionDefinition, type PartitionPort, RestoreConflictError, type StoredTable } from '../ports.js';
import type { PlanSettings, PlannedIncident } from './plan.js';

/** What the guard did about one partition event. */
export type PartitionOutcome =
  | { readonly outcome: 'unguarded' | 'missing' | 'compliant' }
  /** Non-breaking partition drift: logged, nothing moved. */
  | { readonly outcome: 'allowed'; readonly partitions: number }
  | { readonly outcome: 'observed' | 'held'; readonly incidentIds: readonly string[]; readonly alerted: boolean; readonly reports: readonly IncidentReport[] };

export interface PartitionGuardDeps<T extends StoredTable> {
  readonly catalog: CatalogPort<T>;
  readonly partitions: PartitionPort;
  readonly contracts: ContractIndex;
  readonly log: GuardLog;
  readonly now: () => Date;
  /** guard.ts hold(): the crawler's workflow and the contract's dependent workflows, and what starts them (schedules, rules). */
  readonly hold: (incident: PlannedIncident, origin: EventOrigin) => Promise<Pick<IncidentReport, 'pauses' | 'crawlerSchedule'>>;
  /** guard.ts announce(): outcome event, then chat alert. */
  readonly announce: (report: IncidentReport) => Promise<void>;
  /** Did this container alert this incident already? */
  readonly alreadyAlerted: (incidentId: string) => boolean;
  /** Claims lost to the table moving are retried this many times. */
  readonly maxAttempts: number;
}

/** A delivery of an event is alerting this partition incident right now: thrown so the platform retries later. */
export class PartitionIncidentInFlightError extends Error {
  override readonly name = 'PartitionIncidentInFlightError';
  constructor(readonly incidentId: string, retryInMs: number) {
    super(`partition incident ${incidentId} is being alerted by another delivery of this event; retry in ${Math.ceil(retryInMs / 1000)} s`);
  }
}

/** The held table's name is taken by a table the guard did not create for this one: nothing is moved there. */
export class HeldTableTakenError extends Error {
  override readonly name = 'HeldTableTakenError';
  constructor(readonly database: string, readonly heldTable: string, readonly guarded: string) {
    super(`${database}.${heldTable} exists and is not the guard's held table for ${guarded}: no partition of ${guarded} was moved; rename or drop that table`);
  }
}

// ---------------------------------------------------------------- values of changedPartitions

/**
 * `[v1, v2]` → its values, when that reading is the only one: Glue joins a partition's values with ", ", so with
 * `keyCount` keys exactly `keyCount` parts is unambiguous (a value containing ", " adds a part); anything else is
 * undefined, and the caller reads the table's partitions instead of guessing. The Glue developer guide's example
 * ("Automating AWS Glue with EventBridge") writes `2018,01` instead (no brackets, ","): read the same way. A name read
 * wrongly finds no partition, and an unfound name is never taken as compliant (read() lists the table).
 */
export function parsePartitionName(text: string, keyCount: number): readonly string[] | undefined {
  if (keyCount < 1) return undefined;
  const bracketed = text.startsWith('[') && text.endsWith(']');
  const parts = bracketed ? text.slice(1, -1).split(', ') : text.split(',');
  return parts.length === keyCount ? parts : undefined;
}

const nameOf = (values: readonly string[]): string => `[${values.join(', ')}]`;

/** The names an event may give a partition: `[v1, v2]` (events seen from AWS) and `v1,v2` (the developer guide's example). */
const partitionNames = (values: readonly string[]): string[] => [nameOf(values), values.join(',')];
const keyOf = (values: readonly string[]): string => JSON.stringify(values);

// ---------------------------------------------------------------- definitions

function timeOf(value: Date | undefined): number | undefined {
  return value === undefined ? undefined : new Date(value).getTime();
}

/** Stable JSON: object keys sorted, so two reads of one definition compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** The partition as its owner defined it: the guard's records removed. */
export function ownDefinition(partition: PartitionDefinition): PartitionDefinition {
  const { Parameters, ...rest } = partition;
  return { ...rest, Parameters: withoutGuardRecords(Parameters) };
}

/** The same definition (values, descriptor, own parameters, access and analysis times), whatever the guard's records. */
export function sameDefinition(a: PartitionDefinition, b: PartitionDefinition): boolean {
  const shape = (p: PartitionDefinition): unknown => ({
    Values: p.Values,
    StorageDescriptor: p.StorageDescriptor ?? null,
    Parameters: withoutGuardRecords(p.Parameters),
    LastAccessTime: timeOf(p.LastAccessTime) ?? null,
    LastAnalyzedTime: timeOf(p.LastAnalyzedTime) ?? null,
  });
  return canonical(shape(a)) === canonical(shape(b));
}

function parametersOf(document: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof document !== 'object' || document === null || !('Parameters' in document)) return undefined;
  const parameters: unknown = document.Parameters;
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  return Object.fromEntries(Object.entries(parameters).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

function partitionKeysOf(document: unknown): unknown {
  return typeof document === 'object' && document !== null && 'PartitionKeys' in document ? document.PartitionKeys : undefined;
}

/** The held table's TableInput: the guarded table's partition keys, the first held partition's descriptor. */
function heldTableInput(name: string, guarded: TableRef, guardedTable: StoredTable, first: PartitionDefinition): Record<string, unknown> {
  return {
    Name: name,
    Description: `Partitions of ${qualifiedName(guarded)} held by glue-drift-guard: their schema breaks the table's contract.`,
    TableType: 'EXTERNAL_TABLE',
    PartitionKeys: partitionKeysOf(guardedTable.document) ?? [],
    ...(first.StorageDescriptor === undefined ? {} : { StorageDescriptor: first.StorageDescriptor }),
    Parameters: { ...withoutGuardRecords(first.Parameters), ...heldTableParameters(guarded) },
  };
}

// ---------------------------------------------------------------- the guard

interface Judged {
  readonly partition: PartitionDefinition;
  readonly judgement: DocumentJudgement;
}

export function createPartitionGuard<T extends StoredTable>(deps: PartitionGuardDeps<T>, settings: PlanSettings) {
  const { catalog, partitions, contracts } = deps;

  /**
   * The partitions an event names: one BatchGetPartition. Names it does not find are looked for in the held table
   * (an earlier delivery moved them); names that still match nothing, or do not parse, are never judged compliant
   * unread: the table's partitions are read (GetPartitions, every page) and matched by name.
   */
  async function read(ref: TableRef, names: readonly string[], keyCount: number): Promise<{ found: PartitionDefinition[]; held: PartitionDefinition[] } | undefined> {
    const parsed = new Map<string, { readonly name: string; readonly values: readonly string[] }>();
    const unmatched = new Set<string>();
    for (const name of names) {
      const values = parsePartitionName(name, keyCount);
      if (values === undefined) unmatched.add(name);
      else parsed.set(keyOf(values), { name, values });
    }
    const found: PartitionDefinition[] = [];
    const held: PartitionDefinition[] = [];
    if (parsed.size > 0) {
      const got = await partitions.getPartitions(ref.database, ref.table, [...parsed.values()].map((p) => p.values));
      if (got === undefined) return undefined;
      found.push(...got);
      for (const p of got) parsed.delete(keyOf(p.Values));
    }
    if (parsed.size > 0) {
      const inHeld = (await partitions.getPartitions(ref.database, heldTableName(ref.table), [...parsed.values()].map((p) => p.values))) ?? [];
      held.push(...inHeld.filter((p) => partitionHoldOf(p.Parameters) !== undefined));
      for (const p of held) parsed.delete(keyOf(p.Values));
      for (const p of parsed.values()) unmatched.add(p.name);
    }
    if (unmatched.size > 0) {
      // Deleted since, or a name read the wrong way: only the table's own list can tell.
      const all = await partitions.listPartitions(ref.database, ref.table);
      if (all === undefined) return undefined;
      const seen = new Set(found.map((p) => keyOf(p.Values)));
      found.push(...all.filter((p) => !seen.has(keyOf(p.Values)) && partitionNames(p.Values).some((n) => unmatched.has(n))));
    }
    return { found, held };
  }

  function planned(contract: Contract, ref: TableRef, origin: EventOrigin, incidentId: string, table: StoredTable, judged: Judged, facts: PartitionFacts): PlannedIncident {
    const { crawler, ...rest } = incidentFacts(contract, ref, origin, incidentId, table.versionId, judged.judgement);
    return {
      ...rest,
      ...(crawler === undefined ? {} : { crawler }),
      partitions: facts,
      dependentWorkflows: contract.dependentWorkflows,
      stopRunningRuns: stopsRunningRuns(contract.stopRunningRuns, settings.stopRunningRuns),
    };
  }

  /** The held table as it is now, created when missing; throws when its name is another table's. */
  async function heldTable(ref: TableRef, name: string, guardedTable: StoredTable, first: PartitionDefinition): Promise<T> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const current = await catalog.getTable(ref.database, name);
      if (current !== undefined) {
        if (holdsForOf(parametersOf(current.document)) !== qualifiedName(ref)) throw new HeldTableTakenError(ref.database, name, qualifiedName(ref));
        return current;
      }
      await partitions.createTable(ref.database, heldTableInput(name, ref, guardedTable, first));
    }
    throw new Error(`${ref.database}.${name} was created but cannot be read back`);
  }

  /**
   * Moves `group` to the held table: create there (with the records), then delete here what is still exactly what
   * was copied. Returns the values moved and those left in place (held already with a different definition).
   */
  async function move(ref: TableRef, held: string, incidentId: string, group: readonly PartitionDefinition[]): Promise<{ moved: (readonly string[])[]; conflicts: (readonly string[])[] }> {
    const heldAt = deps.now().toISOString();
    const created = await partitions.createPartitions(
      ref.database,
      held,
      group.map((p) => ({ ...p, Parameters: { ...withoutGuardRecords(p.Parameters), ...partitionHoldParameters({ incidentId, heldAt }) } })),
    );
    const byKey = new Map(group.map((p) => [keyOf(p.Values), p]));
    const safe: PartitionDefinition[] = [];
    const conflicts: (readonly string[])[] = [];
    for (const result of created) {
      const original = byKey.get(keyOf(result.values));
      if (original === undefined) continue;
      if (result.outcome === 'created' || (result.existing !== undefined && sameDefinition(result.existing, original))) safe.push(original);
      else conflicts.push(result.values);
    }
    if (safe.length === 0) return { moved: [], conflicts };
    // No conditional delete exists for partitions: re-read, and delete only what is still exactly what was copied.
    const now = (await partitions.getPartitions(ref.database, ref.table, safe.map((p) => p.Values))) ?? [];
    const still = new Map(now.map((p) => [keyOf(p.Values), p]));
    const deletable = safe.filter((p) => {
      const current = still.get(keyOf(p.Values));
      return current === undefined || sameDefinition(current, p);
    });
    const changed = safe.filter((p) => !deletable.includes(p));
    if (changed.length > 0) deps.log.warn('partitions changed while being moved: left in place, to be judged by their own event', { partitions: changed.map((p) => nameOf(p.Values)) });
    const present = deletable.filter((p) => still.has(keyOf(p.Values)));
    if (present.length > 0) {
      await partitions.deletePartitions(ref.database, ref.table, present.map((p) => p.Values));
      // Reconcile deletes an emptied held table (DeleteTable has no condition): if it did so under this move, the
      // copies went with it. Put the partitions back where they were and fail, so the delivery is retried.
      const kept = new Set(((await partitions.getPartitions(ref.database, held, present.map((p) => p.Values))) ?? []).map((p) => keyOf(p.Values)));
      const lost = present.filter((p) => !kept.has(keyOf(p.Values)));
      if (lost.length > 0) {
        await partitions.createPartitions(ref.database, ref.table, lost);
        throw new Error(`${lost.length} partition(s) of ${qualifiedName(ref)} vanished from ${ref.database}.${held} while being moved: put back, retrying`);
      }
    }
    return { moved: deletable.map((p) => p.Values), conflicts };
  }

  /**
   * Claims the incident's alert on the held table for this event: true when this delivery is to alert. A claim sent
   * already, or pending for another event, or pending for this event within the claim timeout (in flight: thrown),
   * is not taken; a pending claim past the timeout is (its delivery died).
   */
  async function claim(ref: TableRef, held: string, incidentId: string, origin: EventOrigin): Promise<boolean> {
    for (let attempt = 1; attempt <= deps.maxAttempts; attempt += 1) {
      const table = await catalog.getTable(ref.database, held);
      if (table === undefined) return false;
      const parameters = parametersOf(table.document);
      const existing = partitionAlertClaimsOf(parameters).get(incidentId);
      const now = deps.now();
      if (existing !== undefined) {
        if (existing.alert === 'sent') return false;
        const age = now.getTime() - Date.parse(existing.claimedAt);
        if (age < settings.claimTimeoutMs) {
          if (existing.eventId === origin.eventId) throw new PartitionIncidentInFlightError(incidentId, settings.claimTimeoutMs - age);
          return false;
        }
      }
      const mine: PartitionAlertClaim = { incidentId, alert: 'pending', eventId: origin.eventId, claimedAt: now.toISOString() };
      try {
        await catalog.restore(ref.database, held, table, table.versionId, { ...heldTableRecords(parameters), ...partitionAlertClaimParameters(mine) });
        return true;
      } catch (error) {
        if (!(error instanceof RestoreConflictError)) throw error;
      }
    }
    return false;
  }

  /** Marks the claim sent; logged, not thrown, on failure (the alert went out; a retry must not send it twice). */
  async function confirm(ref: TableRef, held: string, incidentId: string, origin: EventOrigin, log: GuardLog): Promise<void> {
    try {
      for (let attempt = 1; attempt <= deps.maxAttempts; attempt += 1) {
        const table = await catalog.getTable(ref.database, held);
        if (table === undefined) return;
        const parameters = parametersOf(table.document);
        const sent: PartitionAlertClaim = { incidentId, alert: 'sent', eventId: origin.eventId, claimedAt: deps.now().toISOString() };
        try {
          await catalog.restore(ref.database, held, table, table.versionId, { ...heldTableRecords(parameters), ...partitionAlertClaimParameters(sent) });
          return;
        } catch (error) {
          if (!(error instanceof RestoreConflictError)) throw error;
        }
      }
      log.warn('could not record that the partition alert was sent: the held table kept moving', { incidentId });
    } catch (error) {
      log.warn('could not record that the partition alert was sent', { incidentId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The alert tail of a partition incident: claim, hold, announce, confirm. */
  async function alertOnce(incident: PlannedIncident, held: string, origin: EventOrigin, log: GuardLog): Promise<IncidentReport & { readonly alerted: boolean }> {
    const ref = { database: incident.database, table: incident.table };
    if (deps.alreadyAlerted(incident.incidentId) || !(await claim(ref, held, incident.incidentId, origin))) {
      return { ...incident, outcome: 'blocked', pauses: [], alerted: false };
    }
    const holds = await deps.hold(incident, origin);
    const report: IncidentReport = { ...incident, outcome: 'blocked', ...holds };
    await deps.announce(report);
    await confirm(ref, held, incident.incidentId, origin, log);
    return { ...report, alerted: true };
  }

  /** Groups breaking partitions by incident (same breaking findings), in the event's order. */
  function byIncident(ref: TableRef, table: StoredTable, breaking: readonly Judged[]): Map<string, Judged[]> {
    const groups = new Map<string, Judged[]>();
    const createdAt = tableCreatedAt(table.document);
    for (const judged of breaking) {
      const id = partitionIncidentIdFor(ref, createdAt, breakingFingerprint(judged.judgement));
      groups.set(id, [...(groups.get(id) ?? []), judged]);
    }
    return groups;
  }

  /**
   * Partitions the event names that are not in the table: deleted since, or moved by an earlier delivery that may
   * have died before alerting. Those held here finish their incident's alert (at least once).
   */
  async function finishHeld(contract: Contract, ref: TableRef, found: readonly PartitionDefinition[], origin: EventOrigin, log: GuardLog): Promise<IncidentReport[]> {
    const held = heldTableName(ref.table);
    if (found.length === 0) return [];
    const table = await catalog.getTable(ref.database, ref.table);
    if (table === undefined) return [];
    const groups = new Map<string, PartitionDefinition[]>();
    for (const partition of found) {
      const record = partitionHoldOf(partition.Parameters);
      if (record !== undefined) groups.set(record.incidentId, [...(groups.get(record.incidentId) ?? []), partition]);
    }
    const reports: IncidentReport[] = [];
    for (const [incidentId, group] of groups) {
      const first = group[0];
      if (first === undefined) continue;
      const judged = { partition: first, judgement: judgePartition(contract, ref, ownDefinition(first)) };
      const incident = planned(contract, ref, origin, incidentId, table, judged, { values: group.map((p) => p.Values), heldTable: held, conflicts: [] });
      const report = await alertOnce(incident, held, origin, log.child({ incidentId }));
      if (report.alerted) reports.push(report);
    }
    return reports;
  }

  async function guardPartitions(ref: TableRef, names: readonly string[], origin: EventOrigin): Promise<PartitionOutcome> {
    const log = deps.log.child({ database: ref.database, table: ref.table });
    const contract = contracts.active(ref.database, ref.table);
    if (contract === undefined) {
      log.debug('table has no contract: its partitions are left alone');
      return { outcome: 'unguarded' };
    }
    const keyCount = contract.schema.partitionKeys.length;
    const got = await read(ref, names, keyCount);
    if (got === undefined) return { outcome: 'missing' };
    const judged: Judged[] = got.found.map((partition) => ({ partition, judgement: judgePartition(contract, ref, partition) }));
    const breaking = judged.filter((j) => j.judgement.hasBreakingFindings);
    const allowed = judged.filter((j) => !j.judgement.hasBreakingFindings && j.judgement.verdict !== 'compliant');
    if (allowed.length > 0) log.info('partition drift allowed', { partitions: allowed.length, first: nameOf(allowed[0]?.partition.Values ?? []) });

    const enforced = settings.mode === 'enforce' && contract.enforcement === 'enforce';
    const reports: IncidentReport[] = [];
    const incidentIds: string[] = [];
    let alerted = false;
    if (breaking.length > 0) {
      const table = await catalog.getTable(ref.database, ref.table);
      if (table === undefined) return { outcome: 'missing' };
      for (const [incidentId, group] of byIncident(ref, table, breaking)) {
        const ilog = log.child({ incidentId });
        const first = group[0];
        if (first === undefined) continue;
        incidentIds.push(incidentId);
        const values = group.map((j) => j.partition.Values);
        if (!enforced) {
          const incident = planned(contract, ref, origin, incidentId, table, first, { values, conflicts: [] });
          const report: IncidentReport = { ...incident, outcome: 'observed', pauses: [] };
          // Observe mode writes nothing in AWS, so the only memory of the alert is this container's.
          if (!deps.alreadyAlerted(incidentId)) {
            await deps.announce(report);
            alerted = true;
          }
          ilog.warn('breaking partitions observed (not enforced)', { partitions: values.length });
          reports.push(report);
          continue;
        }
        const held = heldTableName(ref.table);
        await heldTable(ref, held, table, first.partition);
        const { moved, conflicts } = await move(ref, held, incidentId, group.map((j) => j.partition));
        ilog.warn('breaking partitions moved to the held table', { heldTable: held, moved: moved.length, conflicts: conflicts.length });
        const incident = planned(contract, ref, origin, incidentId, table, first, { values: moved, heldTable: held, conflicts });
        const report = await alertOnce(incident, held, origin, ilog);
        alerted ||= report.alerted;
        reports.push(report);
      }
    }
    if (got.held.length > 0 && enforced) {
      const finished = await finishHeld(contract, ref, got.held, origin, log);
      for (const report of finished) {
        if (!incidentIds.includes(report.incidentId)) incidentIds.push(report.incidentId);
        reports.push(report);
        alerted = true;
      }
    }
    if (reports.length === 0) return allowed.length > 0 ? { outcome: 'allowed', partitions: allowed.length } : { outcome: 'compliant' };
    return { outcome: enforced ? 'held' : 'observed', incidentIds, alerted, reports };
  }

  return { guardPartitions };
}
