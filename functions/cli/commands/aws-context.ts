/**
 * The AWS side of the live commands: SDK clients with the caller's credentials and region (and
 * AWS_ENDPOINT_URL, so the same commands work against the local stack), and the adapters on them.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { SNSClient } from '@aws-sdk/client-sns';
import { retryConfig } from '../../aws/client-config.js';
import { createGlueCatalog } from '../../aws/glue-catalog.js';
import { createGluePartitions } from '../../aws/glue-partitions.js';
import { createGluePipelines } from '../../aws/glue-pipelines.js';
import { resolveOrigin } from '../../aws/origin.js';
import { createSnsNotifier } from '../../aws/sns-notifier.js';
import type { TableRef } from '../../core/incidents/incident.js';
import { glueName } from '../../core/schema/glue-name.js';
import type { NotifierPort, Origin } from '../../core/ports.js';
import { UsageError } from '../output.js';

export function awsContext(options: { topicArn?: string | undefined } = {}) {
  const config = retryConfig();
  const glue = new GlueClient(config);
  const topicArn = options.topicArn ?? process.env.ALERT_TOPIC_ARN;
  const notifier: NotifierPort | undefined = topicArn === undefined || topicArn === '' ? undefined : createSnsNotifier({ client: new SNSClient(config), topicArn });
  let origin: Promise<Origin> | undefined;
  return {
    catalog: createGlueCatalog({ client: glue }),
    pipelines: createGluePipelines({ client: glue, events: new EventBridgeClient(config) }),
    /** Held partitions (a partition incident's resume brings back what the contract accepts). */
    partitions: createGluePartitions({ client: glue }),
    notifier,
    /** Region and account, resolved once (the account from the Glue catalog itself). */
    origin: (): Promise<Origin> => (origin ??= resolveOrigin(glue)),
  };
}

/**
 * `sales.orders` → { database: 'sales', table: 'orders' }, validated and lower-cased (Glue stores names in lower
 * case; core/schema/glue-name.ts). The first dot separates: a table name may hold dots, a database name may not here.
 */
export function parseTableRef(command: string, text: string | undefined): TableRef {
  const dot = text?.indexOf('.') ?? -1;
  if (text === undefined || dot <= 0 || dot === text.length - 1) throw new UsageError(`${command}: expected <database>.<table> (got ${text === undefined ? 'nothing' : `"${text}"`})`);
  const source = `${command} argument ${JSON.stringify(text)}`;
  return { database: glueName(source, 'database', 'database', text.slice(0, dot)), table: glueName(source, 'table', 'table', text.slice(dot + 1)) };
}

/** A `--database` (or `<db>`) argument, validated and lower-cased. */
export function parseDatabaseArg(command: string, text: string): string {
  return glueName(`${command} argument ${JSON.stringify(text)}`, 'database', 'database', text);
}
