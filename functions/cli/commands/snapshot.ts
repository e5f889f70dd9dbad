/** `drift-guard snapshot --from-file <table.json>`: approve today's schema as the next contract version. */
import { userInfo } from 'node:os';
import { ENFORCEMENT_MODES } from '../../core/contract.js';
import { loadTableContracts, writeContractVersion } from '../../core/contract-repository.js';
import { nextContractVersion } from '../../core/contract-versioning.js';
import { findingMessage } from '../../core/render.js';
import { COMPATIBILITY_MODES } from '../../core/rules.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { DEFAULT_CONTRACTS_DIR, oneOf, parseCommand, requireOption } from './options.js';
import { readTableFile } from './table-file.js';

export const snapshotUsage = `drift-guard snapshot --from-file <table.json> [--contracts-dir DIR] [--reviewer NAME] [--reason TEXT]
                    [--owner NAME]... [--workflow NAME]... [--compatibility consumer-safe|strict|observe]
                    [--enforcement enforce|observe] [--json]
  Writes the first (or next) contract version for the table, approved as the baseline. Never overwrites a version.`;

function defaultReviewer(): string {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function snapshotCommand(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseCommand('snapshot', args, {
    'from-file': { type: 'string' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    reviewer: { type: 'string' },
    reason: { type: 'string' },
    owner: { type: 'string', multiple: true },
    workflow: { type: 'string', multiple: true },
    compatibility: { type: 'string' },
    enforcement: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const file = requireOption('snapshot', 'from-file', values['from-file']);
  const compatibility = oneOf('snapshot', 'compatibility', COMPATIBILITY_MODES, values.compatibility);
  const enforcement = oneOf('snapshot', 'enforcement', ENFORCEMENT_MODES, values.enforcement);
  const dir = values['contracts-dir'];
  const table = await readTableFile(file);
  const history = await loadTableContracts(dir, table.schema.database, table.schema.name);
  const result = nextContractVersion(
    history,
    table,
    {
      reviewer: values.reviewer ?? defaultReviewer(),
      reason: values.reason ?? (history === undefined ? 'Baseline: the table as it is today' : 'Snapshot: accepts the table as it is today'),
      approvedAt: new Date(),
    },
    { compatibility, enforcement, owners: values.owner, dependentWorkflows: values.workflow },
  );
  const name = `${table.schema.database}.${table.schema.name}`;
  if (result.outcome === 'unchanged') {
    if (values.json) writeJson({ table: name, outcome: 'unchanged', version: result.version });
    else writeText(`${name}: unchanged, v${result.version} already describes this table; nothing written`);
    return ExitCode.ok;
  }
  const path = await writeContractVersion(dir, result.contract);
  const acknowledged = result.contract.approval?.acknowledges ?? [];
  if (values.json) {
    writeJson({ table: name, outcome: 'created', version: result.contract.version, file: path, acknowledges: acknowledged });
    return ExitCode.ok;
  }
  const lines = [`${name}: wrote ${path} (v${result.contract.version}, approved by ${result.contract.approval?.reviewer ?? ''})`];
  for (const finding of result.judgement?.findings ?? []) {
    lines.push(`  ${finding.severity === 'breaking' ? 'acknowledged' : 'changed     '} ${finding.ruleId}  ${findingMessage(finding)}`);
  }
  writeText(lines.join('\n'));
  return ExitCode.ok;
}
