/**
 * Finding a table version for the reviewer commands (resume, approve) and reconcile, by id and within a bounded
 * reach, never by listing the history (GetTableVersions pages 100 versions a call, and a table may keep 100,000).
 * Only `drift-guard history` lists every version: the user asked for the whole history there.
 */
import { type TableRef, incidentIdOf } from '../incidents/incident.js';
import { versionNoteOf } from '../incidents/records.js';
import type { CatalogPort, StoredTable } from '../ports.js';
import { compareVersionIds, isVersionId, versionIdBefore } from '../version-ids.js';

/** How many versions before the current one a reviewer command looks at (one GetTableVersion each, at most). */
export const REVIEW_VERSIONS_WALKED = 10;

/** Reads versions by id (GetTableVersion), each at most once per command. */
export interface VersionReader<T extends StoredTable> {
  read(versionId: string): Promise<T | undefined>;
}

export function versionReader<T extends StoredTable>(catalog: CatalogPort<T>, ref: TableRef): VersionReader<T> {
  // Promises, so lookups running together (one per open incident) share each read.
  const cache = new Map<string, Promise<T | undefined>>();
  return {
    read(versionId) {
      const known = cache.get(versionId);
      if (known !== undefined) return known;
      const reading = catalog.getVersion(ref.database, ref.table, versionId);
      cache.set(versionId, reading);
      return reading;
    },
  };
}

/** current, then current−1 … current−REVIEW_VERSIONS_WALKED (deleted ones skipped), newest first. */
export async function* recentVersions<T extends StoredTable>(reader: VersionReader<T>, current: T): AsyncGenerator<T> {
  yield current;
  let id = versionIdBefore(current.versionId);
  for (let step = 0; step < REVIEW_VERSIONS_WALKED && id !== undefined; step += 1) {
    const version = await reader.read(id);
    if (version !== undefined) yield version;
    id = versionIdBefore(id);
  }
}

/**
 * The version an incident is about (its id is that version's, see incidentIdOf), found without the history: the
 * version a guard note names (the restore or resume that carries the incident records the version it replaced),
 * the version a contract was approved from (`approvedFrom`: `x-approval.glueVersionId`, which `drift-guard approve
 * --incident` sets to the blocked version), or one of the versions just before the current one.
 */
export async function findIncidentVersion<T extends StoredTable>(
  reader: VersionReader<T>,
  ref: TableRef,
  current: T,
  incidentId: string,
  approvedFrom?: string,
): Promise<T | undefined> {
  const isIncident = (version: T): boolean => incidentIdOf(ref, version.versionId, version.document) === incidentId;
  if (isIncident(current)) return current;
  if (approvedFrom !== undefined && isVersionId(approvedFrom) && compareVersionIds(approvedFrom, current.versionId) <= 0) {
    const approved = compareVersionIds(approvedFrom, current.versionId) === 0 ? current : await reader.read(approvedFrom);
    if (approved !== undefined && isIncident(approved)) return approved;
  }
  for await (const version of recentVersions(reader, current)) {
    if (isIncident(version)) return version;
    const note = versionNoteOf(version.versionId, version.document);
    if (note?.incidentId === incidentId) {
      // A restore replaced the incident's version; a resume wrote the incident's version back.
      const named = await reader.read(note.kind === 'resume' ? note.resumedFrom : note.replaced);
      if (named !== undefined && isIncident(named)) return named;
    }
  }
  return undefined;
}
