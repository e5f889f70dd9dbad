/**
 * Judging a partition: the table's judge, applied to the table a reader sees through that partition. Athena reads a
 * partition with the partition's own StorageDescriptor (columns, SerDe, formats) and the table's partition keys
 * (Athena user guide, "Update tables with partitions": "If your table's schema changes, the schemas for partitions
 * are not updated"; a partition whose column types differ from the table's fails with HIVE_PARTITION_SCHEMA_MISMATCH
 * unless the format reads by name). So the judged document is the contract's table-level facts (name, partition
 * keys, table type, Location) with the partition's StorageDescriptor and Parameters: a partition that matches the
 * table judges compliant whatever its own Location and bookkeeping (recordCount, UPDATED_BY_CRAWLER, ...).
 */
import type { Contract } from '../contracts/contract.js';
import type { TableRef } from '../incidents/incident.js';
import type { PartitionDefinition } from '../ports.js';
import { printGlueType } from '../schema/glue-type.js';
import { AVRO_SCHEMA_LITERAL } from '../schema/table-schema.js';
import { type DocumentJudgement, judgeDocument } from './judge.js';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
}

/** The Glue Table document a reader of `partition` sees, for judgeDocument. */
export function partitionAsTable(contract: Pick<Contract, 'schema'>, ref: TableRef, partition: PartitionDefinition): Record<string, unknown> {
  const schema = contract.schema;
  const storage = asRecord(partition.StorageDescriptor);
  // Each partition has its own Location (its S3 prefix): not drift.
  const rest = Object.fromEntries(Object.entries(storage).filter(([key]) => key !== 'Location'));
  return {
    Name: ref.table,
    DatabaseName: ref.database,
    ...(schema.tableType === undefined ? {} : { TableType: schema.tableType }),
    PartitionKeys: schema.partitionKeys.map((key) => ({ Name: key.name, Type: printGlueType(key.type) })),
    StorageDescriptor: { ...rest, ...(schema.storage.location === undefined ? {} : { Location: schema.storage.location }) },
    // The table's Avro reader schema reaches the partition as a table property (Hive hands table properties to the
    // partition's SerDe); a partition with a literal of its own is judged by its own (SerDe parameters come first).
    Parameters: { ...(schema.storage.avroSchema === undefined ? {} : { [AVRO_SCHEMA_LITERAL]: schema.storage.avroSchema }), ...schema.parameters, ...partition.Parameters },
  };
}

/** `partition` judged against `contract` with the table's rules; an unreadable descriptor is breaking, never compliant. */
export function judgePartition(contract: Contract, ref: TableRef, partition: PartitionDefinition): DocumentJudgement {
  return judgeDocument(contract, `glue://${ref.database}/${ref.table}/partition[${partition.Values.join(', ')}]`, partitionAsTable(contract, ref, partition));
}

/** The breaking findings' identity (rule and path, sorted): partitions with the same one share an incident. */
export function breakingFingerprint(judgement: DocumentJudgement): string {
  return judgement.findings
    .filter((f) => f.severity === 'breaking')
    .map((f) => `${f.ruleId} ${f.path}`)
    .sort()
    .join('\n');
}
