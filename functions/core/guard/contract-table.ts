/**
 * The restore of last resort: the contract applied to the table as it is now. Used when no stored version the
 * contract accepts is within the guard's bounded reach (retention deleted them, or the few versions just before
 * the current one are all breaking). Pure: a Glue `Table` document in, a Glue `Table` document out; the planner
 * judges the result with the same judge before anything is written, and writes nothing the contract would not accept.
 *
 * From the contract (what it governs, exactly as it says): columns (names, Glue types, positions, comments),
 * partition keys, storage location / input and output formats / SerDe library and parameters, table type, and the
 * table parameters that are not bookkeeping. From the table as it is: everything else (owner, description,
 * retention, column parameters of columns it still has, bookkeeping parameters such as the crawler's statistics and
 * `classification`, the rest of the StorageDescriptor).
 */
import type { Contract } from '../contracts/contract.js';
import { printGlueType } from '../schema/glue-type.js';
import { AVRO_SCHEMA_LITERAL, BOOKKEEPING_PARAMETERS, type Column, matchesParameter } from '../schema/table-schema.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Sets `key` to `value`, or removes it when the contract has no value for it. */
function put(target: Json, key: string, value: unknown): void {
  if (value === undefined) Reflect.deleteProperty(target, key);
  else target[key] = value;
}

/** The contract's columns, each keeping what the current column of the same name (any case) has beyond name, type and comment. */
function columnsFrom(contracted: readonly Column[], current: unknown): Json[] {
  const existing = Array.isArray(current) ? current.filter(isRecord) : [];
  return contracted.map((column) => {
    const same = existing.find((c) => typeof c.Name === 'string' && c.Name.toLowerCase() === column.name.toLowerCase());
    const out: Json = { ...(same ?? {}), Name: column.name, Type: printGlueType(column.type) };
    put(out, 'Comment', column.comment);
    return out;
  });
}

/** The Glue Table document the contract describes, built on `current` (a Glue Table); undefined when `current` is not one. */
export function contractAppliedDocument(contract: Contract, current: unknown): Json | undefined {
  if (!isRecord(current) || typeof current.Name !== 'string') return undefined;
  const { schema } = contract;
  const storage = schema.storage;
  const sd: Json = isRecord(current.StorageDescriptor) ? { ...current.StorageDescriptor } : {};
  sd.Columns = columnsFrom(schema.columns, sd.Columns);
  put(sd, 'Location', storage.location);
  put(sd, 'InputFormat', storage.inputFormat);
  put(sd, 'OutputFormat', storage.outputFormat);
  const serde: Json = isRecord(sd.SerdeInfo) ? { ...sd.SerdeInfo } : {};
  put(serde, 'SerializationLibrary', storage.serdeLibrary);
  // Exactly the contract's: SerDe parameters that restate the columns (a crawler's `paths`) would describe the
  // columns being restored away.
  serde.Parameters = { ...storage.serdeParameters };
  const currentParameters = stringRecord(current.Parameters);
  const currentSerde = stringRecord(isRecord(sd.SerdeInfo) ? sd.SerdeInfo.Parameters : undefined);
  // The Avro reader schema: the contract's where the table keeps one; a contract that recorded none keeps the table's.
  const literalKey = (record: Record<string, string>): string | undefined => Object.keys(record).find((k) => k.toLowerCase() === AVRO_SCHEMA_LITERAL);
  const serdeLiteral = literalKey(currentSerde);
  const tableLiteral = literalKey(currentParameters);
  const literal = storage.avroSchema;
  if (serdeLiteral !== undefined || (literal !== undefined && tableLiteral === undefined)) {
    const value = literal ?? (serdeLiteral === undefined ? undefined : currentSerde[serdeLiteral]);
    if (value !== undefined) (serde.Parameters as Record<string, string>)[serdeLiteral ?? AVRO_SCHEMA_LITERAL] = value;
  }
  sd.SerdeInfo = serde;

  const kept = Object.entries(currentParameters).filter(
    ([key]) => matchesParameter(BOOKKEEPING_PARAMETERS, key) || (literal === undefined && key === tableLiteral),
  );
  const avroCopy = literal !== undefined && tableLiteral !== undefined ? { [tableLiteral]: literal } : {};
  const document: Json = {
    ...current,
    StorageDescriptor: sd,
    PartitionKeys: columnsFrom(schema.partitionKeys, current.PartitionKeys),
    Parameters: { ...Object.fromEntries(kept), ...avroCopy, ...schema.parameters },
  };
  put(document, 'TableType', schema.tableType);
  if (schema.view !== undefined) {
    put(document, 'ViewOriginalText', schema.view.originalText);
    put(document, 'ViewExpandedText', schema.view.expandedText);
  }
  return document;
}
