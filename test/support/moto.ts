/**
 * A moto server (the independent AWS emulator) for one test file: started on a free 127.0.0.1 port chosen by the
 * server itself (port 0, so no race with other files), ready when it answers, always stopped — `stop()` in afterAll,
 * and a process 'exit' hook as the last resort should a hook time out or the worker be torn down.
 *
 *   const moto = await startMoto(inject('python'));
 *   const glue = new GlueClient(moto.clientConfig());
 *   ...
 *   await moto.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const MOTO_REGION = 'us-east-1';
/** moto's default account. */
export const MOTO_ACCOUNT_ID = '123456789012';

export interface MotoServer {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number };
  /** Environment for a child process (the CLI) pointed at moto. */
  env(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => {
    live.delete(child);
  });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/** Starts moto's server; rejects (and kills it) if it does not answer within `timeoutMs`. */
export async function startMoto(python: string, { timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  killOnExit(child);
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`moto did not start within ${String(timeoutMs)} ms: ${output.trim()}`)); }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`moto exited with ${String(code)} before it was ready: ${output.trim()}`));
      });
    });
    // Listening is announced before the first request is served: wait for an answer.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`moto at ${endpoint} did not answer within ${String(timeoutMs)} ms`);
      await sleep(100);
    }
    const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
    return {
      endpoint,
      region: MOTO_REGION,
      accountId: MOTO_ACCOUNT_ID,
      clientConfig: () => ({ endpoint, region: MOTO_REGION, credentials, maxAttempts: 2 }),
      env: () => ({
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: MOTO_REGION,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
