#!/usr/bin/env node
/** `drift-guard`: judge Glue table schemas against versioned contracts. */
import { readFileSync } from 'node:fs';
import { AwsCallError } from '../aws/errors.js';
import { ApprovalRefusedError } from '../core/reviewing/approval.js';
import { InputError, InputErrors } from '../core/errors.js';
import { ResumeRefusedError } from '../core/reviewing/resume.js';
import { approveCommand, approveUsage } from './commands/approve.js';
import { auditCommand, auditUsage } from './commands/audit.js';
import { checkCommand, checkUsage } from './commands/check.js';
import { diffCommand, diffUsage } from './commands/diff.js';
import { exportCommand, exportUsage, importCommand, importUsage } from './commands/odcs.js';
import { localCommand, localUsage } from './commands/local.js';
import { historyCommand, historyUsage } from './commands/history.js';
import { resumeCommand, resumeUsage } from './commands/resume.js';
import { rulesCommand, rulesUsage } from './commands/rules.js';
import { snapshotCommand, snapshotUsage } from './commands/snapshot.js';
import { problemLine, refusedLine, unexpectedErrorText, usageErrorText } from '../core/wording/cli.js';
import { endQuietlyOnClosedPipe, ExitCode, UsageError, writeInputError, writeText } from './output.js';

const COMMANDS: Readonly<Record<string, { run: (args: readonly string[]) => Promise<ExitCode> | ExitCode; usage: string }>> = {
  snapshot: { run: snapshotCommand, usage: snapshotUsage },
  diff: { run: diffCommand, usage: diffUsage },
  check: { run: checkCommand, usage: checkUsage },
  approve: { run: approveCommand, usage: approveUsage },
  resume: { run: resumeCommand, usage: resumeUsage },
  audit: { run: auditCommand, usage: auditUsage },
  history: { run: historyCommand, usage: historyUsage },
  rules: { run: rulesCommand, usage: rulesUsage },
  export: { run: exportCommand, usage: exportUsage },
  import: { run: importCommand, usage: importUsage },
  local: { run: localCommand, usage: localUsage },
};

function usage(): string {
  return ['Usage: drift-guard <command> [options]', '', ...Object.values(COMMANDS).map((c) => c.usage), '', 'Exit codes: 0 ok, 1 breaking, 2 bad input, 3 unexpected failure (a bug or an AWS error; the message says which).'].join('\n');
}

function version(): string {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string' ? parsed.version : 'unknown';
}

async function main(argv: readonly string[]): Promise<ExitCode> {
  // Every SDK client (live commands, `local`) checks this when it is built (@aws-sdk/core emitWarningIfUnsupportedVersion):
  // its 9-line notice that SDK releases after January 2027 need Node 22 is true but noise for a CLI that supports Node 20.
  // A caller who wants it back sets the variable to anything but "true".
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  endQuietlyOnClosedPipe();
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    writeText(usage());
    return name === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    writeText(version());
    return ExitCode.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  if (args.includes('--help') || args.includes('-h')) {
    writeText(command.usage);
    return ExitCode.ok;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError || error instanceof InputErrors) {
      writeInputError(error);
      process.exitCode = ExitCode.badInput;
    } else if (error instanceof ApprovalRefusedError || error instanceof ResumeRefusedError) {
      process.stderr.write(refusedLine(error.message));
      process.exitCode = ExitCode.badInput;
    } else if (error instanceof AwsCallError) {
      process.stderr.write(problemLine(error.message));
      process.exitCode = 3;
    } else if (error instanceof UsageError) {
      process.stderr.write(usageErrorText(error.message));
      process.exitCode = ExitCode.badInput;
    } else {
      process.stderr.write(unexpectedErrorText(error));
      process.exitCode = 3;
    }
  },
);
