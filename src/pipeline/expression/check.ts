/**
 * The type checker and compiler: {@link Ast} + input columns → {@link CompiledExpr}.
 *
 * Typing rules (documented for users in README "Expressions"):
 * - int64 and float64 mix as float64; date32 and timestamp mix as timestamp; a string literal
 *   next to a date32/timestamp operand is read as a date/timestamp literal.
 * - `/` always gives float64 (IEEE: x/0 is ±inf, 0/0 NaN), as in DuckDB ≥ 0.8; `%` keeps int64
 *   for integers (truncated, sign of the dividend; x % 0 is null).
 * - `null` takes the type its context asks for; alone it is bool (for filter) or int64.
 */
import type { Ast, BinaryOp, Span } from './ast';
import { EXPR_LIMITS } from './catalog';
import { checkCall } from './functions';
import { int64Literal, parseDateLiteral, parseTimestampLiteral } from './literals';
import { errorAt } from './parse';
import { suggest } from './suggest';
import type { CompiledExpr, ExprColumn, ExprError, ExprFunction, ExprType } from './types';

/** Deepest nesting of compiled nodes the modules accept (QV_EXPR_MAX_DEPTH, from catalog.ts). */
export const MAX_DEPTH = EXPR_LIMITS.maxDepth;

/** Most arguments of one compiled call node (QV_EXPR_MAX_ARGS, from catalog.ts). */
export const MAX_ARGS = EXPR_LIMITS.maxArgs;

/** Depth of a compiled tree (a leaf is 1). */
export function depthOf(e: CompiledExpr): number {
  if (e.kind !== 'call') return 1;
  let d = 0;
  for (const a of e.args) d = Math.max(d, depthOf(a));
  return d + 1;
}

/** A checked sub-expression: its type ('null' for the untyped null literal) and code. */
export interface Typed {
  type: ExprType | 'null';
  node: CompiledExpr;
  loc: Span;
  /** Set for string literals, which may become date/timestamp literals by context. */
  stringLiteral?: string;
}

/** Human names of types in messages. */
export function typeName(t: ExprType | 'null'): string {
  switch (t) {
    case 'int64':
      return 'integer';
    case 'float64':
      return 'float';
    case 'bool':
      return 'boolean';
    case 'utf8':
      return 'string';
    case 'date32':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'null':
      return 'null';
  }
}

/** Thrown inside the checker, collected by {@link Checker.check}. */
export class CheckError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

export function isNumeric(t: ExprType | 'null'): boolean {
  return t === 'int64' || t === 'float64';
}

/** Type checker for one source text against one list of input columns. */
export class Checker {
  constructor(
    readonly source: string,
    readonly columns: readonly ExprColumn[],
  ) {}

  fail(span: Span, what: string, hint?: string): never {
    throw new CheckError(errorAt(this.source, span, what, hint));
  }

  /**
   * The common type of `types` (for comparisons, coalesce, if, arithmetic), or null if none.
   * 'null' entries take the others' type; all 'null' stays 'null'.
   */
  commonType(items: readonly Typed[]): ExprType | 'null' | null {
    let result: ExprType | 'null' = 'null';
    // Typed operands decide first; string literals may then convert to dates.
    for (const it of items) {
      if (it.type === 'null' || it.stringLiteral !== undefined) continue;
      if (result === 'null' || result === it.type) result = it.type;
      else if (isNumeric(result) && isNumeric(it.type)) result = 'float64';
      else if (isTemporal(result) && isTemporal(it.type)) result = 'timestamp';
      else return null;
    }
    for (const it of items) {
      if (it.stringLiteral === undefined) continue;
      if (result === 'null') result = 'utf8';
      else if (result !== 'utf8' && !isTemporal(result)) return null;
    }
    return result;
  }

  /** Converts `t` to `to`, inserting a cast or re-reading a literal; errors if impossible. */
  coerce(t: Typed, to: ExprType): CompiledExpr {
    if (t.type === to && t.stringLiteral === undefined) return t.node;
    if (t.type === 'null') return { kind: 'literal', type: to, value: null };
    if (t.stringLiteral !== undefined) {
      if (to === 'utf8') return t.node;
      if (to === 'date32') {
        const days = parseDateLiteral(t.stringLiteral);
        if (days === null) {
          this.fail(t.loc, `${JSON.stringify(t.stringLiteral)} is not a date`, 'use YYYY-MM-DD');
        }
        return { kind: 'literal', type: 'date32', value: days };
      }
      if (to === 'timestamp') {
        const micros = parseTimestampLiteral(t.stringLiteral);
        if (micros === null) {
          this.fail(
            t.loc,
            `${JSON.stringify(t.stringLiteral)} is not a timestamp`,
            'use YYYY-MM-DD HH:MM:SS, optionally with .ffffff and Z or ±HH:MM',
          );
        }
        return { kind: 'literal', type: 'timestamp', value: micros };
      }
    }
    if ((t.type === 'int64' && to === 'float64') || (t.type === 'date32' && to === 'timestamp')) {
      return { kind: 'call', type: to, fn: 'cast', args: [t.node] };
    }
    this.fail(t.loc, `cannot convert ${typeName(t.type)} to ${typeName(to)}`);
  }

  check(ast: Ast): Typed {
    switch (ast.type) {
      case 'number': {
        if (ast.isInteger) {
          const v = int64Literal(ast.text);
          if (v !== null) {
            return {
              type: 'int64',
              node: { kind: 'literal', type: 'int64', value: v },
              loc: ast.loc,
            };
          }
        }
        const f = Number(ast.text);
        if (!Number.isFinite(f)) this.fail(ast.loc, `number ${ast.text} is out of range`);
        return {
          type: 'float64',
          node: { kind: 'literal', type: 'float64', value: f },
          loc: ast.loc,
        };
      }
      case 'string':
        return {
          type: 'utf8',
          node: { kind: 'literal', type: 'utf8', value: ast.value },
          loc: ast.loc,
          stringLiteral: ast.value,
        };
      case 'bool':
        return {
          type: 'bool',
          node: { kind: 'literal', type: 'bool', value: ast.value },
          loc: ast.loc,
        };
      case 'null':
        return {
          type: 'null',
          node: { kind: 'literal', type: 'int64', value: null },
          loc: ast.loc,
        };
      case 'column':
        return this.column(ast.name, ast.loc);
      case 'call':
        return checkCall(
          this,
          ast.name,
          ast.nameLoc,
          ast.loc,
          ast.args.map((a) => this.check(a)),
        );
      case 'unary': {
        const arg = this.check(ast.arg);
        if (ast.op === '!') return this.logic('not', [arg], ast.loc, ast.loc);
        if (arg.type === 'null') return arg;
        if (!isNumeric(arg.type) || arg.stringLiteral !== undefined) {
          this.fail(ast.loc, `cannot negate ${typeName(arg.type)}`);
        }
        return this.call('neg', arg.type, [arg.node], ast.loc);
      }
      case 'is_null': {
        const arg = this.check(ast.arg);
        const node = arg.type === 'null' ? this.coerce(arg, 'int64') : this.coerce(arg, arg.type);
        return this.call(ast.negated ? 'is_not_null' : 'is_null', 'bool', [node], ast.loc);
      }
      case 'binary':
        return this.binary(ast.op, this.check(ast.left), this.check(ast.right), ast.loc, ast.opLoc);
    }
  }

  call(fn: ExprFunction, type: ExprType, args: CompiledExpr[], loc: Span): Typed {
    return { type, node: { kind: 'call', type, fn, args }, loc };
  }

  /**
   * A left-associative chain: `(a op b) op c` becomes one n-ary node `op(a, b, c)` when the
   * left operand is already that operation of that type, so long sums stay shallow (the
   * module limits nesting depth, see MAX_DEPTH). Evaluation folds left to right, as written.
   */
  private chain(
    fn: ExprFunction,
    type: ExprType,
    left: CompiledExpr,
    right: CompiledExpr,
    loc: Span,
  ): Typed {
    if (
      left.kind === 'call' &&
      left.fn === fn &&
      left.type === type &&
      left.args.length < MAX_ARGS
    ) {
      return this.call(fn, type, [...left.args, right], loc);
    }
    return this.call(fn, type, [left, right], loc);
  }

  private column(name: string, loc: Span): Typed {
    const index = this.columns.findIndex((c) => c.name === name);
    if (index < 0) {
      const near = suggest(
        name,
        this.columns.map((c) => c.name),
      );
      this.fail(
        loc,
        `unknown column ${JSON.stringify(name)}`,
        near && `did you mean ${JSON.stringify(near)}?`,
      );
    }
    const col = this.columns[index]!;
    if (col.type === null) {
      this.fail(
        loc,
        `column ${JSON.stringify(name)} has type ${col.arrowType ?? 'unknown'}, which expressions cannot use`,
      );
    }
    return { type: col.type, node: { kind: 'column', type: col.type, index, name }, loc };
  }

  /** `and`, `or`, `not`: bool (or null) operands, bool result. */
  logic(fn: 'and' | 'or' | 'not', args: Typed[], loc: Span, opLoc: Span): Typed {
    const symbol = fn === 'and' ? '&&' : fn === 'or' ? '||' : '!';
    for (const a of args) {
      if (a.type !== 'bool' && a.type !== 'null') {
        this.fail(opLoc, `${symbol} needs boolean operands, got ${typeName(a.type)}`);
      }
    }
    const coerced = args.map((a) => this.coerce(a, 'bool'));
    if (fn === 'not') return this.call(fn, 'bool', coerced, loc);
    return this.chain(fn, 'bool', coerced[0]!, coerced[1]!, loc);
  }

  /** `a || b` on strings: SQL concatenation, null if either operand is. */
  private concat(l: Typed, r: Typed, loc: Span, opLoc: Span): Typed {
    for (const a of [l, r]) {
      if (a.type !== 'utf8' && a.type !== 'null') {
        this.fail(
          opLoc,
          `|| joins strings or booleans, got ${typeName(l.type)} and ${typeName(r.type)}`,
        );
      }
    }
    return this.chain('concat_strict', 'utf8', this.coerce(l, 'utf8'), this.coerce(r, 'utf8'), loc);
  }

  private binary(op: BinaryOp, l: Typed, r: Typed, loc: Span, opLoc: Span): Typed {
    switch (op) {
      case '&&':
        return this.logic('and', [l, r], loc, opLoc);
      case '||':
        if (l.type === 'utf8' || r.type === 'utf8') return this.concat(l, r, loc, opLoc);
        return this.logic('or', [l, r], loc, opLoc);
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const t = this.commonType([l, r]);
        if (t === null) {
          this.fail(opLoc, `cannot compare ${typeName(l.type)} with ${typeName(r.type)}`);
        }
        const to = t === 'null' ? 'int64' : t;
        return this.call(COMPARE[op], 'bool', [this.coerce(l, to), this.coerce(r, to)], loc);
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const bad = [l, r].find(
          (x) => x.type !== 'null' && (!isNumeric(x.type) || x.stringLiteral !== undefined),
        );
        if (bad) {
          const verb = ARITH_VERB[op];
          this.fail(
            opLoc,
            `cannot ${verb} ${typeName(l.type)} and ${typeName(r.type)}`,
            'arithmetic needs numbers',
          );
        }
        let t = this.commonType([l, r]) as ExprType | 'null';
        if (op === '/') t = 'float64';
        const to = t === 'null' ? 'int64' : t;
        const [left, right] = [this.coerce(l, to), this.coerce(r, to)];
        if (op === '%') return this.call('mod', to, [left, right], loc);
        return this.chain(ARITH[op], to, left, right, loc);
      }
    }
  }
}

function isTemporal(t: ExprType | 'null'): boolean {
  return t === 'date32' || t === 'timestamp';
}

const COMPARE = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;
const ARITH = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' } as const;
const ARITH_VERB = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'take the remainder of',
} as const;
