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

/** Deterministic: retries and duplicate deliveries of the same change converge on one incident. */
export function incidentIdFor(database: string, table: string, versionId: string): string {
  const digest = createHash('sha256').update(`${database.toLowerCase()}\0${table.toLowerCase()}\0${versionId}`).digest('hex');
  return `dg-${digest.slice(0, 12)}`;
}
