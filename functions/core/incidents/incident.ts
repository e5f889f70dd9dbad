/**
 * What an incident is: its id, where it happened, and the references the guard, the adapters and the reviewer
 * commands pass around. One incident is one breaking (or reported) drift of one table.
 */
import { createHash } from 'node:crypto';

/** Region and account: they build Glue ARNs (tags are read and written by ARN). */
export interface Origin {
  readonly region: string;
  readonly account: string;
}

/** Where an event came from: its origin, and its EventBridge id (the same for every delivery of one event). */
export interface EventOrigin extends Origin {
  readonly eventId: string;
}

export interface TableRef {
  readonly database: string;
  readonly table: string;
}

/** An incident as the adapters that hold and release pipelines need it. */
export interface IncidentRef extends Origin, TableRef {
  readonly id: string;
}

/** `database.table`, as people and tags name a table. */
export function qualifiedName(ref: TableRef): string {
  return `${ref.database}.${ref.table}`;
}

/** `database.table` → its parts; undefined when it has no dot in the right place. */
export function parseQualifiedName(name: string): TableRef | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { database: name.slice(0, dot), table: name.slice(dot + 1) };
}

/**
 * Deterministic: retries and duplicate deliveries of the same drift converge on one incident. The table's creation
 * time is part of it because Glue numbers a re-created table's versions from the start again: without it, a drift
 * of the new table would reuse an old incident's id (and its deduplication would swallow the new alert).
 */
export function incidentIdFor(database: string, table: string, versionId: string, createdAt?: string): string {
  const key = `${database.toLowerCase()}\0${table.toLowerCase()}\0${versionId}${createdAt === undefined ? '' : `\0${createdAt}`}`;
  return `dg-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * The table's creation time from a Glue `Table` (its `CreateTime`, a Date from the SDK or a string in JSON), as an
 * ISO string; undefined when the document has none.
 */
export function tableCreatedAt(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null || !('CreateTime' in document)) return undefined;
  const value: unknown = document.CreateTime;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : Number.NaN;
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString();
}

/** The incident a stored version of a table would be: by its VersionId and the table's creation time. */
export function incidentIdOf(ref: TableRef, versionId: string, document: unknown): string {
  return incidentIdFor(ref.database, ref.table, versionId, tableCreatedAt(document));
}
