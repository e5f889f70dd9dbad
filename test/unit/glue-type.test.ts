import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypeParseError, glueTypesEqual, parseGlueType, printGlueType } from '../../functions/core/schema/glue-type.js';
import { glueType } from '../support/arbitraries.js';

function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('Glue type grammar', () => {
  it.each([
    ['boolean', 'boolean'],
    ['INT', 'int'],
    ['integer', 'int'],
    ['BigInt', 'bigint'],
    ['decimal', 'decimal(10,0)'],
    ['decimal(12)', 'decimal(12,0)'],
    ['DECIMAL( 38 , 18 )', 'decimal(38,18)'],
    ['char(2)', 'char(2)'],
    ['varchar(64)', 'varchar(64)'],
    ['interval year to month', 'interval year to month'],
    ['interval_day_time', 'interval day to second'],
    ['timestamp with local time zone', 'timestamp with local time zone'],
    ['array<string>', 'array<string>'],
    ['ARRAY < STRUCT < user_id : STRING > >', 'array<struct<user_id:string>>'],
    ['map<string,array<string>>', 'map<string,array<string>>'],
    ['struct<name:string, age:int>', 'struct<name:string,age:int>'],
    ['struct<`a:bc`:int,`x y`:string>', 'struct<`a:bc`:int,`x y`:string>'],
    ['struct<$oid:string>', 'struct<`$oid`:string>'],
    ["struct<a:int comment 'the a', b:string COMMENT 'it\\'s'>", "struct<a:int comment 'the a',b:string comment 'it\\'s'>"],
    ['uniontype<int,string,array<double>>', 'uniontype<int,string,array<double>>'],
    ['timestamp_ns', 'timestamp_ns'],
    ['binary(16)', 'binary(16)'],
    ['timestamp(3)', 'timestamp(3)'],
    ['timestamp with time zone', 'timestamp with time zone'],
    ['struct<first name:string,`x`:int>', 'struct<`first name`:string,x:int>'],
    ["struct<ts:timestamp with time zone comment 'utc'>", "struct<ts:timestamp with time zone comment 'utc'>"],
    ['struct<eventTime:timestamp comment "when">', "struct<eventTime:timestamp comment 'when'>"],
  ])('parses %j and prints it as %j', (text, printed) => {
    // Act
    const type = parseGlueType(text);
    // Assess
    expect(printGlueType(type)).toBe(printed);
  });

  it('treats STRUCT<a: INT> and struct<a:int> as the same type', () => {
    expect(glueTypesEqual(parseGlueType('STRUCT<a: INT>'), parseGlueType('struct<a:int>'))).toBe(true);
    expect(glueTypesEqual(parseGlueType('struct<A:int>'), parseGlueType('struct<a:int>'))).toBe(true);
    expect(glueTypesEqual(parseGlueType('struct<a:int>'), parseGlueType('struct<a:bigint>'))).toBe(false);
  });

  it('keeps an unknown well-formed type as opaque, equal only to itself', () => {
    const type = parseGlueType('notrealtype');
    expect(type).toEqual({ kind: 'opaque', text: 'notrealtype' });
    expect(glueTypesEqual(type, parseGlueType('string'))).toBe(false);
  });

  it.each([
    ['struct<a:int', 12, '"," or ">"'],
    ['array<>', 6, 'a type name'],
    ['map<string>', 10, '","'],
    ['decimal(40,2)', 0, 'a decimal precision between 1 and 38'],
    ['decimal(5,7)', 0, 'a decimal scale no larger than its precision'],
    ['varchar', 0, 'varchar(length)'],
    ['struct<a:int,a:string>', 13, 'a field name other than "a" (duplicate)'],
    ['int int', 4, 'end of type'],
    ['', 0, 'a type'],
    ['struct<a:int comment nope>', 21, 'a quoted comment'],
    ['timestamp with zone', 15, '"time"'],
  ])('rejects %j at position %i, expecting %s', (text, position, expected) => {
    // Act
    const error = thrown(() => parseGlueType(text, 'amount'));
    // Assess
    expect(error).toBeInstanceOf(TypeParseError);
    expect(error).toMatchObject({ position, expected, column: 'amount', message: expect.stringContaining('column `amount`') as unknown });
  });

  it('property: parse(print(t)) is t for every generated type', () => {
    fc.assert(
      fc.property(glueType, (type) => {
        expect(parseGlueType(printGlueType(type))).toEqual(type);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: printing is stable under case and spacing changes', () => {
    fc.assert(
      fc.property(glueType, (type) => {
        const printed = printGlueType(type);
        fc.pre(!/[`'"]/.test(printed));
        // Upper-case everything and add spaces around punctuation.
        const noisy = printed.toUpperCase().replaceAll(/[<>,:()]/g, (punct) => ` ${punct}  `);
        expect(glueTypesEqual(parseGlueType(noisy), type)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
