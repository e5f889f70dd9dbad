/**
 * Lambda entry point: Glue Data Catalog events from EventBridge → the guard. Configuration, clients
 * and contracts are set up once per container, at cold start; a bad setting fails here, naming it.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { retryConfig } from '../aws/client-config.js';
import { readConfig } from './config.js';
import { buildGuardHandler } from './guard-app.js';
import { createFunctionLogger, functionLog } from './logging.js';

const logger = createFunctionLogger('glue-drift-guard');
const config = readConfig(process.env);
const clientConfig = retryConfig();
const built = await buildGuardHandler({
  config,
  clients: { glue: new GlueClient(clientConfig), sns: new SNSClient(clientConfig), eventBridge: new EventBridgeClient(clientConfig) },
  log: functionLog(logger),
  // Its role may not start triggers or runs (serverless.yml GuardRole): an incident the deployed contracts accept is
  // completed by reconcile, which runs after every deploy.
  settings: { releasesIncidents: false },
});
logger.info('guard ready', { contracts: built.contracts.size, mode: config.GUARD_MODE });

export const handler = built.handler;
