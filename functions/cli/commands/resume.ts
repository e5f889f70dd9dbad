/**
 * `drift-guard resume <db>.<table>`: the approved schema back and exactly what the guard paused restarted.
 *
 * Writing a schema back is left to the deployed reconcile function: only it runs with the deployed contracts, and a
 * schema the deployed guard does not accept yet would be restored away again at once (as a new incident). So the
 * command puts a resume request on the guard's event bus and waits for the incident's holds to be released.
 * `--keep-current` writes nothing (the change stays rejected): it restarts the pipeline here, directly.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { retryConfig } from '../../aws/client-config.js';
import { awsCallError } from '../../aws/errors.js';
import { loadTableContracts, activeContract } from '../../core/contracts/contract-repository.js';
import { InputError } from '../../core/errors.js';
import { qualifiedName } from '../../core/incidents/incident.js';
import type { Origin, PipelinePort } from '../../core/ports.js';
import { RESUME_REQUEST_DETAIL_TYPE, RESUME_REQUEST_SOURCE, type ResumeRequest } from '../../core/reviewing/resume-request.js';
import { ResumeRefusedError, openIncidents, resumeTable } from '../../core/reviewing/resume.js';
import { resumeRequestText, resumeText } from '../../core/wording/cli.js';
import { resumeCatalogText } from '../../core/wording/incident.js';
import { ExitCode, UsageError, writeJson, writeText } from '../output.js';
import { awsContext, parseTableRef } from './aws-context.js';
import { DEFAULT_CONTRACTS_DIR, parseCommand } from './options.js';

export const resumeUsage = `drift-guard resume <db>.<table> [--incident <id>] [--restart-runs | --resume-runs | --leave-runs] [--event-bus NAME] [--wait SECONDS] [--json]
drift-guard resume <db>.<table> --keep-current [--incident <id>] [--restart-runs | --resume-runs | --leave-runs] [--contracts-dir DIR] [--topic-arn ARN] [--json]
  Asks the deployed guard to resume the incident (a request on its event bus, --event-bus or EVENT_BUS_NAME): its
  reconcile function writes the blocked schema back if the DEPLOYED contract accepts it, restarts exactly the
  triggers the guard stopped, and says so in the incident's chat thread (or why not). Waits up to --wait seconds
  (default 120; 0: do not wait) for the incident to be released. Runs the guard stopped stay held (the incident
  stays open) until released: --restart-runs starts a STOPPED one again (StartWorkflowRun), --resume-runs resumes a
  COMPLETED one with nodes left to run (ResumeWorkflowRun), --leave-runs lets them go. --keep-current: the change was
  rejected; keep the catalog as it is and restart the pipeline here (checked against the active contract in
  --contracts-dir, default ${DEFAULT_CONTRACTS_DIR}; the "resumed" alert goes to the chat thread when --topic-arn or
  ALERT_TOPIC_ARN is set).`;

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
      'event-bus': { type: 'string' },
      wait: { type: 'string', default: '120' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  const ref = parseTableRef('resume', positionals[0]);
  const aws = awsContext({ topicArn: values['topic-arn'] });
  if (!values['keep-current']) {
    const wait = Number(values.wait);
    if (!Number.isInteger(wait) || wait < 0 || wait > 3600) throw new UsageError(`resume: --wait must be a whole number of seconds from 0 to 3600 (got "${values.wait}")`);
    const bus = values['event-bus'] ?? process.env.EVENT_BUS_NAME;
    if (bus === undefined || bus === '') {
      throw new UsageError(
        'resume: the deployed guard writes the approved schema back: name its event bus with --event-bus or EVENT_BUS_NAME (the stack output EventBusName); --keep-current restarts the pipeline on the current schema without it',
      );
    }
    const origin = await aws.origin();
    const incidentId = values.incident ?? (await openIncidents({ catalog: aws.catalog, pipelines: aws.pipelines }, ref, origin))[0]?.incidentId;
    if (incidentId === undefined) throw new ResumeRefusedError({ code: 'nothing-paused', table: qualifiedName(ref) });
    const request: ResumeRequest = {
      database: ref.database,
      table: ref.table,
      incidentId,
      resumeRuns: values['resume-runs'],
      restartRuns: values['restart-runs'],
      leaveRuns: values['leave-runs'],
      requestedBy: process.env.USER ?? '',
    };
    const eventId = await putRequest(bus, request);
    // Asked what to do with the runs: wait for everything to be released; else for the triggers, then say what is held.
    const runsToo = values['restart-runs'] || values['resume-runs'] || values['leave-runs'];
    const released = wait === 0 ? false : await releasedWithin(aws.pipelines, origin, incidentId, runsToo, wait * 1000);
    // Released triggers with runs still held: the incident stays open until the runs are restarted, resumed or let go.
    const stillHeld = released ? await aws.pipelines.findPausedWorkflows(origin, { incidentId }) : [];
    const outcome = {
      table: qualifiedName(ref),
      incidentId,
      eventId,
      bus,
      waitedSeconds: wait,
      released,
      stillHeld: stillHeld.map((w) => ({ workflow: w.workflow, runs: w.stoppedRuns })),
    };
    if (values.json) writeJson(outcome);
    else writeText(resumeRequestText(outcome));
    return released || wait === 0 ? ExitCode.ok : ExitCode.breaking;
  }

  const dir = values['contracts-dir'];
  const history = await loadTableContracts(dir, ref.database, ref.table);
  const contract = history === undefined ? undefined : activeContract(history)?.contract;
  if (contract === undefined) throw new InputError(dir, `${ref.database}/${ref.table}`, `an approved contract for ${ref.database}.${ref.table}`);
  const report = await resumeTable(
    { catalog: aws.catalog, pipelines: aws.pipelines, partitions: aws.partitions, ...(aws.notifier === undefined ? {} : { notifier: aws.notifier }) },
    contract,
    ref,
    await aws.origin(),
    {
      ...(values.incident === undefined ? {} : { incidentId: values.incident }),
      keepCurrent: true,
      resumeRuns: values['resume-runs'],
      restartRuns: values['restart-runs'],
      leaveRuns: values['leave-runs'],
    },
  );
  if (values.json) writeJson({ ...report, catalogNote: resumeCatalogText(report.catalogNote), alerted: report.alert.status === 'sent' });
  else writeText(resumeText(report));
  return ExitCode.ok;
}

/** PutEvents of the request on the guard's bus; its event id. */
async function putRequest(bus: string, request: ResumeRequest): Promise<string> {
  const client = new EventBridgeClient(retryConfig());
  let out;
  try {
    out = await client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: RESUME_REQUEST_SOURCE, DetailType: RESUME_REQUEST_DETAIL_TYPE, Detail: JSON.stringify(request) }] }),
    );
  } catch (error) {
    throw awsCallError('events:PutEvents', error);
  }
  const entry = out.Entries?.[0];
  if ((out.FailedEntryCount ?? 0) > 0 || entry?.EventId === undefined) {
    throw new InputError(`event bus ${bus}`, '', `the resume request was refused (${entry?.ErrorCode ?? 'no event id'}: ${entry?.ErrorMessage ?? ''})`);
  }
  return entry.EventId;
}

/**
 * Polls until no trigger (and, with `runsToo`, no workflow) carries the incident's tags any more — reconcile released
 * them — or `timeoutMs` passes.
 */
async function releasedWithin(pipelines: PipelinePort, origin: Origin, incidentId: string, runsToo: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = [
      ...(await pipelines.findPausedTriggers(origin, { incidentId })),
      ...(await pipelines.findHeldProducers(origin, { incidentId })),
      ...(runsToo ? await pipelines.findPausedWorkflows(origin, { incidentId }) : []),
    ];
    if (held.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(2_000, Math.max(0, deadline - Date.now())));
  }
}
