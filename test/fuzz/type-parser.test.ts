/**
 * Fuzzing the Glue type grammar: any string is either parsed into a well-formed type that prints and
 * re-parses to an equal type, or rejected with a TypeParseError whose position lies within the text.
 * Never an untyped exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGlueType, printGlueType } from '../../functions/core/schema/glue-type.js';
import { glueType } from '../support/arbitraries.js';
import {
  SUITE_TIMEOUT,
  TYPE_ALPHABET,
  TYPE_TOKENS,
  acceptedTypeViolations,
  applyStringEdit,
  attempt,
  fuzzParameters,
  skipKnownTypeDefects,
  slowness,
  stringEdit,
  typeParseErrorViolations,
} from './support.js';

/** Every problem with how `parseGlueType` treated `text`; [] when it behaved. */
function typeViolations(text: string, column?: string): string[] {
  const outcome = attempt(() => parseGlueType(text, column));
  const slow = slowness(outcome, `parseGlueType (${text.length} chars)`);
  return [...slow, ...(outcome.ok ? acceptedTypeViolations(outcome.value) : typeParseErrorViolations(outcome.error, text, column))];
}

const column = fc.option(fc.constantFrom('amount', 'a b', '😀', '`x`', ''), { nil: undefined });

/** Random strings over the grammar's alphabet (letters, digits, <>(),:` '" spaces, unicode). */
const alphabetSoup = fc.string({ unit: fc.constantFrom(...TYPE_ALPHABET), maxLength: 40 });

/** Sequences of grammar tokens: keywords, punctuation, numbers out of range, spacing. */
const tokenSoup = fc.array(fc.constantFrom(...TYPE_TOKENS), { maxLength: 30 }).map((tokens) => tokens.join(''));

/** Valid printed types, re-spelled (case, spacing) and then edited a few characters at a time. */
const editedType = fc
  .tuple(glueType, fc.constantFrom('canonical', 'upper', 'spaced'), fc.array(stringEdit, { maxLength: 3 }))
  .map(([type, spelling, edits]) => {
    const printed = printGlueType(type);
    const respelled = spelling === 'upper' ? printed.toUpperCase() : spelling === 'spaced' ? printed.replaceAll(/[<>,:()]/g, (p) => ` ${p}\t`) : printed;
    return edits.reduce(applyStringEdit, respelled);
  });

/** Two valid types spliced together at random points. */
const splicedTypes = fc
  .tuple(glueType, glueType, fc.nat(), fc.nat())
  .map(([a, b, i, j]) => {
    const [x, y] = [printGlueType(a), printGlueType(b)];
    return x.slice(0, i % (x.length + 1)) + y.slice(j % (y.length + 1));
  });

const anyText = fc.oneof(
  { weight: 3, arbitrary: alphabetSoup },
  { weight: 3, arbitrary: tokenSoup },
  { weight: 4, arbitrary: editedType },
  { weight: 1, arbitrary: splicedTypes },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

describe('fuzz: Glue type parser', { timeout: SUITE_TIMEOUT }, () => {
  it('property: any string parses to a type that survives print → parse, or is a TypeParseError within the text', () => {
    fc.assert(
      fc.property(anyText, column, (text, col) => {
        skipKnownTypeDefects(text);
        expect(typeViolations(text, col)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: every generated type survives print → parse exactly, also re-spelled', () => {
    fc.assert(
      fc.property(glueType, (type) => {
        const printed = printGlueType(type);
        expect(parseGlueType(printed)).toEqual(type);
        expect(typeViolations(printed)).toEqual([]);
        expect(typeViolations(` ${printed.replaceAll(',', ' ,\n')} `)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: single words (keywords, vendor names, JavaScript property names) parse to well-formed types or are rejected', () => {
    const word = fc.oneof(
      fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable', 'toLocaleString'),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
    );
    const digits = fc.oneof(fc.stringMatching(/^\d{1,3}$/), fc.stringMatching(/^0*\d{15,30}$/));
    const args = fc.option(fc.array(digits, { minLength: 1, maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(word, args, (name, numbers) => {
        const text = numbers === undefined ? name : `${name}(${numbers.join(',')})`;
        skipKnownTypeDefects(text);
        expect(typeViolations(text)).toEqual([]);
        expect(typeViolations(`array<${text}>`)).toEqual([]);
        expect(typeViolations(`struct<f:${text} comment 'c'>`)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: deeply nested types parse or are rejected with a TypeParseError (no stack overflow)', () => {
    const opener = fc.constantFrom('array<', 'map<int,', 'struct<a:', 'uniontype<', 'ARRAY < ');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), opener, fc.boolean(), (depth, open, closed) => {
        const text = `${open.repeat(depth)}int${closed ? '>'.repeat(depth) : ''}`;
        expect(typeViolations(text)).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('property: long inputs (wide structs, long names and comments, runs of spaces) are handled in time', () => {
    const shape = fc.constantFrom('wide-struct', 'long-name', 'long-comment', 'spaces', 'unclosed-comment', 'unclosed-backtick', 'long-word', 'union');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4_000 }), shape, (n, kind) => {
        const texts: Record<typeof kind, () => string> = {
          'wide-struct': () => `struct<${Array.from({ length: n }, (_, i) => `f${i}:int`).join(',')}>`,
          'long-name': () => `struct<\`${'x`'.repeat(n)}\`:int>`,
          'long-comment': () => `struct<a:int comment '${"\\'".repeat(n)}'>`,
          spaces: () => `${' '.repeat(n)}array${' '.repeat(n)}<${'\t'.repeat(n)}int${'\n'.repeat(n)}>${' '.repeat(n)}`,
          'unclosed-comment': () => `struct<a:int comment '${'x'.repeat(n)}`,
          'unclosed-backtick': () => `struct<\`${'x'.repeat(n)}`,
          'long-word': () => 'a'.repeat(n),
          union: () => `uniontype<${Array.from({ length: n }, () => 'int').join(',')}>`,
        };
        expect(typeViolations(texts[kind]())).toEqual([]);
      }),
      fuzzParameters(),
    );
  });

  it('huge inputs (200,000+ characters) are parsed or rejected in time', () => {
    const n = 50_000;
    const texts = [
      `struct<${Array.from({ length: n }, (_, i) => `f${i}:int`).join(',')}>`,
      `uniontype<${'int,'.repeat(n)}int>`,
      `struct<a:int comment '${'\\x'.repeat(n)}'>`,
      `${' '.repeat(4 * n)}int`,
      `struct<\`${'x'.repeat(4 * n)}`,
      `${'array<'.repeat(n)}int${'>'.repeat(n)}`,
    ];
    expect(texts.flatMap((text) => typeViolations(text))).toEqual([]);
  });

  it('regression D1: Object.prototype words are not primitive types (they printed as "function Object() { [native code] }")', () => {
    expect(['constructor', '__proto__', 'CONSTRUCTOR', 'array<__proto__>', 'struct<a:constructor>'].flatMap((text) => typeViolations(text))).toEqual([]);
  });

  it('regression D2: a deeply nested type is a TypeParseError, not a stack overflow', () => {
    // 100,003 characters: within Glue's 131,072-character limit on a column type.
    expect(typeViolations(`${'struct<a:'.repeat(10_000)}int${'>'.repeat(10_000)}`)).toEqual([]);
  });

  it('fixed defect D6: an opaque type argument of 22 digits is kept as foo(1e+21), which does not parse', () => {
    expect(typeViolations('foo(1000000000000000000000)')).toEqual([]);
  });
});
