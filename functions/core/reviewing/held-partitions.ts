/**
 * Coming back: a held partition (moved out of its table by the guard, core/guard/partitions.ts) returns once the
 * deployed contract accepts its schema (an approval merged and deployed): BatchCreatePartition into the guarded table
 * with its definition exactly as it was (the guard's records removed), THEN BatchDeletePartition from the held table.
 * A partition the guarded table meanwhile has again (same values) is never overwritten: it stays held, reported as a
 * conflict. Reconcile runs this on every run (schedule, deploy, resume request) and deletes a held table once it is
 * empty and no open incident claimed it.
 */
import type { Contract } from '../contracts/contract.js';
import type { ContractIndex } from '../contracts/contract-index.js';
import { ownDefinition, sameDefinition } from '../guard/partitions.js';
import { type TableRef, heldTableName, parseQualifiedName } from '../incidents/incident.js';
import { holdsForOf, partitionAlertClaimsOf, partitionHoldOf } from '../incidents/records.js';
import { judgePartition } from '../judging/partition-judge.js';
import type { CatalogPort, GuardLog, PartitionDefinition, PartitionPort, StoredTable } from '../ports.js';

export interface HeldPartitionsDeps<T extends StoredTable> {
  readonly catalog: CatalogPort<T>;
  readonly partitions: PartitionPort;
}

/** What coming back did for one guarded table. */
export interface HeldReturn {
  readonly database: string;
  readonly table: string;
  readonly heldTable: string;
  /** Values of the partitions moved back into the table. */
  readonly returned: readonly (readonly string[])[];
  /** Partitions still held (the contract still rejects them, or a conflict), with their records. */
  readonly stillHeld: readonly PartitionDefinition[];
  /** Values the table has again with another definition: kept held, nothing overwritten. */
  readonly conflicts: readonly (readonly string[])[];
  /** Incidents whose alert was claimed on the held table (partition incidents), as read before anything moved. */
  readonly incidents: ReadonlySet<string>;
  readonly heldTableDeleted: boolean;
}

const keyOf = (values: readonly string[]): string => JSON.stringify(values);

function parametersOf(document: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof document !== 'object' || document === null || !('Parameters' in document)) return undefined;
  const parameters: unknown = document.Parameters;
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  return Object.fromEntries(Object.entries(parameters).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
}

function tableNameOf(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null || !('Name' in document)) return undefined;
  return typeof document.Name === 'string' ? document.Name.toLowerCase() : undefined;
}

/**
 * Moves back every held partition of `ref` the contract accepts; undefined when `ref` has no held table (or the table
 * of that name is not the guard's). With `deleteWhenEmpty`, an emptied held table is deleted unless `open` says one of
 * its incidents is still open (its record is what lets resume find it).
 */
export async function returnHeldPartitions<T extends StoredTable>(
  deps: HeldPartitionsDeps<T>,
  contract: Contract,
  ref: TableRef,
  options: { readonly deleteWhenEmpty: boolean; readonly open?: () => Promise<ReadonlySet<string>>; readonly held?: T } = { deleteWhenEmpty: false },
): Promise<HeldReturn | undefined> {
  const heldTable = heldTableName(ref.table);
  const held = options.held ?? (await deps.catalog.getTable(ref.database, heldTable));
  if (held === undefined || holdsForOf(parametersOf(held.document)) !== `${ref.database}.${ref.table}`) return undefined;
  const incidents = new Set(partitionAlertClaimsOf(parametersOf(held.document)).keys());
  const all = (await deps.partitions.listPartitions(ref.database, heldTable)) ?? [];
  for (const p of all) {
    const record = partitionHoldOf(p.Parameters);
    if (record !== undefined) incidents.add(record.incidentId);
  }
  const accepted = all.filter((p) => judgePartition(contract, ref, ownDefinition(p)).verdict !== 'breaking');
  const returned: (readonly string[])[] = [];
  const conflicts: (readonly string[])[] = [];
  if (accepted.length > 0) {
    const originals = new Map(accepted.map((p) => [keyOf(p.Values), ownDefinition(p)]));
    const created = await deps.partitions.createPartitions(ref.database, ref.table, [...originals.values()]);
    for (const result of created) {
      const original = originals.get(keyOf(result.values));
      if (original === undefined) continue;
      if (result.outcome === 'created' || (result.existing !== undefined && sameDefinition(result.existing, original))) returned.push(result.values);
      else conflicts.push(result.values);
    }
    if (returned.length > 0) await deps.partitions.deletePartitions(ref.database, heldTable, returned);
  }
  const gone = new Set(returned.map(keyOf));
  const stillHeld = all.filter((p) => !gone.has(keyOf(p.Values)));
  let heldTableDeleted = false;
  // The open incidents (a scan of tags) are read only when an emptied held table might be deleted.
  const openIds = options.deleteWhenEmpty && stillHeld.length === 0 ? await (options.open?.() ?? Promise.resolve(new Set<string>())) : new Set<string>();
  const open = [...incidents].some((id) => openIds.has(id));
  if (options.deleteWhenEmpty && stillHeld.length === 0 && !open) {
    // Read again just before: a guard delivery may have moved a partition in since the list. (DeleteTable has no
    // condition; the guard's move checks its copies survived and puts them back otherwise.)
    const again = (await deps.partitions.listPartitions(ref.database, heldTable)) ?? [];
    if (again.length === 0) {
      await deps.partitions.deleteTable(ref.database, heldTable);
      heldTableDeleted = true;
    }
  }
  return { database: ref.database, table: ref.table, heldTable, returned, stillHeld, conflicts, incidents, heldTableDeleted };
}

/**
 * Reconcile's pass over every held table of the guarded databases (one GetTables listing per database with contracts):
 * accepted partitions come back, emptied held tables not claimed by an open incident are deleted.
 */
export async function returnAllHeldPartitions<T extends StoredTable>(
  deps: HeldPartitionsDeps<T> & { readonly contracts: ContractIndex; readonly log: GuardLog },
  open: () => Promise<ReadonlySet<string>>,
): Promise<readonly HeldReturn[]> {
  const results: HeldReturn[] = [];
  for (const database of deps.contracts.databases()) {
    for (const stored of (await deps.catalog.listTables(database)) ?? []) {
      const guarded = holdsForOf(parametersOf(stored.document));
      const ref = guarded === undefined ? undefined : parseQualifiedName(guarded);
      if (ref === undefined || ref.database.toLowerCase() !== database.toLowerCase() || tableNameOf(stored.document) !== heldTableName(ref.table)) continue;
      const contract = deps.contracts.active(ref.database, ref.table);
      if (contract === undefined) continue;
      const result = await returnHeldPartitions(deps, contract, ref, { deleteWhenEmpty: true, open, held: stored });
      if (result === undefined) continue;
      if (result.returned.length > 0 || result.conflicts.length > 0 || result.heldTableDeleted) {
        deps.log.info('held partitions reconciled', {
          table: `${ref.database}.${ref.table}`,
          heldTable: result.heldTable,
          returned: result.returned.length,
          stillHeld: result.stillHeld.length,
          conflicts: result.conflicts.length,
          heldTableDeleted: result.heldTableDeleted,
        });
      }
      results.push(result);
    }
  }
  return results;
}
