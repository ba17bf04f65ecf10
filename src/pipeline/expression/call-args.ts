/**
 * Argument checks shared by the function checkers (functions.ts, functions-text.ts,
 * functions-time.ts): each raises a positioned error naming the function and its signature.
 */
import type { Checker, Typed } from './check';
import { isNumeric, typeName } from './check';
import type { ExprType } from './types';

/** Checks of one call's arguments. */
export class CallArgs {
  constructor(
    readonly c: Checker,
    readonly fname: string,
    readonly signature: string,
  ) {}

  /** Fails unless `a` is null or satisfies `ok`; a string literal passes only as 'a string'. */
  expect(a: Typed, ok: (t: ExprType) => boolean, what: string): void {
    if (a.type === 'null') return;
    if (!ok(a.type) || (a.stringLiteral !== undefined && what !== 'a string')) {
      this.c.fail(a.loc, `${this.fname} expects ${what}, got ${typeName(a.type)}`, this.signature);
    }
  }

  num(a: Typed): void {
    this.expect(a, isNumeric, 'a number');
  }

  str(a: Typed): void {
    this.expect(a, (t) => t === 'utf8', 'a string');
  }

  int(a: Typed): void {
    this.expect(a, (t) => t === 'int64', 'an integer');
  }

  /** A date or timestamp; a string literal passes (it is read as one by context). */
  temporal(a: Typed): void {
    if (a.stringLiteral !== undefined) return;
    this.expect(a, (t) => t === 'date32' || t === 'timestamp', 'a date or timestamp');
  }

  /** The text of a string literal argument (patterns, parts, options), else a failure. */
  literal(a: Typed, what: string): string {
    if (a.stringLiteral === undefined) {
      this.c.fail(a.loc, `${this.fname} expects ${what} as a string literal`, this.signature);
    }
    return a.stringLiteral;
  }
}
