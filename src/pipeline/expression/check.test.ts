import {
  Field,
  Int32,
  Schema,
  Utf8,
  Dictionary,
  Float64,
  Binary,
  TimestampMillisecond,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, checkExpression, compileExpressionParams, parseExpression } from './index';
import type { CompiledExpr, ExprColumn, ExprError } from './types';

const cols: ExprColumn[] = [
  { name: 'temp_max', type: 'float64' },
  { name: 'weather', type: 'utf8' },
  { name: 'date', type: 'date32' },
  { name: 'n', type: 'int64' },
  { name: 'wind speed', type: 'float64' },
  { name: 'ok', type: 'bool' },
  { name: 'ts', type: 'timestamp' },
  { name: 'blob', type: null, arrowType: 'Binary' },
];

function errorsOf(source: string): ExprError[] {
  const r = checkExpression(source, cols);
  if (r.ok) throw new Error(`expected an error for ${source}`);
  return r.errors;
}

function exprOf(source: string): CompiledExpr {
  const r = checkExpression(source, cols);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.compiled.expr;
}

describe('syntax errors', () => {
  it.each([
    ['n +', 3, 'expected expression but found end of expression'],
    ['(n > 1', 6, 'expected'],
    ['n > 1 > 2', 6, 'found ">"'],
    ['n @ 2', 2, 'found "@"'],
    ['', 0, 'empty expression'],
    ['1 2', 2, 'found "2"'],
  ])('%j fails at offset %i', (source, offset, text) => {
    const [e] = errorsOf(source);
    expect(e!.offset).toBe(offset);
    expect(e!.message).toContain(text);
    expect(e!.message).toContain(`at 1:${offset + 1}`);
    expect(e!.column).toBe(offset + 1);
  });

  it('says what may follow "is"', () => {
    expect(errorsOf('n is')[0]!.message).toBe(
      'syntax error: expected "not" or "null" but found end of expression at 1:5',
    );
    expect(errorsOf('n is not 3')[0]!.message).toBe(
      'syntax error: expected "null" but found "3" at 1:10',
    );
    expect(exprOf('(n)IS NOT NULL')).toMatchObject({ fn: 'is_not_null' });
  });

  it('counts lines and columns', () => {
    const [e] = errorsOf('n > 1 &&\n  weather ==');
    expect(e!.line).toBe(2);
    expect(e!.column).toBe(13);
    expect(e!.offset).toBe('n > 1 &&\n  weather =='.length);
  });

  it('reports an unterminated string at its opening quote', () => {
    const [e] = errorsOf('weather == "rain');
    expect(e!.offset).toBe(11);
    expect(e!.message).toMatch(/^unterminated string/);
  });

  it('parses without a schema', () => {
    expect(parseExpression('a + `b c` * 2').ok).toBe(true);
    expect(parseExpression('a +').ok).toBe(false);
  });
});

describe('type errors', () => {
  it('suggests a close column name', () => {
    const [e] = errorsOf('tmp_max > 3');
    expect(e!.message).toBe('unknown column "tmp_max" at 1:1 (did you mean "temp_max"?)');
    expect(e).toMatchObject({ offset: 0, length: 7, line: 1, column: 1 });
  });

  it('gives no suggestion when nothing is close', () => {
    expect(errorsOf('zzzzzz > 1')[0]!.message).toBe('unknown column "zzzzzz" at 1:1');
  });

  it('points at the operator of a bad comparison', () => {
    const [e] = errorsOf('weather > 3');
    expect(e!.message).toBe('cannot compare string with integer at 1:9');
  });

  it.each([
    ['weather + 1', 'cannot add string and integer'],
    ['n && ok', '&& needs boolean operands, got integer'],
    ['!n', '! needs boolean operands, got integer'],
    ['-weather', 'cannot negate string'],
    ['date > 3', 'cannot compare date with integer'],
    ['date > "June"', '"June" is not a date'],
    ['ts > "2012-13-01"', '"2012-13-01" is not a timestamp'],
    ['blob is null', 'column "blob" has type Binary, which expressions cannot use'],
    ['if(n, 1, 2)', 'if expects a boolean condition, got integer'],
    ['if(ok, 1, "a")', 'if arguments have no common type (integer, string)'],
    ['coalesce(n, weather)', 'coalesce arguments have no common type'],
    ['sqr(n)', 'unknown function "sqr" at 1:1 (did you mean "sqrt"?)'],
    ['99999999999999999999 > 1.5e400', 'number 1.5e400 is out of range'],
  ])('%j: %s', (source, message) => {
    expect(errorsOf(source)[0]!.message).toContain(message);
  });

  it('requires a boolean for filter', () => {
    const r = compileExpressionParams('filter', { expression: 'n + 1' }, cols);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/must be a boolean/);
  });
});

/** Functions added for the analyst's step library (issue 12). */
const ADDED_FUNCTIONS = [
  'replace',
  'regexp_matches',
  'regexp_replace',
  'regexp_extract',
  'split_part',
  'trim',
  'ltrim',
  'rtrim',
  'substr',
  'concat',
  'minute',
  'second',
  'week',
  'dayofweek',
  'quarter',
  'date_trunc',
  'date_diff',
  'date_add',
  'strftime',
  'strptime',
];

describe('functions: arity and argument types', () => {
  const numeric1 = ['abs', 'floor', 'ceil', 'sqrt', 'ln', 'exp'];
  const string1 = ['lower', 'upper', 'length'];
  const date1 = ['year', 'month', 'day', 'hour'];

  it('lists every function of the language', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual(
      [
        ...numeric1,
        'round',
        'pow',
        ...string1,
        'contains',
        'starts_with',
        ...date1,
        'coalesce',
        'if',
        ...ADDED_FUNCTIONS,
      ].sort(),
    );
  });

  it("checks the added functions' literal arguments with positions", () => {
    expect(errorsOf('regexp_matches(weather, weather)')[0]!.message).toMatch(
      /regexp_matches expects the pattern as a string literal at 1:25/,
    );
    expect(errorsOf('regexp_replace(weather, "a", "b", "x")')[0]!.message).toMatch(
      /regexp_replace has no option "x" at 1:35 \(options: g, i\)/,
    );
    expect(errorsOf('date_diff("days", date, date)')[0]!.message).toMatch(
      /unknown part "days" at 1:11 \(did you mean "day"\?\)/,
    );
    expect(errorsOf('substr(weather, "1")')[0]!.message).toMatch(/substr expects an integer/);
    expect(errorsOf('n || weather')[0]!.message).toMatch(/\|\| joins strings or booleans/);
    expect(exprOf('weather || "x"').type).toBe('utf8');
    expect(exprOf('date_add("hour", 1, date)').type).toBe('timestamp');
    expect(exprOf('date_add("day", 1, date)').type).toBe('date32');
    expect(exprOf('date_trunc("month", "2020-05-05")').type).toBe('timestamp');
  });

  it.each(numeric1)('%s takes one number', (f) => {
    expect(exprOf(`${f}(n)`).type).toBe(['abs', 'floor', 'ceil'].includes(f) ? 'int64' : 'float64');
    expect(exprOf(`${f}(temp_max)`).type).toBe('float64');
    expect(errorsOf(`${f}(weather)`)[0]!.message).toContain(`${f} expects a number, got string`);
    expect(errorsOf(`${f}()`)[0]!.message).toContain(`${f} expects 1 argument, got 0`);
    expect(errorsOf(`${f}(n, n)`)[0]!.message).toContain(`${f} expects 1 argument, got 2`);
  });

  it('round takes a number and optional integer digits', () => {
    expect(exprOf('round(n)').type).toBe('int64');
    expect(exprOf('round(temp_max, 1)').type).toBe('float64');
    expect(exprOf('round(n, 1)').type).toBe('float64');
    expect(errorsOf('round(temp_max, 1.5)')[0]!.message).toContain('an integer number of digits');
    expect(errorsOf('round(1, 2, 3)')[0]!.message).toContain(
      'round expects 1 or 2 arguments, got 3',
    );
  });

  it('pow takes two numbers', () => {
    expect(exprOf('pow(n, 2)').type).toBe('float64');
    expect(errorsOf('pow(n)')[0]!.message).toContain('pow expects 2 arguments, got 1');
    expect(errorsOf('pow(n, weather)')[0]!.message).toContain('pow expects a number, got string');
  });

  it.each(string1)('%s takes one string', (f) => {
    expect(exprOf(`${f}(weather)`).type).toBe(f === 'length' ? 'int64' : 'utf8');
    expect(errorsOf(`${f}(n)`)[0]!.message).toContain(`${f} expects a string, got integer`);
    expect(errorsOf(`${f}(weather, weather)`)[0]!.message).toContain('expects 1 argument, got 2');
  });

  it.each(['contains', 'starts_with'])('%s takes two strings', (f) => {
    expect(exprOf(`${f}(weather, "r")`).type).toBe('bool');
    expect(errorsOf(`${f}(weather, 1)`)[0]!.message).toContain('expects a string, got integer');
    expect(errorsOf(`${f}(weather)`)[0]!.message).toContain('expects 2 arguments, got 1');
  });

  it.each(date1)('%s takes a date or a timestamp', (f) => {
    expect(exprOf(`${f}(date)`).type).toBe('int64');
    expect(exprOf(`${f}(ts)`).type).toBe('int64');
    expect(errorsOf(`${f}(n)`)[0]!.message).toContain('expects a date or timestamp, got integer');
    expect(errorsOf(`${f}("2012-01-01")`)[0]!.message).toContain('got string');
  });

  it('coalesce takes one or more arguments of a common type', () => {
    expect(exprOf('coalesce(n, 1.5)').type).toBe('float64');
    expect(exprOf('coalesce(date, ts)').type).toBe('timestamp');
    expect(errorsOf('coalesce()')[0]!.message).toContain(
      'coalesce expects at least 1 argument, got 0',
    );
  });

  it('if takes exactly three arguments', () => {
    expect(exprOf('if(ok, weather, "x")').type).toBe('utf8');
    expect(errorsOf('if(ok, 1)')[0]!.message).toContain('if expects 3 arguments, got 2');
  });

  it('function names are case-insensitive', () => {
    expect(exprOf('ABS(n)').type).toBe('int64');
  });
});

describe('compiled form', () => {
  it('compiles columns by index and name, with casts made explicit', () => {
    expect(exprOf('temp_max > n')).toEqual({
      kind: 'call',
      type: 'bool',
      fn: 'gt',
      args: [
        { kind: 'column', type: 'float64', index: 0, name: 'temp_max' },
        {
          kind: 'call',
          type: 'float64',
          fn: 'cast',
          args: [{ kind: 'column', type: 'int64', index: 3, name: 'n' }],
        },
      ],
    });
  });

  it('reads backtick-quoted names and doubled backticks', () => {
    expect(exprOf('`wind speed` is not null')).toEqual({
      kind: 'call',
      type: 'bool',
      fn: 'is_not_null',
      args: [{ kind: 'column', type: 'float64', index: 4, name: 'wind speed' }],
    });
    const r = checkExpression('`a``b` + 1', [{ name: 'a`b', type: 'int64' }]);
    expect(r.ok).toBe(true);
  });

  it('divides integers as float64 (DuckDB ≥ 0.8 semantics)', () => {
    const e = exprOf('n / 2');
    expect(e.type).toBe('float64');
    expect(e).toMatchObject({ fn: 'div', args: [{ fn: 'cast' }, { fn: 'cast' }] });
    expect(exprOf('n % 2').type).toBe('int64');
  });

  it('encodes literals by type', () => {
    expect(exprOf('9223372036854775807')).toEqual({
      kind: 'literal',
      type: 'int64',
      value: '9223372036854775807',
    });
    expect(exprOf('9223372036854775808')).toEqual({
      kind: 'literal',
      type: 'float64',
      value: 9223372036854775808,
    });
    expect(exprOf('"a\\"b\\u00e9\\n"')).toEqual({ kind: 'literal', type: 'utf8', value: 'a"bé\n' });
    expect(exprOf("'single'")).toEqual({ kind: 'literal', type: 'utf8', value: 'single' });
    expect(exprOf('TRUE')).toEqual({ kind: 'literal', type: 'bool', value: true });
  });

  it('turns string literals into dates and timestamps by context', () => {
    const days = Date.UTC(2012, 5, 1) / 86_400_000;
    expect(exprOf('date >= "2012-06-01"')).toMatchObject({
      args: [{}, { type: 'date32', value: days }],
    });
    const micros = (
      BigInt(Date.UTC(2012, 5, 1, 13, 30, 5)) * 1000n +
      250_000n -
      2n * 3_600_000_000n
    ).toString();
    expect(exprOf('ts < "2012-06-01T13:30:05.25+02:00"')).toMatchObject({
      args: [{}, { type: 'timestamp', value: micros }],
    });
    expect(exprOf('ts < date')).toMatchObject({
      args: [{ type: 'timestamp' }, { fn: 'cast', type: 'timestamp' }],
    });
  });

  it('types null by its context', () => {
    expect(exprOf('n + null')).toMatchObject({
      type: 'int64',
      args: [{}, { kind: 'literal', type: 'int64', value: null }],
    });
    expect(exprOf('weather == null')).toMatchObject({ args: [{}, { type: 'utf8', value: null }] });
    const r = checkExpression('null', cols, 'bool');
    expect(r.ok && r.compiled.expr).toEqual({ kind: 'literal', type: 'bool', value: null });
  });

  it('binds && tighter than || and comparison tighter than &&', () => {
    expect(exprOf('ok || n > 1 && ok')).toMatchObject({
      fn: 'or',
      args: [{ kind: 'column' }, { fn: 'and' }],
    });
    expect(exprOf('1 + 2 * 3')).toMatchObject({
      fn: 'add',
      args: [{ kind: 'literal' }, { fn: 'mul' }],
    });
    expect(exprOf('(1 + 2) * 3')).toMatchObject({
      fn: 'mul',
      args: [{ fn: 'add' }, { kind: 'literal' }],
    });
  });
});

describe('chains and depth', () => {
  it('flattens left-associative chains into one n-ary node', () => {
    expect(exprOf('n + n - n + n')).toMatchObject({
      fn: 'add',
      args: [{ fn: 'sub', args: [{ fn: 'add' }, {}] }, {}],
    });
    expect(exprOf('n + n + n + n')).toMatchObject({ fn: 'add', args: [{}, {}, {}, {}] });
    expect(exprOf('ok && ok && ok || ok')).toMatchObject({
      fn: 'or',
      args: [{ fn: 'and', args: [{}, {}, {}] }, {}],
    });
    // a + (b + c) keeps its grouping; an int chain cast to float is not merged with a float one
    expect(exprOf('n + (n + n)')).toMatchObject({ fn: 'add', args: [{}, { fn: 'add' }] });
    expect(exprOf('n + n + temp_max')).toMatchObject({ fn: 'add', args: [{ fn: 'cast' }, {}] });
    expect(exprOf('n % n % n')).toMatchObject({ fn: 'mod', args: [{ fn: 'mod' }, {}] });
  });

  it('reports absurd nesting as an error instead of throwing', () => {
    expect(errorsOf('('.repeat(4900) + '1' + ')'.repeat(4900))[0]!.message).toMatch(
      /^expression nested too deeply/,
    );
    expect(errorsOf('-'.repeat(5000) + '1')[0]!.message).toMatch(/^expression nested too deeply/);
  });

  it('accepts a long sum but refuses nesting deeper than the modules allow', () => {
    const sum = Array.from({ length: 500 }, () => 'n').join(' + ');
    expect(checkExpression(sum, cols).ok).toBe(true);
    const nested = (k: number) => 'if(ok, '.repeat(k) + 'n' + ', n)'.repeat(k);
    expect(checkExpression(nested(39), cols).ok).toBe(true);
    const [e] = errorsOf(nested(40));
    expect(e!.message).toBe(
      'expression nested too deeply (41 levels, at most 40) at 1:1 (split it over several derive steps)',
    );
  });
});

describe('schemas', () => {
  it('accepts an Arrow schema and widens its types', () => {
    const schema = new Schema([
      new Field('a', new Int32()),
      new Field('s', new Dictionary(new Utf8(), new Int32())),
      new Field('t', new TimestampMillisecond()),
      new Field('b', new Binary()),
      new Field('f', new Float64()),
    ]);
    const r = checkExpression('a + f > 1 && s == "x" && year(t) == 2000', schema);
    expect(r.ok).toBe(true);
    const bad = checkExpression('b is null', schema);
    expect(!bad.ok && bad.errors[0]!.message).toMatch(/column "b" has type Binary/);
  });

  it('accepts the host schema mirror', () => {
    const r = checkExpression('length(s) > 1 && d > "2000-01-01"', {
      fields: [
        {
          name: 's',
          type: { type: 'dictionary', index: 'int8', value: { type: 'large_utf8' } },
          nullable: true,
        },
        { name: 'd', type: { type: 'date64' }, nullable: true },
      ],
    });
    expect(r.ok).toBe(true);
  });
});

describe('compileExpressionParams', () => {
  it('adds the compiled form to filter and derive params', () => {
    const r = compileExpressionParams('derive', { column: 'x', expression: 'n * 2' }, cols);
    expect(r.ok && r.params).toMatchObject({
      column: 'x',
      expression: 'n * 2',
      compiled: { version: 1, source: 'n * 2', expr: { fn: 'mul', type: 'int64' } },
    });
  });

  it('leaves other modules alone', () => {
    expect(compileExpressionParams('sort', { keys: [] }, cols)).toEqual({
      ok: true,
      params: { keys: [] },
    });
  });
});
