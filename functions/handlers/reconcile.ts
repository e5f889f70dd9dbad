/**
 * Lambda entry point: reconcile open incidents after each deploy (CloudFormation stack update event) and on
 * a schedule. Set up once per container, like the guard.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { retryConfig } from '../aws/client-config.js';
import { createGlueCatalog } from '../aws/glue-catalog.js';
import { createGluePipelines } from '../aws/glue-pipelines.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import { loadContractIndex } from '../core/contracts/contract-index.js';
import { reconcile } from '../core/reviewing/reconcile.js';
import { readConfig } from './config.js';
import { createFunctionLogger, functionLog, logInvocation } from './logging.js';
import { originFromContext, parseReconcileTrigger } from './reconcile-app.js';
import { unwrapRedrive } from './redrive.js';

const logger = createFunctionLogger('glue-drift-guard-reconcile');
const log = functionLog(logger);
const config = readConfig(process.env);
const contracts = await loadContractIndex(config.CONTRACTS_DIR);
const clientConfig = retryConfig();
const glue = new GlueClient(clientConfig);
const deps = {
  catalog: createGlueCatalog({ client: glue }),
  pipelines: createGluePipelines({ client: glue }),
  notifier: createSnsNotifier({ client: new SNSClient(clientConfig), topicArn: config.ALERT_TOPIC_ARN }),
  contracts,
  log,
};

export const handler = (event: unknown, context: Context) =>
  logInvocation(log, context, async () => {
    const trigger = parseReconcileTrigger(unwrapRedrive(event));
    log.appendKeys({ trigger });
    const outcomes = await reconcile(deps, originFromContext(context));
    const summary = outcomes.map((o) => ({ incidentId: o.incidentId, table: o.table, outcome: o.outcome, ...('reason' in o ? { reason: o.reason } : {}) }));
    log.info('reconciled', { incidents: summary });
    // Failures were logged and the others resumed; failing the run raises the reconcile-errors alarm.
    const failed = summary.filter((o) => o.outcome === 'failed');
    if (failed.length > 0) throw new Error(`${failed.length} incident(s) could not be resumed: ${failed.map((f) => `${f.incidentId} (${f.reason ?? ''})`).join('; ')}`);
    return { trigger, incidents: summary };
  });
