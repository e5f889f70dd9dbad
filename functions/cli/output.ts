/** Output writers: the only place the CLI writes to stdout / stderr. */
import { InputError, InputErrors } from '../core/errors.js';
import { problemLine } from '../core/wording/cli.js';

export const ExitCode = { ok: 0, breaking: 1, badInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A reader that stops early (`drift-guard diff … | head -3`) closes the pipe: the next write fails with EPIPE (Node
 * ignores SIGPIPE, so it is an 'error' event, unhandled by default: a stack trace). The reader has what it wanted:
 * end quietly, with the exit code set so far (0 if none).
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
}

export function writeText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Bad input: one line per problem, each naming the file and the place. */
export function writeInputError(error: InputError | InputErrors): void {
  const problems = error instanceof InputErrors ? error.errors : [error];
  for (const problem of problems) process.stderr.write(problemLine(problem.message));
}

/** A usage mistake: the message and where to find help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
