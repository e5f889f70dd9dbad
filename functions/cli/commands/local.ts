/** `drift-guard local`: the guard on a local AWS stack that keeps running, for trying it by hand. */
import { resolve } from 'node:path';
import { DEMO, seedDemoCatalog } from '../../../infra/local/demo/demo-catalog.js';
import { LOCAL_EVENT_BUS, startLocalGuard } from '../../../infra/local/demo/local-guard.js';
import { InputError } from '../../core/errors.js';
import { localBannerText, localOutcomeLine, localReconcileLines, portInUseText } from '../../core/wording/cli.js';
import { ExitCode, UsageError, writeText } from '../output.js';
import { DEFAULT_CONTRACTS_DIR, oneOf, parseCommand } from './options.js';

export const localUsage = `drift-guard local [--port 4010] [--contracts-dir DIR] [--no-demo] [--mode enforce|observe] [--verbose]
  Starts the local AWS stack (Glue, EventBridge, SNS) with the guard subscribed to its Glue events and reconcile to
  resume requests, seeds the demo catalog (sales.orders, its crawler and workflow) unless --no-demo, prints the
  endpoint, and runs until Ctrl-C. The contracts directory is watched: a change is a local deploy (both functions
  reload it, then reconcile runs), so approve → resume works as on AWS.`;

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
      for (const t of summary.tables) writeText(localOutcomeLine(new Date(), summary.detailType, t));
    },
    watchContracts: true,
    onReconcile: (summary) => {
      for (const line of localReconcileLines(new Date(), summary)) writeText(line);
    },
    onDeployError: (error) => {
      process.stderr.write(`drift-guard local: the changed contracts were not deployed (the previous ones stay): ${error instanceof Error ? error.message : String(error)}\n`);
    },
  }).catch((error: unknown) => {
    // node:net, server.listen: an 'error' event with code EADDRINUSE when another socket holds the port.
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') throw new InputError(`local --port ${port}`, '', portInUseText(port), { cause: error });
    throw error;
  });
  if (!values['no-demo']) seedDemoCatalog(guard.stack);
  const endpoint = guard.stack.endpoint;
  writeText(
    localBannerText({
      endpoint,
      region: guard.stack.region,
      mode,
      topicArn: guard.topicArn,
      eventBus: LOCAL_EVENT_BUS,
      contractsDir: resolve(values['contracts-dir']),
      ...(values['no-demo'] ? {} : { demo: { database: DEMO.database, table: DEMO.table, scheduleTrigger: DEMO.triggers.schedule } }),
    }),
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
  guard.stopWatching();
  await guard.stack.stop();
  return ExitCode.ok;
}
