/**
 * Bad input is an error that says which file, which field, and what was expected. Drift is never an
 * error (it is a verdict); these are for input the guard could not read and therefore must not judge.
 */
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';

// zod/mini (tree-shakable, so the Lambda bundles stay small) ships without messages: say what was expected, in English.
z.config(en());

export class InputError extends Error {
  override readonly name: string = 'InputError';
  constructor(
    /** The file (or other source) the input came from. */
    readonly source: string,
    /** Where in it, e.g. `Table.StorageDescriptor.Columns[3].Type`; empty for the whole input. */
    readonly field: string,
    /** What was expected there. */
    readonly expected: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}${field === '' ? '' : `: ${field}`}: ${expected}`, options);
  }
}

/** Several problems found in one file, reported together. */
export class InputErrors extends Error {
  override readonly name = 'InputErrors';
  constructor(readonly errors: readonly InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** `Table.StorageDescriptor.Columns[3].Type` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const text = String(key);
      out += /^[A-Za-z_$][\w$-]*$/.test(text) ? `${out === '' ? '' : '.'}${text}` : `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

export function inputErrorsFromZod(source: string, error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): InputErrors {
  return new InputErrors(
    error.issues.map((issue) => new InputError(source, formatIssuePath([...prefix, ...issue.path]), issue.message)),
  );
}

/** Parses JSON text, naming the file and the line and column of a syntax error. */
export function parseJsonText(source: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(source, '', `malformed JSON (${message})`, { cause: error });
  }
}
