/** Reads a Glue table JSON file (what `aws glue get-table` prints, or a bare Table), names lower-cased. */
import { readFile } from 'node:fs/promises';
import { InputError, parseJsonText } from '../../core/errors.js';
import { withGlueNames } from '../../core/schema/glue-name.js';
import { type CatalogTable, parseGlueTableDocument } from '../../core/schema/table-schema.js';
import { getTablesOutputText, utf16TableFileText } from '../../core/wording/cli.js';

export async function readTableFile(path: string): Promise<CatalogTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(path, '', `a readable Glue table JSON file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const document = parseJsonText(path, decodeTableFile(path, bytes));
  if (typeof document === 'object' && document !== null && 'TableList' in document && Array.isArray(document.TableList)) {
    const names = document.TableList.flatMap((t: unknown) => (typeof t === 'object' && t !== null && 'Name' in t && typeof t.Name === 'string' ? [t.Name] : []));
    throw new InputError(path, '', getTablesOutputText(names));
  }
  // The names are validated and lower-cased here, once: a table file may spell them any way (Glue stores lower case).
  return withGlueNames(path, parseGlueTableDocument(path, document), { database: 'Table.DatabaseName', table: 'Table.Name' });
}

/**
 * UTF-8, with its byte order mark dropped (RFC 8259 section 8.1: JSON is UTF-8; a parser may ignore a BOM, which Windows
 * PowerShell's "Out-File -Encoding utf8" writes). UTF-16 (a FF FE / FE FF mark, or NUL bytes among the first ones:
 * what Windows PowerShell's ">" writes) is refused saying how to write UTF-8, never guessed at.
 */
function decodeTableFile(path: string, bytes: Buffer): string {
  const head = bytes.subarray(0, 64);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || head.includes(0)) throw new InputError(path, '', utf16TableFileText());
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
