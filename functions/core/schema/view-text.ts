/**
 * A view's SQL as readers run it. Athena (Presto/Trino) stores a view in Glue as `ViewOriginalText`
 * `/* Presto View: <base64 JSON> *\/` whose JSON holds `originalSql`, `catalog`, `schema` and the output `columns`,
 * with `ViewExpandedText` `/* Presto View *\/` (Trino's Hive connector, `ViewReaderUtil`; the Glue shape is in
 * test/fixtures/tables/SOURCES.md, `athena-view.json`). "The query that defines a view runs each time the view is
 * referenced" ("Work with views", https://docs.aws.amazon.com/athena/latest/ug/views.html).
 */

const PRESTO_VIEW = /^\/\* Presto View: ([A-Za-z0-9+/=\s]+) \*\/$/;

function decodePrestoView(originalText: string): Record<string, unknown> | undefined {
  const encoded = PRESTO_VIEW.exec(originalText.trim())?.[1];
  if (encoded === undefined) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded.replace(/\s/g, ''), 'base64').toString('utf8'));
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? Object.fromEntries(Object.entries(decoded)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The output column names an Athena/Presto view stores in its definition (what Athena reads: Trino checks the stored
 * columns against the analysed query and reports a stale view when they no longer match). Undefined when there is no
 * readable list.
 */
export function prestoViewColumns(originalText: string | undefined): readonly string[] | undefined {
  if (originalText === undefined) return undefined;
  const columns = decodePrestoView(originalText)?.columns;
  if (!Array.isArray(columns)) return undefined;
  const names = columns.map((c: unknown) => (typeof c === 'object' && c !== null && 'name' in c && typeof c.name === 'string' ? c.name : undefined));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/**
 * What the view runs: the decoded `originalSql` (plus catalog and schema, which resolve its table names) of an
 * Athena/Presto view; any other text as stored. Undefined when there is none.
 */
export function viewDefinition(originalText: string | undefined): string | undefined {
  if (originalText === undefined) return undefined;
  const decoded = decodePrestoView(originalText);
  if (decoded === undefined || typeof decoded.originalSql !== 'string') return originalText;
  const where = (key: 'catalog' | 'schema'): string => {
    const value = decoded[key];
    return typeof value === 'string' ? value : '';
  };
  const scope = [where('catalog'), where('schema')].filter((s) => s !== '').join('.');
  return scope === '' ? decoded.originalSql : `${decoded.originalSql} -- in ${scope}`;
}
