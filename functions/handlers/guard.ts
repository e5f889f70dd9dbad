/**
 * Lambda entry point: Glue Data Catalog events from EventBridge → the guard. Configuration, clients
 * and contracts are set up once per container, at cold start; a bad setting fails here, naming it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { retryConfig } from '../aws/client-config.js';
import { createEventPublisher } from '../aws/event-publisher.js';
import { createGlueCatalog } from '../aws/glue-catalog.js';
import { createGlueWorkflows } from '../aws/glue-workflows.js';
import { createSnsNotifier } from '../aws/sns-notifier.js';
import { loadContractIndex } from '../core/contracts/contract-index.js';
import { DEFAULT_SETTINGS, createGuard } from '../core/guard/guard.js';
import { readConfig } from './config.js';
import { createGuardHandler } from './guard-app.js';

const logger = new Logger({ serviceName: 'glue-drift-guard' });
const config = readConfig(process.env);
const contracts = await loadContractIndex(config.CONTRACTS_DIR);
logger.info('guard ready', { contracts: contracts.size, mode: config.GUARD_MODE });

const clientConfig = retryConfig();
const glue = new GlueClient(clientConfig);

const guard = createGuard(
  {
    catalog: createGlueCatalog({ client: glue }),
    workflows: createGlueWorkflows({ client: glue }),
    notifier: createSnsNotifier({ client: new SNSClient(clientConfig), topicArn: config.ALERT_TOPIC_ARN }),
    events: createEventPublisher({ client: new EventBridgeClient(clientConfig), eventBusName: config.EVENT_BUS_NAME }),
    contracts,
    log: logger,
  },
  { ...DEFAULT_SETTINGS, mode: config.GUARD_MODE, infoAlerts: config.INFO_ALERTS, concurrency: config.TABLE_CONCURRENCY },
);

export const handler = createGuardHandler(guard, logger);
