/** `drift-guard snapshot --from-file <table.json>`: approve today's schema as the next contract version. */
import { userInfo } from 'node:os';
import { ENFORCEMENT_MODES } from '../../core/contracts/contract.js';
import { type ContractHistory, loadTableContracts, writeContractVersion } from '../../core/contracts/contract-repository.js';
import { type NewContractTerms, type NextVersion, breakingFindings, nextContractVersion } from '../../core/contracts/contract-versioning.js';
import {
  type SnapshotResult,
  snapshotDefaultReason, snapshotLiveLine, snapshotLiveSummary, snapshotProgressText, snapshotUnchangedText, snapshotWrittenText } from '../../core/wording/cli.js';
import { COMPATIBILITY_MODES } from '../../core/judging/rules.js';
import { InputError, InputErrors } from '../../core/errors.js';
import { withGlueNames } from '../../core/schema/glue-name.js';
import { type CatalogTable, parseGlueTableDocument } from '../../core/schema/table-schema.js';
import { snapshotReasonExpectation } from '../../core/wording/contract-input.js';
import { ExitCode, UsageError, writeJson, writeText } from '../output.js';
import { awsContext, parseDatabaseArg, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, oneOf, parseCommand, requireOption } from './options.js';
import { readTableFile } from './table-file.js';

export const snapshotUsage = `drift-guard snapshot (--from-file <table.json> | <db>.<table> | <db>) [--contracts-dir DIR] [--reviewer NAME]
                    [--reason TEXT] [--owner NAME]... [--workflow NAME]... [--compatibility consumer-safe|strict|observe]
                    [--enforcement enforce|observe] [--json]
  Writes the first (or next) contract version for the table, approved as the baseline, from a file or from the live
  catalog (one table, or every table of a database, with progress). Never overwrites a version, never writes one the
  loader would reject, nor one for a table without columns. A version accepting breaking changes needs --reason (the
  changes are listed; nothing is written without it). Owners: --owner, else the previous version's, else the reviewer
  (--reviewer, else $USER). Names are lower-cased (Glue stores them so); a name that cannot be a path is refused.`;

function defaultReviewer(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function snapshotCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand('snapshot', args, {
    'from-file': { type: 'string' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    reviewer: { type: 'string' },
    reason: { type: 'string' },
    owner: { type: 'string', multiple: true },
    workflow: { type: 'string', multiple: true },
    compatibility: { type: 'string' },
    enforcement: { type: 'string' },
    json: { type: 'boolean', default: false },
  }, true);
  const target = positionals[0];
  if (values['from-file'] !== undefined && target !== undefined) throw new UsageError('snapshot: give --from-file or a live <db>.<table> / <db>, not both');
  if (values['from-file'] === undefined) {
    if (target === undefined) throw new UsageError('snapshot: --from-file <table.json>, <db>.<table> or <db> is required');
    return snapshotLive(target, values);
  }
  const file = requireOption('snapshot', 'from-file', values['from-file']);
  const compatibility = oneOf('snapshot', 'compatibility', COMPATIBILITY_MODES, values.compatibility);
  const enforcement = oneOf('snapshot', 'enforcement', ENFORCEMENT_MODES, values.enforcement);
  const dir = values['contracts-dir'];
  const table = await readTableFile(file);
  const history = await loadTableContracts(dir, table.schema.database, table.schema.name);
  const result = snapshotVersion(history, table, values.reviewer ?? defaultReviewer(), values.reason, { compatibility, enforcement, owners: values.owner, dependentWorkflows: values.workflow });
  const name = `${table.schema.database}.${table.schema.name}`;
  if (result.outcome === 'unchanged') {
    if (values.json) writeJson({ table: name, outcome: 'unchanged', version: result.version });
    else writeText(snapshotUnchangedText(name, result.version));
    return ExitCode.ok;
  }
  const path = await writeContractVersion(dir, result.contract);
  const acknowledged = result.contract.approval?.acknowledges ?? [];
  if (values.json) {
    writeJson({ table: name, outcome: 'created', version: result.contract.version, file: path, acknowledges: acknowledged });
    return ExitCode.ok;
  }
  writeText(snapshotWrittenText(name, path, result.contract.version, result.contract.approval?.reviewer ?? '', result.judgement));
  return ExitCode.ok;
}

/**
 * The next version for a snapshot. Like `approve`, a snapshot that would accept breaking changes needs a reason:
 * without `--reason` it is refused (InputError naming the table and `--reason`, listing the changes), nothing written.
 */
function snapshotVersion(history: ContractHistory | undefined, table: CatalogTable, reviewer: string, given: string | undefined, terms: NewContractTerms): NextVersion {
  const reason = given === undefined || given.trim() === '' ? undefined : given;
  const result = nextContractVersion(history, table, { reviewer, reason: reason ?? snapshotDefaultReason(history !== undefined), approvedAt: new Date() }, terms);
  if (result.outcome === 'created' && reason === undefined && result.previous !== undefined && result.judgement !== undefined) {
    const breaking = breakingFindings(result.judgement);
    if (breaking.length > 0) {
      throw new InputError(`${table.schema.database}.${table.schema.name}`, '--reason', snapshotReasonExpectation(result.previous.version, result.contract.version, breaking));
    }
  }
  return result;
}

interface SnapshotValues {
  readonly 'contracts-dir': string;
  readonly reviewer?: string | undefined;
  readonly reason?: string | undefined;
  readonly owner?: string[] | undefined;
  readonly workflow?: string[] | undefined;
  readonly compatibility?: string | undefined;
  readonly enforcement?: string | undefined;
  readonly json: boolean;
}

/** Live snapshot of one table (`db.table`) or of every table in a database (`db`), with progress. */
async function snapshotLive(target: string, values: SnapshotValues): Promise<ExitCode> {
  const compatibility = oneOf('snapshot', 'compatibility', COMPATIBILITY_MODES, values.compatibility);
  const enforcement = oneOf('snapshot', 'enforcement', ENFORCEMENT_MODES, values.enforcement);
  const dir = values['contracts-dir'];
  const aws = awsContext();
  const dot = target.indexOf('.');
  const ref = dot === -1 ? undefined : parseTableRef('snapshot', target);
  const database = ref?.database ?? parseDatabaseArg('snapshot', target);
  const only = ref?.table;
  let stored;
  if (only === undefined) {
    stored = await aws.catalog.listTables(database);
    if (stored === undefined) throw new InputError('catalog', database, 'an existing Glue database');
  } else {
    const one = await aws.catalog.getTable(database, only);
    if (one === undefined) throw new InputError('catalog', `${database}.${only}`, 'an existing Glue table');
    stored = [one];
  }
  const reviewer = values.reviewer ?? defaultReviewer();
  const results: SnapshotResult[] = [];
  const progress = !values.json && process.stderr.isTTY;
  let index = 0;
  for (const table of stored) {
    index += 1;
    const source = `glue://${database}@${table.versionId}`;
    let name = '?';
    try {
      // Catalog answers are a boundary too: names validated and lower-cased before any path is built from them.
      const parsed = withGlueNames(source, parseGlueTableDocument(source, table.document), { database: 'Table.DatabaseName', table: 'Table.Name' });
      name = `${parsed.schema.database}.${parsed.schema.name}`;
      if (progress) process.stderr.write(snapshotProgressText(index, stored.length, name));
      const history = await loadTableContracts(dir, parsed.schema.database, parsed.schema.name);
      const result = snapshotVersion(history, parsed, reviewer, values.reason, { compatibility, enforcement, owners: values.owner, dependentWorkflows: values.workflow });
      if (result.outcome === 'unchanged') {
        results.push({ table: name, outcome: 'unchanged', version: result.version });
      } else {
        const path = await writeContractVersion(dir, result.contract);
        results.push({ table: name, outcome: 'created', version: result.contract.version, file: path });
      }
    } catch (error) {
      if (!(error instanceof InputError || error instanceof InputErrors)) throw error;
      results.push({ table: name, outcome: 'failed', error: error.message });
    }
    if (!progress && !values.json) {
      const last = results.at(-1);
      if (last !== undefined) writeText(snapshotLiveLine(index, stored.length, last));
    }
  }
  if (progress) process.stderr.write('\n');
  const failed = results.filter((r) => r.outcome === 'failed');
  if (values.json) writeJson({ database, tables: results });
  else for (const line of snapshotLiveSummary(database, results)) writeText(line);
  return failed.length > 0 ? ExitCode.badInput : ExitCode.ok;
}
