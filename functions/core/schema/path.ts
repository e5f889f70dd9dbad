/**
 * Where a change happened: a list of segments from the table down into nested types, printed as
 * `columns.items[].price`, `columns.attrs{value}.city`, `partitionKeys.dt`, `storage.location`.
 * The printed form is stable: contracts acknowledge breaking findings by it.
 */

/** `avroSchema`: the Avro reader schema's fields; `view`: a view's SQL. */
export type SectionName = 'columns' | 'partitionKeys' | 'storage' | 'table' | 'avroSchema' | 'view';

export type PathSegment =
  | { readonly kind: 'section'; readonly name: SectionName }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'element' }
  | { readonly kind: 'key' }
  | { readonly kind: 'value' }
  | { readonly kind: 'member'; readonly index: number }
  | { readonly kind: 'comment' };

export type Path = readonly PathSegment[];

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function printName(name: string): string {
  return PLAIN.test(name) ? name : `\`${name.replaceAll('`', '``')}\``;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    switch (segment.kind) {
      case 'section':
      case 'name':
        out += `${out === '' ? '' : '.'}${segment.kind === 'name' ? printName(segment.name) : segment.name}`;
        break;
      case 'element':
        out += '[]';
        break;
      case 'key':
        out += '{key}';
        break;
      case 'value':
        out += '{value}';
        break;
      case 'member':
        out += `{${segment.index}}`;
        break;
      case 'comment':
        out += '#comment';
        break;
    }
  }
  return out;
}

/** The path without its section: what a reader calls the column, e.g. `items[].price`. */
export function formatColumnPath(path: Path): string {
  const [first, ...rest] = path;
  return first?.kind === 'section' ? formatPath(rest) : formatPath(path);
}

export const section = (name: SectionName): PathSegment => ({ kind: 'section', name });
export const named = (name: string): PathSegment => ({ kind: 'name', name });

/** Depth below the section: 1 for a column itself, 2+ for something inside its type. */
export function depth(path: Path): number {
  return path.filter((s) => s.kind !== 'section' && s.kind !== 'comment').length;
}
