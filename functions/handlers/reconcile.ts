/**
 * Lambda entry point: reconcile open incidents after each deploy (CloudFormation stack update event) and on
 * a schedule. Set up once per container, like the guard.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { retryConfig } from '../aws/client-config.js';
import { createGlueCatalog } from '../aws/glue-catalog.js';
import { createGluePipelines } from '../aws/glue-pipelines.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import { loadContractIndex } from '../core/contracts/contract-index.js';
import { unwrapRedrive } from '../core/guard/glue-events.js';
import { reconcile } from '../core/reviewing/reconcile.js';
import { readConfig } from './config.js';
import { originFromContext, parseReconcileTrigger } from './reconcile-app.js';

const logger = new Logger({ serviceName: 'glue-drift-guard-reconcile' });
const config = readConfig(process.env);
const contracts = await loadContractIndex(config.CONTRACTS_DIR);
const clientConfig = retryConfig();
const glue = new GlueClient(clientConfig);
const deps = {
  catalog: createGlueCatalog({ client: glue }),
  pipelines: createGluePipelines({ client: glue }),
  notifier: createSnsNotifier({ client: new SNSClient(clientConfig), topicArn: config.ALERT_TOPIC_ARN }),
  contracts,
  log: logger,
};

export const handler = async (event: unknown, context: Context) => {
  const trigger = parseReconcileTrigger(unwrapRedrive(event));
  const outcomes = await reconcile(deps, originFromContext(context));
  const summary = outcomes.map((o) => ({ incidentId: o.incidentId, table: o.table, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) }));
  logger.info('reconciled', { trigger, incidents: summary });
  // Failures were logged and the others resumed; failing the run raises the reconcile-errors alarm.
  const failed = summary.filter((o) => o.outcome === 'failed');
  if (failed.length > 0) throw new Error(`${failed.length} incident(s) could not be resumed: ${failed.map((f) => `${f.incidentId} (${f.reason ?? ''})`).join('; ')}`);
  return { trigger, incidents: summary };
};
