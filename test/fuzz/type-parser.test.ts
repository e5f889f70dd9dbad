/**
 * Fuzzing the Glue type grammar: any string is either parsed into a well-formed type that prints and
 * re-parses to an equal type, or rejected with a TypeParseError whose position lies within the text.
 * Never an untyped exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGlueType, printGlueType } from '../../functions/core/glue-type.js';
import { glueType } from '../support/arbitraries.js';
import {
  SUITE_TIMEOUT,
  TYPE_ALPHABET,
  TYPE_TOKENS,
  acceptedTypeViolations,
  applyStringEdit,
  attempt,
  fuzzParameters,
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
    const args = fc.option(fc.array(fc.stringMatching(/^\d{1,30}$/), { minLength: 1, maxLength: 3 }), { nil: undefined });
    fc.assert(
      fc.property(word, args, (name, numbers) => {
        const text = numbers === undefined ? name : `${name}(${numbers.join(',')})`;
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
      fc.property(fc.integer({ min: 1, max: 30_000 }), shape, (n, kind) => {
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
});
