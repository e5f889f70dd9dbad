/**
 * A view's SQL as readers run it. Athena (Presto/Trino) stores a view in Glue as `ViewOriginalText`
 * `/* Presto View: <base64 JSON> *\/` whose JSON holds `originalSql`, `catalog`, `schema` and the output `columns`,
 * with `ViewExpandedText` `/* Presto View *\/` (Trino's Hive connector, `ViewReaderUtil`; the Glue shape is in
 * test/fixtures/tables/SOURCES.md, `athena-view.json`). "The query that defines a view runs each time the view is
 * referenced" ("Work with views", https://docs.aws.amazon.com/athena/latest/ug/views.html).
 */

const PRESTO_VIEW = /^\/\* Presto View: ([A-Za-z0-9+/=\s]+) \*\/$/;

/**
 * What the view runs: the decoded `originalSql` (plus catalog and schema, which resolve its table names) of an
 * Athena/Presto view; any other text as stored. Undefined when there is none.
 */
export function viewDefinition(originalText: string | undefined): string | undefined {
  if (originalText === undefined) return undefined;
  const match = PRESTO_VIEW.exec(originalText.trim());
  const encoded = match?.[1];
  if (encoded === undefined) return originalText;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded.replace(/\s/g, ''), 'base64').toString('utf8'));
  } catch {
    return originalText;
  }
  if (typeof decoded !== 'object' || decoded === null || !('originalSql' in decoded) || typeof decoded.originalSql !== 'string') return originalText;
  const where = (key: 'catalog' | 'schema'): string => {
    const value: unknown = (decoded as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : '';
  };
  const scope = [where('catalog'), where('schema')].filter((s) => s !== '').join('.');
  return scope === '' ? decoded.originalSql : `${decoded.originalSql} -- in ${scope}`;
}
