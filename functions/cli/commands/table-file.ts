/** Reads a Glue table JSON file (what `aws glue get-table` prints, or a bare Table). */
import { readFile } from 'node:fs/promises';
import { InputError, parseJsonText } from '../../core/errors.js';
import { type CatalogTable, parseGlueTableDocument } from '../../core/schema/table-schema.js';

export async function readTableFile(path: string): Promise<CatalogTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, '', `a readable Glue table JSON file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return parseGlueTableDocument(path, parseJsonText(path, text));
}
