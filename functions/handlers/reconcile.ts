/**
 * Lambda entry point: reconcile open incidents after each deploy (CloudFormation stack update event), on a schedule,
 * and on a reviewer's resume request. Set up once per container, like the guard.
 */
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
  clients: { glue: new GlueClient(clientConfig), sns: new SNSClient(clientConfig) },
  log: functionLog(logger),
});

export const handler = built.handler;
