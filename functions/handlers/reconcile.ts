/**
 * Lambda entry point: reconcile open incidents after each deploy (CloudFormation stack update event), on a schedule
 * (where it also sweeps every guarded table for drift whose Glue event was never delivered), and on a reviewer's
 * resume request. Set up once per container, through the guard's own wiring.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { retryConfig } from '../aws/client-config.js';
import { readConfig } from './config.js';
import { createFunctionLogger, functionLog } from './logging.js';
import { buildReconcileHandler } from './reconcile-app.js';

const logger = createFunctionLogger('glue-drift-guard-reconcile');
const config = readConfig(process.env);
const clientConfig = retryConfig();
const built = await buildReconcileHandler({
  config,
  clients: { glue: new GlueClient(clientConfig), sns: new SNSClient(clientConfig), eventBridge: new EventBridgeClient(clientConfig) },
  log: functionLog(logger),
});
logger.info('reconcile ready', { contracts: built.contracts.size, mode: config.GUARD_MODE });

export const handler = built.handler;
