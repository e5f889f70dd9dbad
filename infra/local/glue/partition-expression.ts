/**
 * GetPartitions `Expression`: the subset the local stack evaluates. Glue API reference, "GetPartitions action":
 * "SQL syntax similar to the SQL WHERE filter clause", operators =, <>, >, <, >=, <=, and the logical operators
 * AND, OR, IN, BETWEEN, LIKE, NOT, IS NULL; supported partition key types string, date, timestamp, int, bigint, long,
 * tinyint, smallint, decimal ("If an invalid type is encountered, an exception is thrown"); its examples compare an
 * int key with quoted and unquoted literals alike (`year>'2016'`, `year BETWEEN 2015 AND 2018`) and use LIKE with `%`
 * ("A regular expression is not supported in LIKE").
 *
 * Served: `key op literal` with =, <>, <, >, <=, >=; `key IN (literal, ...)`; `key BETWEEN a AND b`;
 * `key LIKE 'pattern'` (`%` any run, `_` one character, on the value as stored); prefix NOT; AND (binds tighter),
 * OR and parentheses. Keys match the table's PartitionKeys case-insensitively. Integer and decimal keys compare as
 * numbers (a literal that is not a number is refused), string / date / timestamp keys as strings.
 * Refused with InvalidInputException rather than ignored (a dropped filter would return partitions the caller
 * excluded): IS NULL, postfix NOT (`key NOT IN`), functions, column-to-column comparisons, unknown keys, keys of
 * another type (strict side of "an exception is thrown"), malformed text.
 */
import type { Column } from '@aws-sdk/client-glue';
import { glueError } from '../errors.js';

export type PartitionPredicate = (values: readonly string[]) => boolean;

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'op'; readonly text: string }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ',' };

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'int', 'integer', 'bigint', 'long']);
const STRING_TYPES = new Set(['string', 'date', 'timestamp']);
const KEYWORDS = new Set(['AND', 'OR', 'IN', 'BETWEEN', 'LIKE', 'NOT']);
const REFUSED = new Set(['IS', 'NULL']);

function invalid(expression: string, why: string): Error {
  return glueError.invalidInput(`Unsupported or invalid Expression (${why}): ${expression}`);
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= expression.length) throw invalid(expression, 'unterminated string literal');
        const d = expression.charAt(i);
        if (d === "'" && expression.charAt(i + 1) === "'") {
          text += "'";
          i += 2;
        } else if (d === "'") {
          i += 1;
          break;
        } else {
          text += d;
          i += 1;
        }
      }
      tokens.push({ kind: 'string', text });
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(expression.slice(i));
      if (match === null) throw invalid(expression, `unexpected "${c}"`);
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_`]/.test(c)) {
      const match = c === '`' ? /^`([^`]+)`/.exec(expression.slice(i)) : /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(i));
      if (match === null) throw invalid(expression, 'unterminated quoted identifier');
      tokens.push({ kind: 'ident', text: match[1] ?? match[0] });
      i += match[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c });
      i += 1;
    } else {
      const match = /^(<>|<=|>=|=|<|>)/.exec(expression.slice(i));
      if (match === null) throw invalid(expression, `unexpected "${c}"`);
      tokens.push({ kind: 'op', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

interface KeyRef {
  readonly index: number;
  /** Compared as numbers; `integer` also refuses non-integer literals. */
  readonly numeric: boolean;
  readonly integer: boolean;
  readonly name: string;
}

/** SQL LIKE: `%` any run, `_` one character, everything else literal. */
function likePattern(pattern: string): RegExp {
  const source = pattern.replace(/[%_.*+?^${}()|[\]\\]/g, (c) => (c === '%' ? '.*' : c === '_' ? '.' : `\\${c}`));
  return new RegExp(`^${source}$`, 's');
}

type Literal = string | number;

export function compilePartitionExpression(expression: string, partitionKeys: readonly Column[]): PartitionPredicate {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const keyword = (token: Token | undefined): string | undefined =>
    token?.kind === 'ident' && (KEYWORDS.has(token.text.toUpperCase()) || REFUSED.has(token.text.toUpperCase()))
      ? token.text.toUpperCase()
      : undefined;
  const next = (): Token => {
    const token = tokens[pos];
    if (token === undefined) throw invalid(expression, 'unexpected end');
    pos += 1;
    return token;
  };
  const expectPunct = (text: '(' | ')' | ','): void => {
    const token = next();
    if (token.kind !== 'punct' || token.text !== text) throw invalid(expression, `expected "${text}"`);
  };

  const keyRef = (name: string): KeyRef => {
    const index = partitionKeys.findIndex((k) => (k.Name ?? '').toLowerCase() === name.toLowerCase());
    const key = partitionKeys[index];
    if (key === undefined) throw invalid(expression, `"${name}" is not a partition key`);
    const type = (key.Type ?? '').trim().toLowerCase();
    const integer = INTEGER_TYPES.has(type);
    const decimal = /^decimal(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(type);
    if (!integer && !decimal && !STRING_TYPES.has(type)) throw invalid(expression, `partition key "${name}" has type "${type}", which filters do not support`);
    return { index, numeric: integer || decimal, integer, name };
  };

  const literal = (key: KeyRef): Literal => {
    const token = next();
    if (token.kind !== 'string' && token.kind !== 'number') throw invalid(expression, 'expected a literal');
    if (!key.numeric) return token.text;
    const value = Number(token.text);
    const valid = token.text.trim() !== '' && (key.integer ? Number.isInteger(value) : Number.isFinite(value));
    if (!valid) throw invalid(expression, `"${token.text}" is not a valid ${key.name} value`);
    return value;
  };

  const valueOf = (key: KeyRef, values: readonly string[]): Literal | undefined => {
    const raw = values[key.index];
    if (raw === undefined) return undefined;
    return key.numeric ? Number(raw) : raw;
  };

  const compare = (a: Literal, b: Literal): number => (a < b ? -1 : a > b ? 1 : 0);

  const comparison = (): PartitionPredicate => {
    const token = next();
    if (token.kind !== 'ident' || keyword(token) !== undefined) throw invalid(expression, 'expected a partition key');
    const key = keyRef(token.text);
    const following = peek();
    const word = keyword(following);
    if (word !== undefined && REFUSED.has(word)) throw invalid(expression, `${word} is not served by the local stack`);
    if (word === 'IN') {
      next();
      expectPunct('(');
      const list: Literal[] = [literal(key)];
      while (peek()?.kind === 'punct' && peek()?.text === ',') {
        next();
        list.push(literal(key));
      }
      expectPunct(')');
      return (values) => {
        const v = valueOf(key, values);
        return v !== undefined && list.some((l) => compare(v, l) === 0);
      };
    }
    if (word === 'BETWEEN') {
      next();
      const low = literal(key);
      if (keyword(next()) !== 'AND') throw invalid(expression, 'expected AND in BETWEEN');
      const high = literal(key);
      return (values) => {
        const v = valueOf(key, values);
        return v !== undefined && compare(v, low) >= 0 && compare(v, high) <= 0;
      };
    }
    if (word === 'LIKE') {
      next();
      const token = next();
      if (token.kind !== 'string') throw invalid(expression, 'LIKE takes a quoted pattern');
      const pattern = likePattern(token.text);
      return (values) => {
        const raw = values[key.index];
        return raw !== undefined && pattern.test(raw);
      };
    }
    if (word === 'NOT') throw invalid(expression, 'postfix NOT is not served by the local stack (write NOT before the condition)');
    const op = next();
    if (op.kind !== 'op') throw invalid(expression, 'expected a comparison operator');
    const right = literal(key);
    const test: (c: number) => boolean =
      op.text === '='
        ? (c) => c === 0
        : op.text === '<>'
          ? (c) => c !== 0
          : op.text === '<'
            ? (c) => c < 0
            : op.text === '>'
              ? (c) => c > 0
              : op.text === '<='
                ? (c) => c <= 0
                : (c) => c >= 0;
    return (values) => {
      const v = valueOf(key, values);
      return v !== undefined && test(compare(v, right));
    };
  };

  const primary = (): PartitionPredicate => {
    const token = peek();
    if (token?.kind === 'punct' && token.text === '(') {
      next();
      const inner = disjunction();
      expectPunct(')');
      return inner;
    }
    const word = keyword(token);
    if (word === 'NOT') {
      next();
      const negated = primary();
      return (values) => !negated(values);
    }
    if (word !== undefined && REFUSED.has(word)) throw invalid(expression, `${word} is not served by the local stack`);
    return comparison();
  };

  const conjunction = (): PartitionPredicate => {
    const parts = [primary()];
    while (keyword(peek()) === 'AND') {
      next();
      parts.push(primary());
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : (values) => parts.every((p) => p(values));
  };

  function disjunction(): PartitionPredicate {
    const parts = [conjunction()];
    while (keyword(peek()) === 'OR') {
      next();
      parts.push(conjunction());
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : (values) => parts.some((p) => p(values));
  }

  if (tokens.length === 0) throw invalid(expression, 'empty');
  const predicate = disjunction();
  if (pos !== tokens.length) throw invalid(expression, 'unexpected trailing input');
  return predicate;
}
