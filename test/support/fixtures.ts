/** Reading the test fixtures. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonText } from '../../functions/core/errors.js';
import { type CatalogTable, parseGlueTableDocument } from '../../functions/core/schema/table-schema.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const TABLE_FIXTURES = join(FIXTURES, 'tables');

export function readJsonFixture(path: string): unknown {
  return parseJsonText(path, readFileSync(path, 'utf8'));
}

export function tableFixture(name: string): CatalogTable {
  const path = join(TABLE_FIXTURES, name);
  return parseGlueTableDocument(path, readJsonFixture(path));
}

export function tableFixtureNames(): string[] {
  return readdirSync(TABLE_FIXTURES).filter((f) => f.endsWith('.json')).sort();
}

/** A deep copy of a fixture's JSON, for tests that edit a table the way a crawler would. */
export function tableDocument(name: string): { Table: Record<string, unknown> } {
  const document = readJsonFixture(join(TABLE_FIXTURES, name));
  if (typeof document !== 'object' || document === null || !('Table' in document)) throw new Error(`${name} is not a GetTable document`);
  const table: unknown = document.Table;
  if (typeof table !== 'object' || table === null) throw new Error(`${name}: Table is not an object`);
  return { Table: structuredClone({ ...table }) };
}
