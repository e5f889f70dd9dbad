/**
 * The Hive / Glue Data Catalog column type grammar: a parsed type tree, a parser that accepts every
 * spelling Glue stores (any case, any spacing, backticked struct field names, field comments) and a
 * printer that writes the canonical spelling. `parseGlueType(printGlueType(t))` equals `t`.
 */
import { excerptAround } from '../wording/budget.js';

export const PRIMITIVE_NAMES = [
  'boolean',
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'float',
  'double',
  'string',
  'date',
  'timestamp',
  'binary',
] as const;
export type PrimitiveName = (typeof PRIMITIVE_NAMES)[number];

export const INTERVAL_UNITS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

export interface StructField {
  readonly name: string;
  readonly type: GlueType;
  readonly comment?: string;
}

export type GlueType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'char'; readonly length: number }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'interval'; readonly from: IntervalUnit; readonly to?: IntervalUnit }
  | { readonly kind: 'timestamptz' }
  | { readonly kind: 'array'; readonly element: GlueType }
  | { readonly kind: 'map'; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  | { readonly kind: 'union'; readonly members: readonly GlueType[] }
  /** A well-formed type the guard does not know (e.g. a vendor extension). Equal only to itself; never compatible. */
  | { readonly kind: 'opaque'; readonly text: string };

export type GlueTypeKind = GlueType['kind'];
export type GlueTypeOf<K extends GlueTypeKind> = Extract<GlueType, { kind: K }>;

/** Hive's defaults: `decimal` is decimal(10,0), `decimal(p)` is decimal(p,0). */
export const DEFAULT_DECIMAL_PRECISION = 10;
export const MAX_DECIMAL_PRECISION = 38;
export const MAX_CHAR_LENGTH = 255;
export const MAX_VARCHAR_LENGTH = 65_535;

/** A type string that is not a Glue type: names the column and the 0-based character position. */
export class TypeParseError extends Error {
  override readonly name = 'TypeParseError';
  constructor(
    readonly typeText: string,
    readonly position: number,
    readonly expected: string,
    readonly column?: string,
  ) {
    const where = column === undefined ? '' : `column \`${column}\`: `;
    // A type can be ~100,000 characters: quote the part around the problem (typeText keeps it whole).
    super(`${where}invalid type "${excerptAround(typeText, position, 160)}" at position ${position}: expected ${expected}`);
  }
}

const PRIMITIVE_ALIASES: ReadonlyMap<string, PrimitiveName> = new Map(Object.entries({
  boolean: 'boolean',
  tinyint: 'tinyint',
  smallint: 'smallint',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  float: 'float',
  real: 'float',
  double: 'double',
  string: 'string',
  date: 'date',
  timestamp: 'timestamp',
  binary: 'binary',
} satisfies Record<string, PrimitiveName>));

/** Deeper types are rejected: no real schema nests this far, and unbounded depth would exhaust the stack. */
export const MAX_TYPE_DEPTH = 30;

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly column: string | undefined,
  ) {}

  parse(): GlueType {
    const type = this.type();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('end of type');
    return type;
  }

  private fail(expected: string, at = this.pos): never {
    throw new TypeParseError(this.text, at, expected, this.column);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos += 1;
  }

  private peek(): string {
    this.skipSpace();
    return this.text.charAt(this.pos);
  }

  private expect(char: string): void {
    if (this.peek() !== char) this.fail(`"${char}"`);
    this.pos += 1;
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (match === null) this.fail('a type name');
    this.pos += match[0].length;
    return match[0];
  }

  private integer(what: string): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.pos));
    if (match === null) this.fail(what);
    // Lengths, precisions and vendor arguments are small: longer numbers would not survive as JavaScript numbers.
    if (match[0].length > 9) this.fail(`${what} below 1,000,000,000`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  /** Optional `(n)` or `(n, m)` after a type name. */
  private arguments(what: string): number[] | undefined {
    if (this.peek() !== '(') return undefined;
    this.pos += 1;
    const args = [this.integer(what)];
    while (this.peek() === ',') {
      this.pos += 1;
      args.push(this.integer(what));
    }
    this.expect(')');
    return args;
  }

  private type(): GlueType {
    const start = (this.skipSpace(), this.pos);
    if (this.depth >= MAX_TYPE_DEPTH) this.fail(`a type nested at most ${MAX_TYPE_DEPTH} levels deep`, start);
    this.depth += 1;
    try {
      return this.typeAt(start);
    } finally {
      this.depth -= 1;
    }
  }

  private typeAt(start: number): GlueType {
    const name = this.word().toLowerCase();
    switch (name) {
      case 'array': {
        this.expect('<');
        const element = this.type();
        this.expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return { kind: 'map', key, value };
      }
      case 'struct':
        return this.struct();
      case 'uniontype': {
        this.expect('<');
        const members = [this.type()];
        while (this.peek() === ',') {
          this.pos += 1;
          members.push(this.type());
        }
        this.expect('>');
        return { kind: 'union', members };
      }
      case 'decimal':
      case 'numeric':
        return this.decimal(start);
      case 'char':
      case 'varchar':
        return this.sized(name, start);
      case 'interval':
        return this.interval();
      case 'timestamp':
        return this.timestamp();
      case 'timestamptz':
        return { kind: 'timestamptz' };
      case 'interval_year_month':
        return { kind: 'interval', from: 'year', to: 'month' };
      case 'interval_day_time':
        return { kind: 'interval', from: 'day', to: 'second' };
      default: {
        // A vendor type we do not know (timestamp_ns, variant, binary(16), ...): kept, with arguments, as opaque text.
        const args = this.arguments('an integer argument');
        const primitive = PRIMITIVE_ALIASES.get(name);
        if (primitive !== undefined && args === undefined) return { kind: 'primitive', name: primitive };
        return { kind: 'opaque', text: args === undefined ? name : `${name}(${args.join(',')})` };
      }
    }
  }

  private decimal(start: number): GlueType {
    const args = this.arguments('a decimal precision or scale') ?? [];
    if (args.length > 2) this.fail('decimal(precision) or decimal(precision,scale)', start);
    const precision = args[0] ?? DEFAULT_DECIMAL_PRECISION;
    const scale = args[1] ?? 0;
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      this.fail(`a decimal precision between 1 and ${MAX_DECIMAL_PRECISION}`, start);
    }
    if (scale > precision) this.fail('a decimal scale no larger than its precision', start);
    return { kind: 'decimal', precision, scale };
  }

  private sized(name: 'char' | 'varchar', start: number): GlueType {
    const args = this.arguments(`a ${name} length`);
    const max = name === 'char' ? MAX_CHAR_LENGTH : MAX_VARCHAR_LENGTH;
    if (args?.length !== 1) this.fail(`${name}(length)`, start);
    const [length] = args;
    if (length === undefined || length < 1 || length > max) this.fail(`a ${name} length between 1 and ${max}`, start);
    return { kind: name, length };
  }

  private intervalUnit(): IntervalUnit {
    const at = (this.skipSpace(), this.pos);
    const unit = this.word().toLowerCase().replace(/s$/, '');
    const found = INTERVAL_UNITS.find((u) => u === unit);
    if (found === undefined) this.fail(`an interval unit (${INTERVAL_UNITS.join(', ')})`, at);
    return found;
  }

  private interval(): GlueType {
    // Hive spells `interval_year_month` / `interval_day_time`; SQL spells `interval year to month`.
    const from = this.intervalUnit();
    const save = this.pos;
    if (this.peek() !== '' && /[a-z]/i.test(this.peek())) {
      const maybeTo = this.word().toLowerCase();
      if (maybeTo === 'to') return { kind: 'interval', from, to: this.intervalUnit() };
    }
    this.pos = save;
    return { kind: 'interval', from };
  }

  /** Consumes `word` (any case) if it comes next. */
  private keyword(word: string): boolean {
    const save = this.pos;
    if (/[a-z]/i.test(this.peek()) && this.word().toLowerCase() === word) return true;
    this.pos = save;
    return false;
  }

  private expectKeyword(word: string): void {
    const at = (this.skipSpace(), this.pos);
    if (!this.keyword(word)) this.fail(`"${word}"`, at);
  }

  private timestamp(): GlueType {
    // timestamp(3) (a precision) is a vendor spelling: kept opaque.
    const args = this.arguments('a timestamp precision');
    if (args !== undefined) return { kind: 'opaque', text: `timestamp(${args.join(',')})` };
    const save = this.pos;
    if (/[a-z]/i.test(this.peek()) && this.word().toLowerCase() === 'with') {
      // `with local time zone` is Hive's; `with time zone` is Trino's name, kept opaque.
      const local = this.keyword('local');
      this.expectKeyword('time');
      this.expectKeyword('zone');
      return local ? { kind: 'timestamptz' } : { kind: 'opaque', text: 'timestamp with time zone' };
    }
    this.pos = save;
    return { kind: 'primitive', name: 'timestamp' };
  }

  private fieldName(): string {
    this.skipSpace();
    if (this.text.charAt(this.pos) === '`') {
      // Backticked name: `` doubles a backtick inside it.
      let name = '';
      let at = this.pos + 1;
      for (;;) {
        if (at >= this.text.length) this.fail('a closing backtick', at);
        const ch = this.text.charAt(at);
        if (ch === '`') {
          if (this.text.charAt(at + 1) === '`') {
            name += '`';
            at += 2;
            continue;
          }
          break;
        }
        name += ch;
        at += 1;
      }
      this.pos = at + 1;
      if (name === '') this.fail('a non-empty field name', at);
      return name;
    }
    // Metastores store names with spaces or punctuation unquoted too: the name runs up to the colon.
    const match = /^[^:<>,`]+/.exec(this.text.slice(this.pos));
    const name = match?.[0].trimEnd() ?? '';
    if (match === null || name === '') this.fail('a struct field name');
    this.pos += match[0].length;
    return name;
  }

  private comment(): string | undefined {
    const save = this.pos;
    if (!/[a-z]/i.test(this.peek())) return undefined;
    if (this.word().toLowerCase() !== 'comment') {
      this.pos = save;
      this.fail('"," or ">"');
    }
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('a quoted comment');
    let at = this.pos + 1;
    let text = '';
    for (;;) {
      if (at >= this.text.length) this.fail('a closing quote', at);
      const ch = this.text.charAt(at);
      if (ch === '\\' && at + 1 < this.text.length) {
        text += this.text.charAt(at + 1);
        at += 2;
        continue;
      }
      if (ch === quote) break;
      text += ch;
      at += 1;
    }
    this.pos = at + 1;
    return text;
  }

  private struct(): GlueType {
    this.expect('<');
    const fields: StructField[] = [];
    if (this.peek() === '>') {
      this.pos += 1;
      return { kind: 'struct', fields };
    }
    const seen = new Set<string>();
    for (;;) {
      const at = (this.skipSpace(), this.pos);
      const name = this.fieldName();
      const key = name.toLowerCase();
      if (seen.has(key)) this.fail(`a field name other than "${name}" (duplicate)`, at);
      seen.add(key);
      this.expect(':');
      const type = this.type();
      const comment = this.comment();
      fields.push(comment === undefined ? { name, type } : { name, type, comment });
      const next = this.peek();
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === '>') {
        this.pos += 1;
        return { kind: 'struct', fields };
      }
      this.fail('"," or ">"');
    }
  }
}

/** Parses a Glue column type; `column` only improves the error message. */
export function parseGlueType(text: string, column?: string): GlueType {
  if (text.trim() === '') throw new TypeParseError(text, 0, 'a type', column);
  return new Parser(text, column).parse();
}

/** Canonical spelling: lower case, no spaces inside brackets, names backticked only when needed. */
export function printGlueType(type: GlueType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'char':
    case 'varchar':
      return `${type.kind}(${type.length})`;
    case 'interval':
      return type.to === undefined ? `interval ${type.from}` : `interval ${type.from} to ${type.to}`;
    case 'timestamptz':
      return 'timestamp with local time zone';
    case 'array':
      return `array<${printGlueType(type.element)}>`;
    case 'map':
      return `map<${printGlueType(type.key)},${printGlueType(type.value)}>`;
    case 'struct':
      return `struct<${type.fields.map(printField).join(',')}>`;
    case 'union':
      return `uniontype<${type.members.map(printGlueType).join(',')}>`;
    case 'opaque':
      return type.text;
  }
}

function printField(field: StructField): string {
  const name = SIMPLE_NAME.test(field.name) ? field.name : `\`${field.name.replaceAll('`', '``')}\``;
  const comment = field.comment === undefined ? '' : ` comment '${field.comment.replaceAll(/['\\]/g, '\\$&')}'`;
  return `${name}:${printGlueType(field.type)}${comment}`;
}

/** Structural equality (field names compared case-insensitively, as Hive does). */
export function glueTypesEqual(a: GlueType, b: GlueType): boolean {
  return printGlueType(normalizeNames(a)) === printGlueType(normalizeNames(b));
}

/** The type with struct field names lower-cased and comments dropped: what Hive compares. */
export function normalizeNames(type: GlueType): GlueType {
  switch (type.kind) {
    case 'array':
      return { kind: 'array', element: normalizeNames(type.element) };
    case 'map':
      return { kind: 'map', key: normalizeNames(type.key), value: normalizeNames(type.value) };
    case 'struct':
      return {
        kind: 'struct',
        fields: type.fields.map((f) => ({ name: f.name.toLowerCase(), type: normalizeNames(f.type) })),
      };
    case 'union':
      return { kind: 'union', members: type.members.map(normalizeNames) };
    default:
      return type;
  }
}
