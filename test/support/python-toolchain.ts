/**
 * Finds the Python that runs the suite's independent checks (moto's server, cfn-lint), keeping set-up at two
 * commands: the python3 on PATH when it has both (this machine kind, CI); else a project-local virtual environment
 * `.venv-moto/` made from the pinned `infra/local/moto-requirements.txt` (never the user's global Python); without
 * Python ≥ 3.9, one line saying what to install. The choice is pure over a probe, so each path is unit-tested.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const MOTO_VERSION = '5.2.1';
export const CFN_LINT_VERSION = '1.51.0';
export const VENV_DIR = '.venv-moto';
export const REQUIREMENTS_FILE = join('infra', 'local', 'moto-requirements.txt');
export const MIN_PYTHON: readonly [number, number] = [3, 9];

/** What the chooser may ask of the machine. */
export interface ToolchainProbe {
  /** `major.minor` of this interpreter, or undefined when it does not run. */
  pythonVersion(python: string): readonly [number, number] | undefined;
  /** Whether this interpreter imports moto (at MOTO_VERSION, with its server) and cfn-lint. */
  hasTools(python: string): boolean;
  /** Whether a file exists (the venv's interpreter). */
  exists(path: string): boolean;
}

export type Toolchain =
  | { readonly kind: 'ready'; readonly python: string; readonly source: 'path' | 'venv' }
  | { readonly kind: 'create-venv'; readonly basePython: string; readonly venvPython: string; readonly message: string }
  | { readonly kind: 'missing'; readonly message: string };

const atLeast = (version: readonly [number, number], min: readonly [number, number]): boolean =>
  version[0] > min[0] || (version[0] === min[0] && version[1] >= min[1]);

export function venvPython(root: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(root, VENV_DIR, 'Scripts', 'python.exe') : join(root, VENV_DIR, 'bin', 'python');
}

/** The interpreter to use, or what to do to get one. */
export function chooseToolchain(root: string, probe: ToolchainProbe, candidates: readonly string[] = ['python3', 'python']): Toolchain {
  const usable = candidates.filter((python) => {
    const version = probe.pythonVersion(python);
    return version !== undefined && atLeast(version, MIN_PYTHON);
  });
  const withTools = usable.find((python) => probe.hasTools(python));
  if (withTools !== undefined) return { kind: 'ready', python: withTools, source: 'path' };
  const venv = venvPython(root);
  if (probe.exists(venv) && probe.hasTools(venv)) return { kind: 'ready', python: venv, source: 'venv' };
  const base = usable[0];
  if (base === undefined) {
    const min = `${String(MIN_PYTHON[0])}.${String(MIN_PYTHON[1])}`;
    return {
      kind: 'missing',
      message: `npm test needs Python ≥ ${min} for moto and cfn-lint: install python3 (https://www.python.org/downloads/) and run npm test again`,
    };
  }
  return {
    kind: 'create-venv',
    basePython: base,
    venvPython: venv,
    message: `${base} lacks moto ${MOTO_VERSION} / cfn-lint ${CFN_LINT_VERSION}: installing them into ${VENV_DIR}/ from ${REQUIREMENTS_FILE} (once)`,
  };
}

const CHECK_TOOLS = [
  'import importlib.metadata as m, sys',
  'import moto.server, cfnlint.runner',
  `sys.exit(0 if m.version("moto") == "${MOTO_VERSION}" and m.version("cfn-lint") == "${CFN_LINT_VERSION}" else 1)`,
].join('\n');

export const systemProbe: ToolchainProbe = {
  pythonVersion(python) {
    const result = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', timeout: 30_000 });
    const match = /^(\d+)\.(\d+)/.exec(result.status === 0 ? result.stdout.trim() : '');
    return match === null ? undefined : [Number(match[1]), Number(match[2])];
  },
  hasTools(python) {
    return spawnSync(python, ['-c', CHECK_TOOLS], { encoding: 'utf8', timeout: 60_000 }).status === 0;
  },
  exists: existsSync,
};

/** Runs the chooser and carries out its answer: the interpreter path, or an Error whose message is one line. */
export function ensureToolchain(root: string, probe: ToolchainProbe = systemProbe, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const choice = chooseToolchain(root, probe);
  switch (choice.kind) {
    case 'ready':
      return choice.python;
    case 'missing':
      throw new Error(choice.message);
    case 'create-venv': {
      log(choice.message);
      const run = (command: string, args: readonly string[]): void => {
        const result = spawnSync(command, [...args], { cwd: root, stdio: 'inherit', timeout: 600_000 });
        if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${String(result.status)}); delete ${VENV_DIR}/ and run npm test again`);
      };
      run(choice.basePython, ['-m', 'venv', VENV_DIR]);
      run(choice.venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', REQUIREMENTS_FILE]);
      if (!probe.hasTools(choice.venvPython)) throw new Error(`${VENV_DIR}/ still lacks moto ${MOTO_VERSION} or cfn-lint ${CFN_LINT_VERSION}; delete it and run npm test again`);
      return choice.venvPython;
    }
  }
}

/** cfn-lint through the chosen interpreter (no reliance on a console script being on PATH). */
export function cfnLintArgs(python: string, args: readonly string[]): { readonly command: string; readonly args: readonly string[] } {
  return { command: python, args: ['-c', 'import sys; from cfnlint.runner import main; sys.exit(main())', ...args] };
}
