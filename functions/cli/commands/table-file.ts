/** Reads a Glue table JSON file (what `aws glue get-table` prints, or a bare Table), names lower-cased. */
import { readFile } from 'node:fs/promises';
import { InputError, parseJsonText } from '../../core/errors.js';
import { withGlueNames } from '../../core/schema/glue-name.js';
import { type CatalogTable, parseGlueTableDocument } from '../../core/schema/table-schema.js';

export async function readTableFile(path: string): Promise<CatalogTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, '', `a readable Glue table JSON file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  // The names are validated and lower-cased here, once: a table file may spell them any way (Glue stores lower case).
  return withGlueNames(path, parseGlueTableDocument(path, parseJsonText(path, text)), { database: 'Table.DatabaseName', table: 'Table.Name' });
}
