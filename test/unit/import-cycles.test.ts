/**
 * The import-cycle check (`npm run lint:cycles`: dependency-cruiser with .dependency-cruiser.js) must be able to
 * fail. Run with the script's own options on fixtures holding a runtime cycle, a cycle closed by `import type` and
 * an acyclic pair, it flags exactly the first two, each under its own rule.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROOT } from '../support/cli.js';

const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const FIXTURES = 'test/fixtures/import-cycles';
const packageJson = z.object({ scripts: z.record(z.string(), z.string()) });
const { scripts } = packageJson.parse(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')));
const cycleScript = scripts['lint:cycles'] ?? '';

describe('Import cycle check', () => {
  it('is part of `npm test`, through `npm run lint`, over functions/ and infra/', () => {
    expect(scripts.test).toMatch(/^npm run lint && /);
    expect(scripts.lint).toContain('npm run lint:cycles');
    expect(cycleScript).toMatch(/^depcruise --config \.dependency-cruiser\.js .*functions infra$/);
  });

  it('flags a runtime cycle and a type-only cycle in the fixtures, and nothing in the acyclic pair', { timeout: 60_000 }, () => {
    // Prepare: the options of `npm run lint:cycles`, aimed at the fixtures instead of functions/ and infra/.
    const options = cycleScript.split(' ').slice(1, -2);

    // Act
    const result = spawnSync(DEPCRUISE, [...options, FIXTURES], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });

    // Assess: the exit code is the number of errors; each cycle is named by its rule and its files.
    const output = result.stdout.replace(/\s+/g, ' ');
    expect(result).toMatchObject({ status: 2 }); // on failure the diff shows stdout and stderr too
    expect(output).toContain(`error no-runtime-cycle: ${FIXTURES}/runtime/ping.ts → ${FIXTURES}/runtime/pong.ts →`);
    expect(output).toContain(`error no-type-cycle: ${FIXTURES}/type-only/invoice.ts → ${FIXTURES}/type-only/order.ts →`);
    expect(output).not.toContain(`${FIXTURES}/acyclic/`);
    expect(output).toContain('2 dependency violations (2 errors, 0 warnings)');
  });
});
