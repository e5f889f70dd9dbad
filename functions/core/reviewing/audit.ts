/**
 * `drift-guard audit`: a read-only sweep of the live catalog against the contracts. Drifted tables with
 * their findings, tables without a contract, workflows the guard holds paused, open incidents.
 */
import type { ContractIndex } from '../contracts/contract-index.js';
import { heldTableName } from '../incidents/incident.js';
import type { CatalogPort, Origin, PausedTrigger, PipelinePort, StoredTable } from '../ports.js';
import { type DocumentJudgement, judgeDocument } from '../judging/judge.js';

export interface AuditedTable {
  readonly database: string;
  readonly table: string;
  readonly contractVersion: number;
  readonly versionId: string;
  readonly judgement: DocumentJudgement;
}

export interface OpenIncident {
  readonly incidentId: string;
  readonly table: string;
  readonly triggers: readonly PausedTrigger[];
  readonly workflows: readonly string[];
  /** Crawlers whose own schedule the incident holds stopped. */
  readonly schedules: readonly string[];
  /** EventBridge rules the incident holds disabled. */
  readonly rules: readonly string[];
}

export interface AuditReport {
  readonly databases: readonly string[];
  /** Audited databases the catalog does not have (GetTables: EntityNotFoundException); `audit --database` of one is bad input. */
  readonly absentDatabases: readonly string[];
  /** Guarded tables whose schema differs from their contract (allowed or breaking). */
  readonly drifted: readonly AuditedTable[];
  readonly compliant: readonly { readonly database: string; readonly table: string }[];
  /** Guarded tables the catalog does not have. */
  readonly missing: readonly { readonly database: string; readonly table: string }[];
  /**
   * Guarded tables the caller cannot see: GetTables left them out and GetTable was denied (Lake Formation: no DESCRIBE
   * grant). Neither judged nor missing.
   */
  readonly notVisible: readonly { readonly database: string; readonly table: string; readonly reason: string }[];
  /** Tables in the audited databases without a contract (held tables aside). */
  readonly unguarded: readonly { readonly database: string; readonly table: string }[];
  /** Held tables (the guard's, for a guarded table's breaking partitions: core/guard/partitions.ts) and whose they are. */
  readonly held: readonly { readonly database: string; readonly table: string; readonly heldFor: string }[];
  readonly incidents: readonly OpenIncident[];
}

export async function audit<T extends StoredTable>(
  deps: { readonly catalog: CatalogPort<T>; readonly pipelines: PipelinePort; readonly contracts: ContractIndex },
  origin: Origin,
  databases: readonly string[],
): Promise<AuditReport> {
  const drifted: AuditedTable[] = [];
  const compliant: { database: string; table: string }[] = [];
  const missing: { database: string; table: string }[] = [];
  const notVisible: { database: string; table: string; reason: string }[] = [];
  const unguarded: { database: string; table: string }[] = [];
  const held: { database: string; table: string; heldFor: string }[] = [];
  const absentDatabases: string[] = [];
  for (const database of databases) {
    const listed = await deps.catalog.listTables(database);
    if (listed === undefined) absentDatabases.push(database);
    const tables = listed ?? [];
    const byName = new Map<string, T>();
    for (const stored of tables) {
      const tableName = tableNameOf(stored);
      if (tableName !== undefined) byName.set(tableName.toLowerCase(), stored);
    }
    for (const ref of deps.contracts.tablesIn(database)) {
      const contract = deps.contracts.active(ref.database, ref.table);
      if (contract === undefined) continue;
      let stored = byName.get(ref.table.toLowerCase());
      if (stored === undefined) {
        // GetTables omits what the caller may not DESCRIBE: ask for the table itself to tell missing from not visible.
        const lookUp = await deps.catalog.lookUpTable(ref.database, ref.table);
        if (lookUp.kind === 'missing') missing.push(ref);
        if (lookUp.kind === 'not-visible') notVisible.push({ ...ref, reason: lookUp.reason });
        if (lookUp.kind !== 'found') continue;
        stored = lookUp.table;
      }
      const judgement = judgeDocument(contract, `glue://${ref.database}/${ref.table}@${stored.versionId}`, stored.document);
      if (judgement.verdict === 'compliant') compliant.push(ref);
      else drifted.push({ ...ref, contractVersion: contract.version, versionId: stored.versionId, judgement });
    }
    const heldFor = new Map(deps.contracts.tablesIn(database).map((ref) => [heldTableName(ref.table), ref.table]));
    for (const tableName of byName.keys()) {
      const owner = heldFor.get(tableName);
      if (owner !== undefined) held.push({ database, table: tableName, heldFor: owner });
      else if (deps.contracts.active(database, tableName) === undefined) unguarded.push({ database, table: tableName });
    }
  }
  const triggers = await deps.pipelines.findPausedTriggers(origin);
  const workflows = await deps.pipelines.findPausedWorkflows(origin);
  const producers = await deps.pipelines.findHeldProducers(origin);
  const ids = [...new Set([...triggers.map((t) => t.incidentId), ...workflows.map((w) => w.incidentId), ...producers.map((p) => p.incidentId)])].sort();
  const incidents = ids.map((incidentId) => {
    const mine = triggers.filter((t) => t.incidentId === incidentId);
    const held = workflows.filter((w) => w.incidentId === incidentId);
    const outside = producers.filter((p) => p.incidentId === incidentId);
    return {
      incidentId,
      table: mine[0]?.table ?? held.find((w) => w.table !== '')?.table ?? outside[0]?.table ?? '?',
      triggers: mine,
      workflows: held.map((w) => w.workflow),
      schedules: outside.filter((p) => p.kind === 'schedule').map((p) => p.name),
      rules: outside.filter((p) => p.kind === 'rule').map((p) => p.name),
    };
  });
  return { databases, absentDatabases, drifted, compliant, missing, notVisible, unguarded, held, incidents };
}

function tableNameOf(stored: StoredTable): string | undefined {
  const document = stored.document;
  if (typeof document !== 'object' || document === null || !('Name' in document)) return undefined;
  return typeof document.Name === 'string' ? document.Name : undefined;
}
