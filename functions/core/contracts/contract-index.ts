/** Active contracts by table, loaded once (at cold start) from the contracts bundled with the function. */
import type { Contract } from './contract.js';
import { activeContract, loadContractTree } from './contract-repository.js';
import { InputErrors } from '../errors.js';
import type { TableRef } from '../incidents/incident.js';

export interface ContractIndex {
  /** The table's active contract (latest approved version), or undefined when the table is not guarded. */
  active(database: string, table: string): Contract | undefined;
  /** Guarded tables in a database. */
  tablesIn(database: string): readonly TableRef[];
  /** Databases with at least one guarded table, as the contracts spell them. */
  databases(): readonly string[];
  readonly size: number;
}

const key = (database: string, table: string): string => `${database.toLowerCase()}\0${table.toLowerCase()}`;

export function indexContracts(contracts: readonly Contract[]): ContractIndex {
  const byTable = new Map<string, Contract>();
  for (const contract of contracts) byTable.set(key(contract.schema.database, contract.schema.name), contract);
  return {
    active: (database, table) => byTable.get(key(database, table)),
    tablesIn: (database) =>
      [...byTable.values()]
        .filter((c) => c.schema.database.toLowerCase() === database.toLowerCase())
        .map((c) => ({ database: c.schema.database, table: c.schema.name })),
    databases: () => [...new Map([...byTable.values()].map((c) => [c.schema.database.toLowerCase(), c.schema.database])).values()].sort(),
    size: byTable.size,
  };
}

/** Loads every contract under `dir`; any invalid file fails the load (the guard must not run on a half-read tree). */
export async function loadContractIndex(dir: string): Promise<ContractIndex> {
  const tree = await loadContractTree(dir);
  if (tree.errors.length > 0) throw new InputErrors(tree.errors);
  const active = tree.histories.flatMap((history) => {
    const version = activeContract(history);
    return version === undefined ? [] : [version.contract];
  });
  return indexContracts(active);
}
