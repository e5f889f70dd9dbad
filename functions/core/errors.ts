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

/** Deeper JSON input is refused before any recursive code sees it. */
export const MAX_JSON_DEPTH = 128;

/**
 * Refuses JSON input the guard cannot represent faithfully: a `__proto__` key (parsers would turn it into a
 * prototype and silently drop it) or nesting deeper than MAX_JSON_DEPTH. Iterative, so it cannot overflow.
 * `namesUnder`: the keys of objects held under this key are names (a contract's JSON Schema `properties`: a
 * column or struct field may be called `__proto__` in Glue). There the key is allowed: JSON.parse makes it an own
 * property, and the reader of such a map must keep it one (Object.entries / Object.fromEntries, never `x[key] =`).
 */
export function checkJsonShape(source: string, value: unknown, namesUnder?: string): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.path.length > MAX_JSON_DEPTH) throw new InputError(source, formatIssuePath(item.path), `JSON nested at most ${MAX_JSON_DEPTH} levels deep`);
    if (Array.isArray(item.value)) {
      item.value.forEach((child: unknown, index) => stack.push({ value: child, path: [...item.path, index] }));
      continue;
    }
    const names = namesUnder !== undefined && item.path.at(-1) === namesUnder;
    if (!names && Object.hasOwn(item.value, '__proto__')) throw new InputError(source, formatIssuePath([...item.path, '__proto__']), 'a key other than "__proto__"');
    for (const [key, child] of Object.entries(item.value)) stack.push({ value: child, path: [...item.path, key] });
  }
}
