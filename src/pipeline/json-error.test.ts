import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-error';

describe('locateJsonError', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' 1 ', '"a\\u00e9"', '{"a":[1,-2.5e3,true,false,null]}']) {
      expect(() => JSON.parse(t)).not.toThrow();
      expect(locateJsonError(t)).toBeNull();
    }
  });

  it.each([
    ['{"a": 1,}', 1, 9, 'expected a property name in double quotes'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," or "}"'],
    ['[1, 2', 1, 6, 'expected "," or "]"'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['{"a": tru}', 1, 10, 'unexpected "}"'],
    ['{"a": 01}', 1, 8, 'expected "," or "}"'],
    ['{"a": "x\ny"}', 1, 9, 'control character in string'],
    ['{} x', 1, 4, 'unexpected "x"'],
    ['', 1, 1, 'unexpected end of input'],
  ])('%j fails at line %i column %i', (text, line, column, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toMatchObject({ line, column, reason });
  });
});
