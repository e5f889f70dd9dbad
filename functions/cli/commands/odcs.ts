/** `drift-guard export --format odcs <db>.<table>` and `drift-guard import --format odcs <file>`. */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { activeContract, loadTableContracts, writeContractVersion } from '../../core/contracts/contract-repository.js';
import { contractToOdcs, odcsToContract } from '../../core/contracts/odcs.js';
import { InputError, parseJsonText } from '../../core/errors.js';
import { exportNoContractExpectation, importNotJsonExpectation, importWrittenText } from '../../core/wording/odcs.js';
import { ExitCode, UsageError, writeJson, writeText } from '../output.js';
import { parseDatabaseArg, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, oneOf, parseCommand } from './options.js';

const FORMATS = ['odcs'] as const;

export const exportUsage = `drift-guard export --format odcs <db>.<table> [--contracts-dir DIR (default ${DEFAULT_CONTRACTS_DIR})] [--version N (default: the active version)]
  Prints the contract as an ODCS v3.0.1 document (JSON): the full Glue type in physicalType, logicalType and its
  options, column order, partitioned + partitionKeyPosition, storage format, SerDe, formats and table type in
  customProperties. drift-guard import reads it back unchanged.`;

export const importUsage = `drift-guard import --format odcs <file.json> [--contracts-dir DIR (default ${DEFAULT_CONTRACTS_DIR})]
                  [--database DB (default: the document's glue server)] [--owner NAME (default $USER)]... [--json]
  Writes the contract version an ODCS document describes. A drift-guard export is read back exactly; another tool's
  document (datacontract-cli import glue) becomes the next version, status proposed, and every thing it does not say
  is listed. A column whose type cannot be recovered (a map without key and value types, a decimal without precision)
  means nothing is written (exit 2). Never overwrites a version.`;

function format(command: string, value: string | undefined): void {
  if (value === undefined) throw new UsageError(`${command}: --format is required (one of ${FORMATS.join(', ')})`);
  oneOf(command, 'format', FORMATS, value);
}

export async function exportCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand('export', args, {
    format: { type: 'string' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    version: { type: 'string' },
  }, true);
  format('export', values.format);
  if (positionals.length !== 1) throw new UsageError(`export: expected one <db>.<table> (got ${positionals.length})`);
  const ref = parseTableRef('export', positionals[0]);
  const wanted = values.version === undefined ? undefined : Number(values.version);
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1)) throw new UsageError(`export: --version must be a version number ≥ 1 (got "${values.version ?? ''}")`);
  const dir = values['contracts-dir'];
  const history = await loadTableContracts(dir, ref.database, ref.table);
  const chosen = history === undefined ? undefined : wanted === undefined ? activeContract(history) : history.versions.find((v) => v.contract.version === wanted);
  if (chosen === undefined) throw new InputError(dir, `${ref.database}.${ref.table}`, exportNoContractExpectation(`${ref.database}.${ref.table}`, dir, wanted));
  writeJson(contractToOdcs(chosen.contract));
  return ExitCode.ok;
}

function defaultOwner(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function importCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand('import', args, {
    format: { type: 'string' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    database: { type: 'string' },
    owner: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  }, true);
  format('import', values.format);
  const [file, ...rest] = positionals;
  if (file === undefined || rest.length > 0) throw new UsageError(`import: expected one <file.json> (got ${positionals.length})`);
  const database = values.database === undefined ? undefined : parseDatabaseArg('import', values.database);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, '', `a readable ODCS JSON file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!/^\s*[[{]/.test(text)) throw new InputError(file, '', importNotJsonExpectation());
  const document = parseJsonText(file, text);
  const dir = values['contracts-dir'];
  // A foreign document becomes the next version; which one depends on the table, so read it once to learn the name.
  const probe = odcsToContract(file, document, { version: 1, owners: values.owner ?? [defaultOwner()], ...(database === undefined ? {} : { database }) });
  let result = probe;
  if (probe.origin === 'foreign') {
    const history = await loadTableContracts(dir, probe.contract.schema.database, probe.contract.schema.name);
    const next = (history?.versions.at(-1)?.contract.version ?? 0) + 1;
    const owners = values.owner ?? history?.versions.at(-1)?.contract.owners ?? [defaultOwner()];
    result = odcsToContract(file, document, { version: next, owners, ...(database === undefined ? {} : { database }) });
  }
  const path = await writeContractVersion(dir, result.contract);
  if (values.json) {
    writeJson({ file: path, version: result.contract.version, status: result.contract.status, origin: result.origin, unrecovered: result.unrecovered });
  } else {
    writeText(importWrittenText(path, result.contract.version, result.contract.status, result.unrecovered));
  }
  return ExitCode.ok;
}
