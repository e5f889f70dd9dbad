/**
 * The guard handler and its wiring. `buildGuardHandler` is the one composition of the guard: from the
 * configuration, SDK clients and a logger to the handler. The Lambda entry point (guard.ts) calls it with
 * what it builds from the environment at cold start; the local stack (`npm start`, `drift-guard local`)
 * and the tests call it with clients pointed at the local stack.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { createEventPublisher } from '../aws/event-publisher.js';
import { type GlueStoredTable, createGlueCatalog } from '../aws/glue-catalog.js';
import { createGluePartitions } from '../aws/glue-partitions.js';
import { createGluePipelines } from '../aws/glue-pipelines.js';
import { createGlueWorkflows } from '../aws/glue-workflows.js';
import { createProducerHolds } from '../aws/producer-holds.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import { type ContractIndex, loadContractIndex } from '../core/contracts/contract-index.js';
import { InputErrors } from '../core/errors.js';
import { workFor } from '../core/guard/glue-events.js';
import { DEFAULT_SETTINGS, type Guard, type GuardSettings, type TableResult, createGuard } from '../core/guard/guard.js';
import type { HandlerLog } from './logging.js';
import type { CatalogPort } from '../core/ports.js';
import type { GuardConfig } from './config.js';
import { MalformedEventError } from './errors.js';
import { parseGlueEvent } from './glue-event.js';
import { logInvocation } from './logging.js';
import { unwrapRedrive } from './redrive.js';

export interface GuardSummary {
  readonly eventId: string;
  readonly detailType: string;
  readonly tables: readonly { readonly database: string; readonly table: string; readonly outcome: string; readonly incidentId?: string; readonly alerted?: boolean }[];
}

export { MalformedEventError };

export type GuardHandler = (event: unknown, context?: Context) => Promise<GuardSummary>;

function summarise(result: TableResult): GuardSummary['tables'][number] {
  const { database, table, result: outcome } = result;
  if (outcome.outcome === 'partitions') {
    const p = outcome.partitions;
    if (p.outcome === 'held' || p.outcome === 'observed') return { database, table, outcome: `partitions-${p.outcome}`, incidentId: p.incidentIds.join(' '), alerted: p.alerted };
    return { database, table, outcome: `partitions-${p.outcome}` };
  }
  if (outcome.outcome === 'left-to-reconcile') return { database, table, outcome: outcome.outcome, incidentId: outcome.incidentId };
  if (outcome.outcome === 'resumed') return { database, table, outcome: outcome.outcome, incidentId: outcome.incidentId, alerted: outcome.report.alert.status === 'sent' };
  if ('incidentId' in outcome) return { database, table, outcome: outcome.outcome, incidentId: outcome.incidentId, alerted: outcome.alerted };
  return { database, table, outcome: outcome.outcome };
}

/** Parse the event (a dead-letter record is unwrapped), let the core guard decide, log the outcome. */
export function createGuardHandler(guard: Pick<Guard, 'handle'>, log: HandlerLog): GuardHandler {
  return (event, context) =>
    logInvocation(log, context, async () => {
      let parsed;
      try {
        parsed = parseGlueEvent(unwrapRedrive(event));
      } catch (error) {
        if (!(error instanceof InputErrors)) throw error;
        const problems = error.errors.map((e) => `${e.field}: ${e.expected}`);
        log.error('malformed Glue event rejected', { problems });
        throw new MalformedEventError(problems, { cause: error });
      }
      log.appendKeys({ eventId: parsed.id, detailType: parsed['detail-type'] });
      const results = await guard.handle(workFor(parsed), { region: parsed.region, account: parsed.account, eventId: parsed.id });
      const summary: GuardSummary = { eventId: parsed.id, detailType: parsed['detail-type'], tables: results.map(summarise) };
      log.info('event handled', { tables: summary.tables });
      return summary;
    });
}

export interface GuardClients {
  readonly glue: GlueClient;
  readonly sns: SNSClient;
  readonly eventBridge: EventBridgeClient;
}

export interface GuardWiring {
  readonly config: GuardConfig;
  readonly clients: GuardClients;
  readonly log: HandlerLog;
  /** The catalog adapter, when not the one built on `clients.glue` (tests wrap it to race the guard's restore). */
  readonly catalog?: CatalogPort<GlueStoredTable>;
  /** Settings the environment does not carry (tests shorten the restore claim); these win over the configuration. */
  readonly settings?: Partial<GuardSettings>;
  /** The guard's clock (tests move it forward). */
  readonly now?: () => Date;
}

/**
 * Loads and validates the contracts in CONTRACTS_DIR and builds the guard on them: the one wiring of the guard,
 * used by the guard handler and by reconcile's sweep.
 */
export async function buildGuard(wiring: GuardWiring): Promise<{ readonly guard: Guard; readonly contracts: ContractIndex }> {
  const { config, clients, log } = wiring;
  const contracts = await loadContractIndex(config.CONTRACTS_DIR);
  const guard = createGuard(
    {
      catalog: wiring.catalog ?? createGlueCatalog({ client: clients.glue }),
      partitions: createGluePartitions({ client: clients.glue }),
      workflows: createGlueWorkflows({ client: clients.glue, producers: createProducerHolds({ glue: clients.glue, events: clients.eventBridge }) }),
      pipelines: createGluePipelines({ client: clients.glue, events: clients.eventBridge }),
      notifier: createSnsNotifier({ client: clients.sns, topicArn: config.ALERT_TOPIC_ARN }),
      events: createEventPublisher({ client: clients.eventBridge, eventBusName: config.EVENT_BUS_NAME }),
      contracts,
      log,
      ...(wiring.now === undefined ? {} : { now: wiring.now }),
    },
    {
      ...DEFAULT_SETTINGS,
      mode: config.GUARD_MODE,
      infoAlerts: config.INFO_ALERTS,
      concurrency: config.TABLE_CONCURRENCY,
      stopRunningRuns: config.STOP_RUNNING_RUNS,
      ...wiring.settings,
    },
  );
  return { guard, contracts };
}

/** Loads and validates the contracts in CONTRACTS_DIR and builds the guard handler on them. */
export async function buildGuardHandler(wiring: GuardWiring): Promise<{ readonly handler: GuardHandler; readonly contracts: ContractIndex }> {
  const { guard, contracts } = await buildGuard(wiring);
  return { handler: createGuardHandler(guard, wiring.log), contracts };
}
