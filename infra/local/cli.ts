/**
 * `node dist/infra/local/cli.js [--port 4010] [--region us-east-1] [--seed 1]`: starts the local stack and
 * prints its endpoint. The project's `drift-guard` CLI wraps `main`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startLocalStack, type LocalStack } from './index.js';

export const DEFAULT_CLI_PORT = 4010;

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_CLI_PORT),
  region: z.string().min(1).default('us-east-1'),
  seed: z.coerce.number().int().default(1),
});

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<LocalStack> {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, region: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const options = argsSchema.parse({ port: values.port ?? process.env.PORT, region: values.region, seed: values.seed });
  const stack = await startLocalStack(options);
  console.log(`glue-drift-guard local AWS stack (Glue, EventBridge, SNS) listening on ${stack.endpoint}`);
  console.log(`  export AWS_ENDPOINT_URL=${stack.endpoint} AWS_REGION=${stack.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);
  console.log(`  faults:  curl -X POST ${stack.endpoint}/_local/faults -d '{"throttleRate":0.3}'`);
  console.log(`  inspect: curl ${stack.endpoint}/_local/calls   (also /_local/events, /_local/sns/published, /_local/eventbridge/entries)`);
  const shutdown = (): void => {
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return stack;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
