/** `drift-guard local`: the guard on a local AWS stack that keeps running, for trying it by hand. */
import { resolve } from 'node:path';
import { DEMO, seedDemoCatalog } from '../../../infra/local/demo/demo-catalog.js';
import { startLocalGuard } from '../../../infra/local/demo/local-guard.js';
import { ExitCode, UsageError, writeText } from '../output.js';
import { DEFAULT_CONTRACTS_DIR, oneOf, parseCommand } from './options.js';

export const localUsage = `drift-guard local [--port 4010] [--contracts-dir DIR] [--no-demo] [--mode enforce|observe] [--verbose]
  Starts the local AWS stack (Glue, EventBridge, SNS) with the guard subscribed to its Glue events, seeds the
  demo catalog (sales.orders, its crawler and workflow) unless --no-demo, prints the endpoint, and runs until Ctrl-C.`;

export async function localCommand(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseCommand('local', args, {
    port: { type: 'string', default: '4010' },
    'contracts-dir': { type: 'string', default: DEFAULT_CONTRACTS_DIR },
    'no-demo': { type: 'boolean', default: false },
    mode: { type: 'string', default: 'enforce' },
    verbose: { type: 'boolean', default: false },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`local: --port must be a TCP port (got "${values.port}")`);
  const mode = oneOf('local', 'mode', ['enforce', 'observe'] as const, values.mode) ?? 'enforce';
  const guard = await startLocalGuard({
    contractsDir: resolve(values['contracts-dir']),
    port,
    mode,
    verbose: values.verbose,
    onSummary: (summary) => {
      for (const t of summary.tables) {
        writeText(`${new Date().toISOString()}  ${summary.detailType} → ${t.database}.${t.table}: ${t.outcome}${t.incidentId === undefined ? '' : ` (${t.incidentId})`}`);
      }
    },
  });
  if (!values['no-demo']) seedDemoCatalog(guard.stack);
  const endpoint = guard.stack.endpoint;
  writeText(
    [
      `glue-drift-guard local stack on ${endpoint}, guard subscribed (mode ${mode}); alerts go to ${guard.topicArn}`,
      '',
      `  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${guard.stack.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
      ...(values['no-demo']
        ? []
        : [
            `  aws glue get-table --database-name ${DEMO.database} --name ${DEMO.table} > orders.json`,
            '  # edit the columns in a copy of .Table as a TableInput (drop read-only fields), then:',
            `  aws glue update-table --database-name ${DEMO.database} --table-input file://table-input.json`,
            `  aws glue get-trigger --name ${DEMO.triggers.schedule}`,
          ]),
      `  curl ${endpoint}/_local/sns/published      # the alerts, as Chatbot would receive them`,
      `  curl -X POST ${endpoint}/_local/faults -d '{"throttleRate":0.3}'   # inject faults`,
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await guard.stack.stop();
  return ExitCode.ok;
}
