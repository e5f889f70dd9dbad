import { z } from 'zod';
import { glueError } from '../errors.js';

const tokenSchema = z.object({ scope: z.string(), offset: z.number().int().min(0) });

function decodeToken(token: string, scope: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw glueError.invalidInput('Invalid NextToken');
  }
  const parsed = tokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.scope !== scope) throw glueError.invalidInput('Invalid NextToken');
  return parsed.data.offset;
}

function encodeToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ scope, offset }), 'utf8').toString('base64url');
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

/**
 * Offset paging with an opaque NextToken bound to `scope` (operation + resource), so a token from one
 * listing is rejected by another.
 */
export function paginate<T>(
  items: readonly T[],
  scope: string,
  maxResults: number | undefined,
  defaultPageSize: number,
  nextToken: string | undefined,
): Page<T> {
  const offset = nextToken === undefined || nextToken === '' ? 0 : decodeToken(nextToken, scope);
  const size = maxResults ?? defaultPageSize;
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(scope, end) : undefined,
  };
}
