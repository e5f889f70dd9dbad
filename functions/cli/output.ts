/** Output writers: the only place the CLI writes to stdout / stderr. */
import { InputError, InputErrors } from '../core/errors.js';
import { problemLine } from '../core/wording/cli.js';

export const ExitCode = { ok: 0, breaking: 1, badInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

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
