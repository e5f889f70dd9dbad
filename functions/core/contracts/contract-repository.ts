/**
 * Contracts on disk: `<dir>/<database>/<table>/v<N>.json`, numbered from 1 without gaps. Loading
 * validates every file and its place in the tree; writing a version never overwrites one.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Contract, contractFromFile, contractToFile } from './contract.js';
import { InputError, InputErrors, parseJsonText } from '../errors.js';

export interface ContractVersionFile {
  readonly file: string;
  readonly contract: Contract;
}

/** Every version of one table's contract, oldest first. */
export interface ContractHistory {
  readonly database: string;
  readonly table: string;
  readonly directory: string;
  readonly versions: readonly ContractVersionFile[];
}

export interface ContractTree {
  readonly histories: readonly ContractHistory[];
  readonly errors: readonly InputError[];
}

const VERSION_FILE = /^v([1-9]\d*)\.json$/;

/** The latest approved version: the table's active contract. */
export function activeContract(history: ContractHistory): ContractVersionFile | undefined {
  return history.versions.findLast((v) => v.contract.status === 'approved');
}

async function listDirectory(path: string): Promise<{ name: string; directory: boolean }[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => ({ name: e.name, directory: e.isDirectory() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readContractFile(file: string, display: string): Promise<Contract> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(display, '', `a readable file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return contractFromFile(display, parseJsonText(display, text));
}

function collect(error: unknown, into: InputError[]): void {
  if (error instanceof InputErrors) into.push(...error.errors);
  else if (error instanceof InputError) into.push(error);
  else throw error;
}

/** Loads and validates one table's directory. Problems are collected, not thrown. */
async function loadHistory(root: string, database: string, table: string, errors: InputError[]): Promise<ContractHistory | undefined> {
  const directory = join(root, database, table);
  const display = (name: string): string => relative(process.cwd(), join(directory, name)) || name;
  const found: ContractVersionFile[] = [];
  const before = errors.length;
  for (const entry of await listDirectory(directory)) {
    const match = VERSION_FILE.exec(entry.name);
    if (entry.directory || match === null) {
      if (entry.name.endsWith('.json') || entry.directory) {
        errors.push(new InputError(display(entry.name), '', `a contract file named v<N>.json (N = 1, 2, ...) directly in ${database}/${table}/`));
      }
      continue;
    }
    const version = Number(match[1]);
    const file = join(directory, entry.name);
    try {
      const contract = await readContractFile(file, display(entry.name));
      const where = display(entry.name);
      if (contract.version !== version) errors.push(new InputError(where, 'x-version', `${version} (the file's name says v${version})`));
      if (contract.schema.database.toLowerCase() !== database.toLowerCase()) {
        errors.push(new InputError(where, 'x-glue-database', `"${database}" (the directory it is in)`));
      }
      if (contract.schema.name.toLowerCase() !== table.toLowerCase()) {
        errors.push(new InputError(where, 'x-glue-table', `"${table}" (the directory it is in)`));
      }
      found.push({ file, contract });
    } catch (error) {
      collect(error, errors);
    }
  }
  found.sort((a, b) => a.contract.version - b.contract.version);
  found.forEach((v, i) => {
    if (v.contract.version !== i + 1) {
      errors.push(
        new InputError(
          display(`v${v.contract.version}.json`),
          'x-version',
          `versions numbered 1, 2, 3, ... without gaps (v${i + 1}.json is missing; found ${found.map((f) => `v${f.contract.version}`).join(', ')})`,
        ),
      );
    }
  });
  if (errors.length > before || found.length === 0) return undefined;
  return { database, table, directory, versions: found };
}

/** Loads every contract under `root`; a missing root is an error naming it. */
export async function loadContractTree(root: string): Promise<ContractTree> {
  const errors: InputError[] = [];
  const histories: ContractHistory[] = [];
  let databases;
  try {
    databases = await listDirectory(root);
  } catch (error) {
    throw new InputError(root, '', `a contracts directory (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  for (const database of databases) {
    if (!database.directory) {
      if (database.name.endsWith('.json')) {
        errors.push(new InputError(join(root, database.name), '', 'contracts laid out as <database>/<table>/v<N>.json'));
      }
      continue;
    }
    for (const table of await listDirectory(join(root, database.name))) {
      if (!table.directory) {
        if (table.name.endsWith('.json')) {
          errors.push(new InputError(join(root, database.name, table.name), '', 'contracts laid out as <database>/<table>/v<N>.json'));
        }
        continue;
      }
      const history = await loadHistory(root, database.name, table.name, errors);
      if (history !== undefined) histories.push(history);
    }
  }
  return { histories, errors };
}

/** Loads one table's contracts; undefined when the table has none. Invalid files throw InputErrors. */
export async function loadTableContracts(root: string, database: string, table: string): Promise<ContractHistory | undefined> {
  const errors: InputError[] = [];
  let databases;
  try {
    databases = await listDirectory(root);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new InputError(root, '', `a contracts directory (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const dbEntry = databases.find((d) => d.directory && d.name.toLowerCase() === database.toLowerCase());
  if (dbEntry === undefined) return undefined;
  const tableEntry = (await listDirectory(join(root, dbEntry.name))).find((t) => t.directory && t.name.toLowerCase() === table.toLowerCase());
  if (tableEntry === undefined) return undefined;
  const history = await loadHistory(root, dbEntry.name, tableEntry.name, errors);
  if (errors.length > 0) throw new InputErrors(errors);
  return history;
}

/**
 * Writes `contract` as `<root>/<db>/<table>/v<version>.json`. The file appears whole or not at all,
 * and an existing version is never overwritten (the hard link fails if the name is taken).
 */
export async function writeContractVersion(root: string, contract: Contract): Promise<string> {
  const directory = join(root, contract.schema.database, contract.schema.name);
  await mkdir(directory, { recursive: true });
  const target = join(directory, `v${contract.version}.json`);
  const temporary = join(directory, `.v${contract.version}.json.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(contractToFile(contract), null, 2)}\n`, { flag: 'wx' });
  try {
    await link(temporary, target);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') {
      throw new InputError(target, '', 'a version that does not exist yet (contract versions are never overwritten)', { cause: error });
    }
    throw error;
  } finally {
    await unlink(temporary);
  }
  return target;
}
