/** Which Python runs moto and cfn-lint: the chooser over a fake machine, one case per path of the README's set-up. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ToolchainProbe, chooseToolchain, ensureToolchain, venvPython } from '../support/python-toolchain.js';

const ROOT = '/project';

function machine(pythons: Record<string, { version: [number, number]; tools: boolean }>, venv?: { tools: boolean }): ToolchainProbe {
  const venvPath = venvPython(ROOT);
  return {
    pythonVersion: (python) => (python === venvPath && venv !== undefined ? [3, 11] : pythons[python]?.version),
    hasTools: (python) => (python === venvPath ? (venv?.tools ?? false) : (pythons[python]?.tools ?? false)),
    exists: (path) => path === venvPath && venv !== undefined,
  };
}

describe('Python toolchain for moto and cfn-lint', () => {
  it('uses the python3 on PATH when it has both (this machine kind, CI): nothing to install', () => {
    expect(chooseToolchain(ROOT, machine({ python3: { version: [3, 11], tools: true } }))).toEqual({ kind: 'ready', python: 'python3', source: 'path' });
  });

  it('uses .venv-moto/ when an earlier run made it', () => {
    expect(chooseToolchain(ROOT, machine({ python3: { version: [3, 12], tools: false } }, { tools: true }))).toEqual({
      kind: 'ready',
      python: venvPython(ROOT),
      source: 'venv',
    });
  });

  it('makes .venv-moto/ from the pinned requirements with Python ≥ 3.9 lacking them, and says so', () => {
    const choice = chooseToolchain(ROOT, machine({ python3: { version: [3, 9], tools: false } }));
    expect(choice).toMatchObject({ kind: 'create-venv', basePython: 'python3', venvPython: join(ROOT, '.venv-moto', 'bin', 'python') });
    expect(choice.kind === 'create-venv' ? choice.message : '').toBe(
      'python3 lacks moto 5.2.1 / cfn-lint 1.51.0: installing them into .venv-moto/ from infra/local/moto-requirements.txt (once)',
    );
  });

  it('falls back to `python` when python3 is too old, and never uses a Python older than 3.9', () => {
    expect(chooseToolchain(ROOT, machine({ python3: { version: [3, 8], tools: true }, python: { version: [3, 10], tools: false } }))).toMatchObject({
      kind: 'create-venv',
      basePython: 'python',
    });
  });

  it('without Python ≥ 3.9 fails with one line saying what to install', () => {
    const probe = machine({ python: { version: [2, 7], tools: false } });
    expect(chooseToolchain(ROOT, probe)).toEqual({
      kind: 'missing',
      message: 'npm test needs Python ≥ 3.9 for moto and cfn-lint: install python3 (https://www.python.org/downloads/) and run npm test again',
    });
    expect(() => ensureToolchain(ROOT, probe, () => undefined)).toThrow(/^npm test needs Python ≥ 3\.9 [^\n]*$/);
  });

  it('never installs anything when the tools are there', () => {
    const lines: string[] = [];
    expect(ensureToolchain(ROOT, machine({ python3: { version: [3, 11], tools: true } }), (line) => lines.push(line))).toBe('python3');
    expect(lines).toEqual([]);
  });
});
