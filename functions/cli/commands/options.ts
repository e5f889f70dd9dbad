/** Argument parsing shared by the commands (node:util parseArgs, strict). */
import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { REPORT_FORMATS, type ReportFormat } from '../../core/wording/ci-report.js';
import { InputError } from '../../core/errors.js';
import { noSuchDirectoryText, notADirectoryText } from '../../core/wording/cli.js';
import { UsageError } from '../output.js';

export const DEFAULT_CONTRACTS_DIR = 'contracts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommand<const O extends Options>(command: string, args: readonly string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`${command}: --${name} is required`);
  return value;
}

export function oneOf<const T extends readonly string[]>(command: string, name: string, allowed: T, value: string | undefined): T[number] | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new UsageError(`${command}: --${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return found;
}

/** `--format text|json|github|junit|markdown`; `--json` is `--format json` (both given must agree). */
export function reportFormat(command: string, values: { readonly format?: string | undefined; readonly json?: boolean | undefined }): ReportFormat {
  const format = oneOf(command, 'format', REPORT_FORMATS, values.format);
  if (values.json === true && format !== undefined && format !== 'json') throw new UsageError(`${command}: --json is --format json; it cannot be combined with --format ${format}`);
  return values.json === true ? 'json' : (format ?? 'text');
}

export const FORMAT_USAGE = `--format ${REPORT_FORMATS.join('|')} (default text; --json = --format json)`;
/**
 * A contracts directory a command reads from (diff, history, approve): missing or not a directory is bad input named as
 * such, before anything else is read (a typo must not look like "no contract for this table").
 */
export async function requireContractsDir(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      throw new InputError(dir, '', noSuchDirectoryText('--contracts-dir', process.cwd()), { cause: error });
    }
    throw error;
  }
  if (!info.isDirectory()) throw new InputError(dir, '', notADirectoryText('--contracts-dir'));
}
