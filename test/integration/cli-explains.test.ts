/**
 * Issue 14, "a CLI that explains itself": the live commands run as a user runs them (the built binary, real SDK v3
 * clients over HTTP) against the local stack. No AWS SDK noise, and a typo is an error naming what does not exist.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemoCatalog } from '../../infra/local/demo/demo-catalog.js';
import { type LocalStack, startLocalStack } from '../../infra/local/index.js';
import { runCliAsync } from '../support/cli.js';
import { CONTRACTS_DIR } from '../support/guard-scenario.js';

describe('drift-guard live commands explain themselves', { timeout: 60_000 }, () => {
  let stack: LocalStack;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startLocalStack();
    seedDemoCatalog(stack);
    // The caller's environment as a user has it: no AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED (undefined is dropped by spawn).
    env = { AWS_ENDPOINT_URL: stack.endpoint, AWS_REGION: stack.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('history and audit print no NodeVersionSupportWarning (nor any other SDK warning) on Node 20', async () => {
    // Act
    const history = await runCliAsync(['history', `${DEMO.database}.${DEMO.table}`, '--contracts-dir', CONTRACTS_DIR], { env });
    const audit = await runCliAsync(['audit', '--database', DEMO.database, '--contracts-dir', CONTRACTS_DIR], { env });
    // Assess
    expect(history.stderr).toBe('');
    expect(history.code).toBe(0);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
  });

  it('history of a table the catalog does not have: exit 2 naming it, with the database\'s nearest table', async () => {
    // Act
    const result = await runCliAsync(['history', `${DEMO.database}.ordres`, '--contracts-dir', CONTRACTS_DIR], { env });
    // Assess
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no table "ordres" in Glue database "sales"');
    expect(result.stderr).toContain('did you mean sales.orders?');
  });

  it('history in a database the catalog does not have: exit 2 naming the database', async () => {
    const result = await runCliAsync(['history', 'nope.orders', '--contracts-dir', CONTRACTS_DIR], { env });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Glue database "nope"');
  });

  it('audit --database of a database the catalog does not have: exit 2 naming it', async () => {
    const result = await runCliAsync(['audit', '--database', DEMO.database, '--database', 'nope', '--contracts-dir', CONTRACTS_DIR], { env });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Glue database "nope"');
    expect(result.stderr).not.toContain('"sales"');
  });

  it('history --contracts-dir of a directory that does not exist: exit 2 saying so, before any AWS call', async () => {
    const result = await runCliAsync(['history', `${DEMO.database}.${DEMO.table}`, '--contracts-dir', '/nonexistent-drift-guard-contracts'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent-drift-guard-contracts: no such directory');
  });
});

describe('drift-guard local on a busy port', { timeout: 60_000 }, () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    port = address.port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => { resolve(); }));
  });

  it('says the port is in use and how to choose another, exit 2, no stack trace', async () => {
    const result = await runCliAsync(['local', '--port', String(port), '--contracts-dir', CONTRACTS_DIR]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
