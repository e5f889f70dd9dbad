/**
 * What ships reaches no test code: the import graph of every Lambda entry point, the `drift-guard` CLI and the
 * demo (esbuild's metafile over the sources tsc compiles one to one into dist/) holds no module under test/
 * and imports no package that is only a devDependency (npm does not install those for users).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROOT } from '../support/cli.js';

const ENTRY_POINTS = [
  'functions/handlers/guard.ts',
  'functions/handlers/reconcile.ts',
  'functions/handlers/slack-forwarder.ts',
  'functions/cli/main.ts',
  'infra/local/demo/run-demo.ts',
  'infra/local/cli.ts',
];

const manifest = z
  .object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
const devOnly = new Set(Object.keys(manifest.devDependencies).filter((name) => !(name in manifest.dependencies)));

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

async function importGraph(entry: string): Promise<{ modules: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.values(result.metafile.inputs);
  const packages = inputs.flatMap((input) => input.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => packageOf(i.path)));
  return { modules: Object.keys(result.metafile.inputs), packages: [...new Set(packages)].sort() };
}

describe('Shipped code', () => {
  it.each(ENTRY_POINTS)('%s reaches no test module and no devDependency', async (entry) => {
    const { modules, packages } = await importGraph(entry);
    expect(modules).toContain(entry);
    expect(modules.filter((path) => path.startsWith('test/'))).toEqual([]);
    expect(packages.filter((name) => devOnly.has(name))).toEqual([]);
  });
});
