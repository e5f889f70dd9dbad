import type { z } from 'zod';
import type { AwsServiceError } from './errors.js';

function coralPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'request';
  return path
    .map((segment) => {
      if (typeof segment === 'number') return `${String(segment + 1)}.member`;
      const text = String(segment);
      return text.charAt(0).toLowerCase() + text.slice(1);
    })
    .join('.');
}

function describeValue(input: unknown, path: readonly PropertyKey[]): string {
  let value: unknown = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return 'null';
    value = Reflect.get(value, segment);
  }
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Formats zod issues the way AWS (Coral) services word validation failures:
 * `1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: ...`.
 */
export function formatValidationIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const parts = issues.map((issue) => {
    const at = coralPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return `Unknown member(s) ${issue.keys.map((k) => `'${k}'`).join(', ')} at '${at}': ${issue.message}`;
    }
    return `Value '${describeValue(input, issue.path)}' at '${at}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = parts.length;
  return `${String(count)} validation error${count === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

/** Parses `input` with `schema`; a failure becomes the service's own validation error. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  input: unknown,
  toError: (message: string) => AwsServiceError,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw toError(formatValidationIssues(result.error.issues, input));
  return result.data;
}
