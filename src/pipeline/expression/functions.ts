/**
 * Signatures of the expression functions and their type checking. Semantics follow DuckDB
 * (the oracle in the tests) unless README "Expressions" says otherwise.
 */
import type { Span } from './ast';
import { type Checker, type Typed, isNumeric, typeName } from './check';
import { FUNCTIONS } from './catalog';
import { checkTextCall } from './functions-text';
import { checkTimeCall } from './functions-time';
import { suggest } from './suggest';
import type { CompiledExpr, ExprFunction, ExprType } from './types';

/** Each function with its arity and a one-line description (for the editor's help). */
export { FUNCTIONS } from './catalog';

function arityText(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  if (max >= 64) return `at least ${min} argument${min === 1 ? '' : 's'}`;
  return `${min} or ${max} arguments`;
}

/** Checks a call of function `name` with already-checked `args`. */
export function checkCall(
  c: Checker,
  name: string,
  nameLoc: Span,
  loc: Span,
  args: Typed[],
): Typed {
  const fname = name.toLowerCase();
  const spec = FUNCTIONS[fname];
  if (spec === undefined || !Object.hasOwn(FUNCTIONS, fname)) {
    const near = suggest(fname, Object.keys(FUNCTIONS));
    c.fail(
      nameLoc,
      `unknown function ${JSON.stringify(name)}`,
      near && `did you mean ${JSON.stringify(near)}?`,
    );
  }
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    c.fail(
      loc,
      `${fname} expects ${arityText(spec.minArgs, spec.maxArgs)}, got ${args.length}`,
      spec.signature,
    );
  }
  const added =
    checkTextCall(c, fname, spec.signature, args, loc) ??
    checkTimeCall(c, fname, spec.signature, args, loc);
  if (added !== undefined) return added;
  const fn = fname as ExprFunction;
  const expect = (a: Typed, ok: (t: ExprType) => boolean, what: string): void => {
    if (a.type === 'null') return;
    if (!ok(a.type) || (a.stringLiteral !== undefined && what !== 'a string')) {
      c.fail(a.loc, `${fname} expects ${what}, got ${typeName(a.type)}`, spec.signature);
    }
  };
  const num = (a: Typed) => expect(a, isNumeric, 'a number');
  const str = (a: Typed) => expect(a, (t) => t === 'utf8', 'a string');
  const a0 = args[0]!;
  switch (fname) {
    case 'abs':
    case 'floor':
    case 'ceil': {
      num(a0);
      const t = a0.type === 'null' ? 'float64' : (a0.type as ExprType);
      return c.call(fn, t, [c.coerce(a0, t)], loc);
    }
    case 'round': {
      num(a0);
      if (args.length === 2) {
        const digits = args[1]!;
        expect(digits, (t) => t === 'int64', 'an integer number of digits');
        return c.call(fn, 'float64', [c.coerce(a0, 'float64'), c.coerce(digits, 'int64')], loc);
      }
      const t = a0.type === 'null' ? 'float64' : (a0.type as ExprType);
      return c.call(fn, t, [c.coerce(a0, t)], loc);
    }
    case 'sqrt':
    case 'ln':
    case 'exp':
    case 'pow':
      args.forEach(num);
      return c.call(
        fn,
        'float64',
        args.map((a) => c.coerce(a, 'float64')),
        loc,
      );
    case 'lower':
    case 'upper':
      str(a0);
      return c.call(fn, 'utf8', [c.coerce(a0, 'utf8')], loc);
    case 'length':
      str(a0);
      return c.call(fn, 'int64', [c.coerce(a0, 'utf8')], loc);
    case 'contains':
    case 'starts_with':
      args.forEach(str);
      return c.call(
        fn,
        'bool',
        args.map((a) => c.coerce(a, 'utf8')),
        loc,
      );
    case 'year':
    case 'month':
    case 'day':
    case 'hour': {
      expect(a0, (t) => t === 'date32' || t === 'timestamp', 'a date or timestamp');
      const t = a0.type === 'date32' ? 'date32' : 'timestamp';
      return c.call(fn, 'int64', [c.coerce(a0, t)], loc);
    }
    case 'coalesce':
      return unified(c, fn, args, [], loc);
    case 'if': {
      const cond = a0;
      if (cond.type !== 'bool' && cond.type !== 'null') {
        c.fail(
          cond.loc,
          `if expects a boolean condition, got ${typeName(cond.type)}`,
          spec.signature,
        );
      }
      return unified(c, fn, args.slice(1), [c.coerce(cond, 'bool')], loc);
    }
  }
  throw new Error(`function table and checker disagree on ${fname}`);
}

/** A call whose result has the common type of `args` (coalesce, if's branches). */
function unified(
  c: Checker,
  fn: ExprFunction,
  args: Typed[],
  prefix: CompiledExpr[],
  loc: Span,
): Typed {
  const t = c.commonType(args);
  if (t === null) {
    c.fail(
      loc,
      `${fn} arguments have no common type (${args.map((a) => typeName(a.type)).join(', ')})`,
    );
  }
  if (t === 'null') {
    return { type: 'null', node: { kind: 'literal', type: 'int64', value: null }, loc };
  }
  return c.call(fn, t, [...prefix, ...args.map((a) => c.coerce(a, t))], loc);
}
