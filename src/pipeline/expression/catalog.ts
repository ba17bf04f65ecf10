/**
 * The one source of truth for the expression language's operations and limits, shared by the
 * host (this folder) and the C evaluator (modules/sdk/expr*.c). `scripts/gen-expression-catalog.mjs`
 * writes `modules/sdk/expr_catalog.h` from this file (committed; a test and `--check` fail when
 * it drifts), so the operation names, their signatures and the limits are written once.
 *
 * Signatures use a small notation, `result(arg, arg, ...)`: a concrete type (`int64`, `float64`,
 * `bool`, `utf8`, `date32`, `timestamp`) or a type variable: `T` any type, `N` a number (int64 or
 * float64), `D` a date or timestamp. One variable stands for one type in the whole signature.
 * A last argument ending in `...` repeats zero or more times. The C compiler accepts a call node
 * only if one signature of its `fn` matches its declared types (hostile params cannot confuse
 * the evaluator); the TypeScript checker decides which conversions to insert.
 */

/** Limits of the compiled form, enforced by the host first (with positions) and by the C
 * compiler (QV_EXPR_MAX_* in expr_catalog.h). */
export const EXPR_LIMITS = {
  /** Deepest nesting of compiled nodes (the root is depth 1). Parsing and evaluation recurse
   * per level, and a module's stack is small (64 KiB by default in wasm32). */
  maxDepth: 40,
  /** Most arguments of one call node (long `a + b + c + ...` chains are one n-ary node). */
  maxArgs: 1024,
  /** Most nodes in one compiled expression. */
  maxNodes: 10000,
} as const;

/** How a user calls a function: arity and the help text shown in the editor. */
export interface CallableSpec {
  minArgs: number;
  maxArgs: number;
  signature: string;
  description: string;
}

/** One operation of the compiled form: its accepted signatures, and for functions the user
 * may call by name, how. */
export interface OperationSpec {
  signatures: readonly string[];
  callable?: CallableSpec;
}

const fn = (
  signatures: readonly string[],
  minArgs: number,
  maxArgs: number,
  signature: string,
  description: string,
): OperationSpec => ({ signatures, callable: { minArgs, maxArgs, signature, description } });

/** Every operation, in the order of the C enum (QV_OP_<NAME>_ after COLUMN and LITERAL). */
export const OPERATIONS = {
  // arithmetic: chains fold left to right; `div` always gives float64
  add: { signatures: ['N(N,N,N...)'] },
  sub: { signatures: ['N(N,N,N...)'] },
  mul: { signatures: ['N(N,N,N...)'] },
  div: { signatures: ['float64(float64,float64,float64...)'] },
  mod: { signatures: ['N(N,N)'] },
  neg: { signatures: ['N(N)'] },
  // comparison and logic (SQL three-valued)
  eq: { signatures: ['bool(T,T)'] },
  ne: { signatures: ['bool(T,T)'] },
  lt: { signatures: ['bool(T,T)'] },
  le: { signatures: ['bool(T,T)'] },
  gt: { signatures: ['bool(T,T)'] },
  ge: { signatures: ['bool(T,T)'] },
  and: { signatures: ['bool(bool,bool,bool...)'] },
  or: { signatures: ['bool(bool,bool,bool...)'] },
  not: { signatures: ['bool(bool)'] },
  is_null: { signatures: ['bool(T)'] },
  is_not_null: { signatures: ['bool(T)'] },
  // explicit conversions the checker inserts
  cast: { signatures: ['float64(int64)', 'timestamp(date32)'] },
  // functions
  abs: fn(['N(N)'], 1, 1, 'abs(x)', 'absolute value'),
  floor: fn(['N(N)'], 1, 1, 'floor(x)', 'round down'),
  ceil: fn(['N(N)'], 1, 1, 'ceil(x)', 'round up'),
  round: fn(
    ['N(N)', 'float64(float64,int64)'],
    1,
    2,
    'round(x[, digits])',
    'round half away from zero, to `digits` decimals (default 0)',
  ),
  sqrt: fn(['float64(float64)'], 1, 1, 'sqrt(x)', 'square root (x ≥ 0)'),
  ln: fn(['float64(float64)'], 1, 1, 'ln(x)', 'natural logarithm (x > 0)'),
  exp: fn(['float64(float64)'], 1, 1, 'exp(x)', 'e to the power x'),
  pow: fn(['float64(float64,float64)'], 2, 2, 'pow(x, y)', 'x to the power y'),
  lower: fn(['utf8(utf8)'], 1, 1, 'lower(s)', 'lower case'),
  upper: fn(['utf8(utf8)'], 1, 1, 'upper(s)', 'upper case'),
  length: fn(['int64(utf8)'], 1, 1, 'length(s)', 'number of characters (Unicode code points)'),
  contains: fn(['bool(utf8,utf8)'], 2, 2, 'contains(s, part)', 'whether s contains part'),
  starts_with: fn(
    ['bool(utf8,utf8)'],
    2,
    2,
    'starts_with(s, prefix)',
    'whether s starts with prefix',
  ),
  replace: fn(
    ['utf8(utf8,utf8,utf8)'],
    3,
    3,
    'replace(s, from, to)',
    'every occurrence of `from` in s replaced by `to`',
  ),
  regexp_matches: fn(
    ['bool(utf8,utf8)', 'bool(utf8,utf8,utf8)'],
    2,
    3,
    'regexp_matches(s, "pattern"[, "options"])',
    'whether the regular expression matches somewhere in s (options: i = ignore case)',
  ),
  regexp_replace: fn(
    ['utf8(utf8,utf8,utf8)', 'utf8(utf8,utf8,utf8,utf8)'],
    3,
    4,
    'regexp_replace(s, "pattern", replacement[, "options"])',
    'the first match (every match with option g) replaced; \\1 in the replacement is group 1',
  ),
  regexp_extract: fn(
    ['utf8(utf8,utf8)', 'utf8(utf8,utf8,int64)'],
    2,
    3,
    'regexp_extract(s, "pattern"[, group])',
    'the text of the first match (or of its group), "" when there is none',
  ),
  split_part: fn(
    ['utf8(utf8,utf8,int64)'],
    3,
    3,
    'split_part(s, separator, index)',
    'part `index` (1-based; negative counts from the end) of s split at separator, else ""',
  ),
  trim: fn(
    ['utf8(utf8)', 'utf8(utf8,utf8)'],
    1,
    2,
    'trim(s[, characters])',
    'without leading and trailing spaces (or any of `characters`)',
  ),
  ltrim: fn(
    ['utf8(utf8)', 'utf8(utf8,utf8)'],
    1,
    2,
    'ltrim(s[, characters])',
    'without leading spaces (or any of `characters`)',
  ),
  rtrim: fn(
    ['utf8(utf8)', 'utf8(utf8,utf8)'],
    1,
    2,
    'rtrim(s[, characters])',
    'without trailing spaces (or any of `characters`)',
  ),
  substr: fn(
    ['utf8(utf8,int64)', 'utf8(utf8,int64,int64)'],
    2,
    3,
    'substr(s, start[, length])',
    'characters from start (1-based; negative counts from the end)',
  ),
  concat: fn(
    ['utf8(utf8,utf8...)'],
    1,
    64,
    'concat(a, b, ...)',
    'the strings joined; null arguments count as empty (a || b is null if either is)',
  ),
  /** `a || b` on strings: null if either is (SQL). */
  concat_strict: { signatures: ['utf8(utf8,utf8,utf8...)'] },
  year: fn(['int64(D)'], 1, 1, 'year(d)', 'year of a date/timestamp'),
  month: fn(['int64(D)'], 1, 1, 'month(d)', 'month, 1–12'),
  day: fn(['int64(D)'], 1, 1, 'day(d)', 'day of the month, 1–31'),
  hour: fn(['int64(D)'], 1, 1, 'hour(t)', 'hour, 0–23 (UTC)'),
  minute: fn(['int64(D)'], 1, 1, 'minute(t)', 'minute, 0–59'),
  second: fn(['int64(D)'], 1, 1, 'second(t)', 'second, 0–59'),
  week: fn(['int64(D)'], 1, 1, 'week(d)', 'ISO 8601 week number, 1–53'),
  dayofweek: fn(['int64(D)'], 1, 1, 'dayofweek(d)', 'day of the week, 0 (Sunday) – 6 (Saturday)'),
  quarter: fn(['int64(D)'], 1, 1, 'quarter(d)', 'quarter, 1–4'),
  date_trunc: fn(
    ['D(utf8,D)'],
    2,
    2,
    'date_trunc("part", d)',
    'd truncated to the start of its year, quarter, month, week, day, hour, minute or second',
  ),
  date_diff: fn(
    ['int64(utf8,D,D)'],
    3,
    3,
    'date_diff("part", start, end)',
    'number of part boundaries (year … second) crossed from start to end',
  ),
  date_add: fn(
    ['D(utf8,int64,D)'],
    3,
    3,
    'date_add("part", n, d)',
    'd plus n parts (year … second); months clamp to the last day of the month',
  ),
  strftime: fn(
    ['utf8(D,utf8)'],
    2,
    2,
    'strftime(d, format)',
    'd as text in a strftime format (%Y-%m-%d %H:%M:%S, ...)',
  ),
  strptime: fn(
    ['timestamp(utf8,utf8)'],
    2,
    2,
    'strptime(s, format)',
    's read as a timestamp in a strptime format; fails on text that does not match',
  ),
  coalesce: fn(['T(T,T...)'], 1, 64, 'coalesce(a, b, ...)', 'first argument that is not null'),
  if: fn(
    ['T(bool,T,T)'],
    3,
    3,
    'if(cond, a, b)',
    'a where cond is true, else b (also when cond is null)',
  ),
} as const satisfies Record<string, OperationSpec>;

/** Names of the operators and functions in compiled `call` nodes. */
export type ExprFunction = keyof typeof OPERATIONS;

/** The functions a user may call by name, with their arity and help text. */
export const FUNCTIONS: Readonly<Record<string, CallableSpec>> = Object.fromEntries(
  Object.entries(OPERATIONS as Record<string, OperationSpec>).flatMap(([name, op]) =>
    op.callable ? [[name, op.callable]] : [],
  ),
);
