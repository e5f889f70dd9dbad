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

/**
 * A partition incident: partitions of one table whose schema the contract rejects with the same breaking findings.
 * Keyed by the table (and its creation time, as incidentIdFor) and the fingerprint of those findings, not by event:
 * a partition storm (a crawl writing thousands of partitions with one bad schema, over many events and deliveries)
 * is one incident, and a different breaking schema is another.
 */
export function partitionIncidentIdFor(ref: TableRef, createdAt: string | undefined, fingerprint: string): string {
  const key = `partitions\0${ref.database.toLowerCase()}\0${ref.table.toLowerCase()}\0${createdAt ?? ''}\0${fingerprint}`;
  return `dg-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/**
 * Glue names are at most 255 bytes (AWS Glue API, "Single-line string pattern", Name: 1–255) and Glue stores them in
 * lower case; Athena reads table names of lower-case letters, digits and underscores only (Athena user guide, "Name
 * databases, tables, and columns"). The held table's name is built only from a name that passed that pattern.
 */
const GLUE_NAME_MAX = 255;
const ATHENA_NAME = /^[a-z0-9_]+$/;
const HELD_SUFFIX = '_drift_guard_held';

/**
 * The table the guard moves `table`'s breaking partitions to, in the same database: `<table>_drift_guard_held`; a
 * name too long for that, or one Athena could not query as it is, is shortened with a hash of the full name.
 */
export function heldTableName(table: string): string {
  const name = table.toLowerCase();
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  if (!ATHENA_NAME.test(name)) return `dg_${hash}${HELD_SUFFIX}`;
  if (name.length + HELD_SUFFIX.length <= GLUE_NAME_MAX) return `${name}${HELD_SUFFIX}`;
  return `${name.slice(0, GLUE_NAME_MAX - HELD_SUFFIX.length - hash.length - 1)}_${hash}${HELD_SUFFIX}`;
}
