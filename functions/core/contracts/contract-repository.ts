/**
 * Contracts on disk: `<dir>/<database>/<table>/v<N>.json`, numbered from 1 without gaps. Loading
 * validates every file and its place in the tree; writing a version never overwrites one.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Contract, contractFromFile, contractToFile } from './contract.js';
import { InputError, InputErrors, parseJsonText } from '../errors.js';
import { glueName, glueNameProblem } from '../schema/glue-name.js';
import { contractDirectoryExpectation } from '../wording/names.js';

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

/**
 * `<root>/<database>/<table>`: the only place a contract path is built from names, and only from validated,
 * lower-case ones (a `../` or mixed-case name never reaches the file system). `source` names where the names came from.
 */
export function contractDirectory(root: string, database: string, table: string, source: string): string {
  return join(root, glueName(source, 'x-glue-database', 'database', database), glueName(source, 'x-glue-table', 'table', table));
}

/** A directory under the contracts root must be named as Glue stores the name: valid and lower case. */
function directoryNameProblem(path: string, kind: 'database' | 'table', name: string): InputError | undefined {
  try {
    const normal = glueName(path, '', kind, name);
    return normal === name ? undefined : new InputError(path, '', contractDirectoryExpectation(kind, name, normal));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
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
      // Both sides are lower case here: contractFromFile normalises the names, the tree refuses other directory names.
      if (contract.schema.database !== database) {
        errors.push(new InputError(where, 'x-glue-database', `"${database}" (the directory it is in)`));
      }
      if (contract.schema.name !== table) {
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
    const databaseProblem = directoryNameProblem(join(root, database.name), 'database', database.name);
    if (databaseProblem !== undefined) {
      errors.push(databaseProblem);
      continue;
    }
    for (const table of await listDirectory(join(root, database.name))) {
      if (!table.directory) {
        if (table.name.endsWith('.json')) {
          errors.push(new InputError(join(root, database.name, table.name), '', 'contracts laid out as <database>/<table>/v<N>.json'));
        }
        continue;
      }
      const tableProblem = directoryNameProblem(join(root, database.name, table.name), 'table', table.name);
      if (tableProblem !== undefined) {
        errors.push(tableProblem);
        continue;
      }
      const history = await loadHistory(root, database.name, table.name, errors);
      if (history !== undefined) histories.push(history);
    }
  }
  return { histories, errors };
}

/**
 * Loads one table's contracts; undefined when the table has none. Invalid files throw InputErrors, and so does a
 * directory spelling the same table in another case (it would be a second, disagreeing history).
 */
export async function loadTableContracts(root: string, database: string, table: string): Promise<ContractHistory | undefined> {
  const errors: InputError[] = [];
  const db = glueName(`${database}.${table}`, 'database', 'database', database);
  const name = glueName(`${database}.${table}`, 'table', 'table', table);
  let databases;
  try {
    databases = await listDirectory(root);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw new InputError(root, '', `a contracts directory (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const sameName = (entries: readonly { name: string; directory: boolean }[], wanted: string): { name: string }[] =>
    entries.filter((e) => e.directory && glueNameProblem(e.name) === undefined && e.name.toLowerCase() === wanted);
  const dbEntries = sameName(databases, db);
  for (const entry of dbEntries) {
    if (entry.name !== db) errors.push(new InputError(join(root, entry.name), '', contractDirectoryExpectation('database', entry.name, db)));
  }
  const tableEntries = dbEntries.some((e) => e.name === db) ? sameName(await listDirectory(join(root, db)), name) : [];
  for (const entry of tableEntries) {
    if (entry.name !== name) errors.push(new InputError(join(root, db, entry.name), '', contractDirectoryExpectation('table', entry.name, name)));
  }
  if (errors.length > 0) throw new InputErrors(errors);
  if (!tableEntries.some((e) => e.name === name)) return undefined;
  const history = await loadHistory(root, db, name, errors);
  if (errors.length > 0) throw new InputErrors(errors);
  return history;
}

/**
 * The file text for `contract`, read back with the loader `check`, `audit` and the guard's cold start use: a
 * contract they would reject (or read as something else) is refused here, naming the table and the field,
 * before anything is written.
 */
export function contractFileText(contract: Contract, source: string): string {
  const text = `${JSON.stringify(contractToFile(contract), null, 2)}\n`;
  const back = contractFromFile(source, parseJsonText(source, text));
  const again = `${JSON.stringify(contractToFile(back), null, 2)}\n`;
  if (again !== text) throw new InputError(source, '', 'a contract that reads back as written (the loader reads this one differently: a bug, please report it)');
  return text;
}

/**
 * Writes `contract` as `<root>/<db>/<table>/v<version>.json`. The file appears whole or not at all,
 * and an existing version is never overwritten (the hard link fails if the name is taken). The
 * database and table names are validated and lower-cased; the text is validated by contractFileText.
 */
export async function writeContractVersion(root: string, contract: Contract): Promise<string> {
  const { database, name } = contract.schema;
  const directory = contractDirectory(root, database, name, `${database}.${name}`);
  const target = join(directory, `v${contract.version}.json`);
  const normal: Contract = { ...contract, schema: { ...contract.schema, database: glueName(target, 'x-glue-database', 'database', database), name: glueName(target, 'x-glue-table', 'table', name) } };
  const text = contractFileText(normal, `${relative(process.cwd(), target) || target} (not written)`);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.v${contract.version}.json.${randomUUID()}.tmp`);
  await writeFile(temporary, text, { flag: 'wx' });
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
