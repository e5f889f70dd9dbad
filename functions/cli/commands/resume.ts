/** `drift-guard resume <db>.<table>`: write the approved schema back and restart exactly what the guard paused. */
import { loadTableContracts, activeContract } from '../../core/contracts/contract-repository.js';
import { InputError } from '../../core/errors.js';
import { resumeTable } from '../../core/reviewing/resume.js';
import { resumeText } from '../../core/wording/cli.js';
import { resumeCatalogText } from '../../core/wording/incident.js';
import { ExitCode, writeJson, writeText } from '../output.js';
import { awsContext, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand } from './options.js';

export const resumeUsage = `drift-guard resume <db>.<table> [--incident <id>] [--keep-current] [--restart-runs] [--resume-runs] [--leave-runs]
                  [--contracts-dir DIR] [--topic-arn ARN] [--json]
  Once the active contract accepts the blocked schema: writes it back (optimistic lock) and restarts exactly the
  triggers the guard stopped for the incident (removing its tags). --keep-current: the change was rejected; keep
  the catalog as it is and restart the pipeline. Runs the guard stopped stay held (the incident stays open) until
  released: --restart-runs starts a STOPPED one again (StartWorkflowRun), --resume-runs resumes a COMPLETED one
  with nodes left to run (ResumeWorkflowRun), --leave-runs lets them go.
  The "resumed" alert goes to the incident's chat thread when --topic-arn (or ALERT_TOPIC_ARN) is set.`;

export async function resumeCommand(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    'resume',
    args,
    {
      incident: { type: 'string' },
      'keep-current': { type: 'boolean', default: false },
      'resume-runs': { type: 'boolean', default: false },
      'restart-runs': { type: 'boolean', default: false },
      'leave-runs': { type: 'boolean', default: false },
      'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
      'topic-arn': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const ref = parseTableRef('resume', positionals[0]);
  const dir = values['contracts-dir'];
  const history = await loadTableContracts(dir, ref.database, ref.table);
  const contract = history === undefined ? undefined : activeContract(history)?.contract;
  if (contract === undefined) throw new InputError(dir, `${ref.database}/${ref.table}`, `an approved contract for ${ref.database}.${ref.table}`);
  const aws = awsContext({ topicArn: values['topic-arn'] });
  const report = await resumeTable(
    { catalog: aws.catalog, pipelines: aws.pipelines, ...(aws.notifier === undefined ? {} : { notifier: aws.notifier }) },
    contract,
    ref,
    await aws.origin(),
    {
      ...(values.incident === undefined ? {} : { incidentId: values.incident }),
      keepCurrent: values['keep-current'],
      resumeRuns: values['resume-runs'],
      restartRuns: values['restart-runs'],
      leaveRuns: values['leave-runs'],
    },
  );
  if (values.json) writeJson({ ...report, catalogNote: resumeCatalogText(report.catalogNote), alerted: report.alert.status === 'sent' });
  else writeText(resumeText(report));
  return ExitCode.ok;
}
