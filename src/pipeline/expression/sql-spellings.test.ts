/**
 * SQL spellings in expressions (grammar.ts): each gives the compiled form of its native
 * spelling, the words are reserved (backticks quote such a column), spellings that cannot be
 * accepted say which to use, and an unclosed call is reported where its ")" is missing.
 * Row-level agreement with DuckDB: modules/filter/sql-spellings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkExpression } from './index';
import type { CompiledExpr, ExprColumn, ExprError } from './types';

const cols: ExprColumn[] = [
  { name: 'temp_max', type: 'float64' },
  { name: 'weather', type: 'utf8' },
  { name: 'ok', type: 'bool' },
  { name: 'in', type: 'int64' },
];

function compiled(source: string): CompiledExpr {
  const r = checkExpression(source, cols);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.compiled.expr;
}

function firstError(source: string): ExprError {
  const r = checkExpression(source, cols);
  if (r.ok) throw new Error(`expected an error for ${source}`);
  return r.errors[0]!;
}

describe('SQL spellings compile to their native equivalents', () => {
  it.each([
    ['temp_max = 15', 'temp_max == 15'],
    ["weather <> 'sun'", 'weather != "sun"'],
    ['ok AND temp_max > 1 OR ok', 'ok && temp_max > 1 || ok'],
    ['ok and temp_max > 1 or ok', 'ok && temp_max > 1 || ok'],
    ['NOT ok', '!ok'],
    ['NOT temp_max > 1', '!(temp_max > 1)'],
    ["weather IN ('sun', 'fog')", 'weather == "sun" || weather == "fog"'],
    ["weather NOT IN ('sun')", '!(weather == "sun")'],
    ['temp_max BETWEEN 1 AND 2', 'temp_max >= 1 && temp_max <= 2'],
    ['temp_max NOT BETWEEN 1 AND 2', '!(temp_max >= 1 && temp_max <= 2)'],
    ["weather LIKE 's_n%'", 'regexp_matches(weather, "^s[\\\\s\\\\S]n[\\\\s\\\\S]*$")'],
    ["weather ILIKE 'a.b'", 'regexp_matches(weather, "^a\\\\.b$", "i")'],
    ['`in` = 1', '`in` == 1'],
  ])('%s ≡ %s', (sql, native) => {
    expect(compiled(sql)).toEqual(compiled(native));
  });

  it('tells a wrong rewrite apart', () => {
    expect(compiled('temp_max = 15')).not.toEqual(compiled('temp_max != 15'));
  });
});

describe('spellings that cannot be accepted say which to use', () => {
  it('CASE points to if()', () => {
    expect(firstError('CASE WHEN ok THEN 1 ELSE 2 END').message).toContain('write if(condition');
  });

  it('LIKE with a computed pattern points to regexp_matches', () => {
    expect(firstError('weather LIKE weather').message).toContain('use regexp_matches');
  });

  it('a reserved word as a column asks for backticks by failing where it stands', () => {
    expect(firstError('in = 1').offset).toBe(0);
  });
});

describe('an unclosed call is reported at its end', () => {
  it.each([
    ['round(temp_max', 14, 'round( is not closed: expected "," or ")"'],
    ['round(', 6, 'round( is not closed: expected an argument or ")"'],
    ['round(temp_max, 2', 17, 'round( is not closed'],
    ['round(temp_max @ 2)', 15, 'expected "," or ")" in round(...) but found "@"'],
  ])('%s fails at offset %i', (source, offset, text) => {
    const e = firstError(source);
    expect(e.offset).toBe(offset);
    expect(e.column).toBe(offset + 1);
    expect(e.message).toContain(text);
  });
});
