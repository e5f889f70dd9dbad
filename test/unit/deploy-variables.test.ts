/**
 * Deployment parameters that cannot work are refused when osls packages (infra/deploy/variables.cjs resolves them),
 * with the reason: a reserved concurrency must be a positive integer, and Lambda keeps at least 100 of the account's
 * concurrency unreserved (PutFunctionConcurrency), so the message says the account needs reserved + 100.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface ResolverArgs {
  readonly resolveVariable: (address: string) => Promise<unknown>;
}
type Resolver = (args: ResolverArgs) => Promise<unknown>;

const variables: unknown = createRequire(import.meta.url)('../../infra/deploy/variables.cjs');

/** osls calls each exported function with its resolver arguments (lib/configuration/variables/sources/file.js). */
const isResolver = (value: unknown): value is Resolver => typeof value === 'function';

function resolver(name: string): Resolver {
  if (typeof variables !== 'object' || variables === null || !(name in variables)) throw new Error(`variables.cjs exports no ${name}`);
  const value: unknown = Object.getOwnPropertyDescriptor(variables, name)?.value;
  if (!isResolver(value)) throw new Error(`variables.cjs ${name} is not a function`);
  return value;
}

const withParams =
  (params: Record<string, unknown>): ResolverArgs['resolveVariable'] =>
  (address) =>
    Promise.resolve(params[address.replace(/^param:/, '')]);

describe('deploy parameter guardConcurrency', () => {
  it.each([[10], ['10'], [1], ['250']])('accepts %j as a reserved concurrency', async (value) => {
    // Act
    const resolved = await resolver('guardConcurrency')({ resolveVariable: withParams({ guardConcurrency: value }) });

    // Assess
    expect(resolved).toBe(Number(value));
  });

  it.each([[0], ['0'], [-5], ['ten'], ['2.5'], [''], [true]])('refuses %j with the reason and the account minimum', async (value) => {
    // Act
    const resolving = resolver('guardConcurrency')({ resolveVariable: withParams({ guardConcurrency: value }) });

    // Assess
    await expect(resolving).rejects.toThrow(/guardConcurrency must be a positive integer/);
    await expect(resolving).rejects.toThrow(/at least 100 .*unreserved/);
    await expect(resolving).rejects.toThrow(/guardConcurrency \+ 100/);
  });
});

describe('deploy parameter stopRunningRuns', () => {
  it.each([
    ['true', 'true'],
    ['false', 'false'],
    [true, 'true'],
    [false, 'false'],
  ])('accepts %j', async (value, expected) => {
    // Act
    const resolved = await resolver('stopRunningRuns')({ resolveVariable: withParams({ stopRunningRuns: value }) });

    // Assess
    expect(resolved).toBe(expected);
  });

  it('refuses anything but true or false, naming the parameter', async () => {
    // Act
    const resolving = resolver('stopRunningRuns')({ resolveVariable: withParams({ stopRunningRuns: 'yes' }) });

    // Assess
    await expect(resolving).rejects.toThrow(/stopRunningRuns must be true or false \(got "yes"\)/);
  });
});
