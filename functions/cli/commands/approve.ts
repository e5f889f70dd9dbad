/** `drift-guard approve <db>.<table>`: the blocked schema becomes the next contract version, for review. */
import { relative } from 'node:path';
import { type ApprovalSelector, type ApprovalSource, planApproval } from '../../core/reviewing/approval.js';
import { loadTableContracts, writeContractVersion } from '../../core/contracts/contract-repository.js';
import { alreadyApprovedText, approvedText } from '../../core/wording/cli.js';
import { approvalNoteText } from '../../core/wording/incident.js';
import { ExitCode, UsageError, writeJson, writeText } from '../output.js';
import { awsContext, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand, requireOption, requireContractsDir } from './options.js';

export const approveUsage = `drift-guard approve <db>.<table> [--incident <id> | --glue-version <n>] --reviewer <name> --reason "<text>"
                   [--contracts-dir DIR] [--json]
  Reads the schema from the table's Glue versions (the incident's, the given version's, or by default the newest
  one the contract does not accept) and writes it as the next contract version with the approval record. A
  partition incident's schema is read from the partitions it holds (--incident). Open a
  pull request with the file; once merged and deployed, the guard writes the schema back and resumes the pipeline.`;

/** `glueVersionId`, or the held partition (and where) a partition incident's schema was read from. */
function sourceJson(source: ApprovalSource): Record<string, unknown> {
  return source.kind === 'glue-version' ? { glueVersionId: source.versionId } : { heldPartition: { table: source.heldTable, values: source.values, held: source.held } };
}

export async function approveCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    'approve',
    args,
    {
      incident: { type: 'string' },
      'glue-version': { type: 'string' },
      reviewer: { type: 'string' },
      reason: { type: 'string' },
      'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const ref = parseTableRef('approve', positionals[0]);
  if (values.incident !== undefined && values['glue-version'] !== undefined) throw new UsageError('approve: give --incident or --glue-version, not both');
  const selector: ApprovalSelector = {
    ...(values.incident === undefined ? {} : { incidentId: values.incident }),
    ...(values['glue-version'] === undefined ? {} : { glueVersion: values['glue-version'] }),
  };
  const reviewer = requireOption('approve', 'reviewer', values.reviewer);
  const reason = requireOption('approve', 'reason', values.reason);
  const dir = values['contracts-dir'];
  await requireContractsDir(dir);
  const history = await loadTableContracts(dir, ref.database, ref.table);
  const aws = awsContext();
  const plan = await planApproval(aws.catalog, history, ref, selector, { reviewer, reason, approvedAt: new Date() }, aws.partitions);
  const name = `${ref.database}.${ref.table}`;
  if (plan.outcome === 'already-approved') {
    if (values.json) writeJson({ table: name, outcome: plan.outcome, version: plan.version, ...sourceJson(plan.source), notes: plan.notes.map(approvalNoteText) });
    else writeText(alreadyApprovedText(name, plan));
    return ExitCode.ok;
  }
  const path = await writeContractVersion(dir, plan.next.contract);
  if (values.json) {
    writeJson({
      table: name,
      outcome: plan.outcome,
      version: plan.next.contract.version,
      file: path,
      ...sourceJson(plan.source),
      incidentId: plan.incidentId,
      acknowledges: plan.next.contract.approval?.acknowledges ?? [],
      notes: plan.notes.map(approvalNoteText),
    });
    return ExitCode.ok;
  }
  writeText(approvedText(name, plan, relative(process.cwd(), path) || path, reviewer));
  return ExitCode.ok;
}
