/**
 * Type checking of the date and time functions added for the analyst's step library: minute,
 * second, week, dayofweek, quarter, date_trunc, date_diff, date_add, strftime and strptime.
 * Parts are string literals (`"month"`), checked here so a typo is a positioned error.
 */
import type { Span } from './ast';
import { CallArgs } from './call-args';
import type { Checker, Typed } from './check';
import { suggest } from './suggest';
import type { ExprFunction, ExprType } from './types';

/** Parts accepted by date_trunc, date_diff and date_add (modules/sdk/expr_time.c). */
export const DATE_PARTS = [
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
] as const;

/** Parts smaller than a day: applied to a date, they make it a timestamp. */
const TIME_PARTS = new Set(['hour', 'minute', 'second']);

/** Checks a call of one of this file's functions; undefined if `fname` is not one of them. */
export function checkTimeCall(
  c: Checker,
  fname: string,
  signature: string,
  args: Typed[],
  loc: Span,
): Typed | undefined {
  const h = new CallArgs(c, fname, signature);
  const fn = fname as ExprFunction;
  switch (fname) {
    case 'minute':
    case 'second':
    case 'week':
    case 'dayofweek':
    case 'quarter': {
      h.temporal(args[0]!);
      return c.call(fn, 'int64', [c.coerce(args[0]!, temporalOf([args[0]!]))], loc);
    }
    case 'date_trunc': {
      const part = checkPart(c, h, args[0]!);
      h.temporal(args[1]!);
      const t = TIME_PARTS.has(part) ? 'timestamp' : temporalOf([args[1]!]);
      return c.call(fn, t, [c.coerce(args[0]!, 'utf8'), c.coerce(args[1]!, t)], loc);
    }
    case 'date_diff': {
      checkPart(c, h, args[0]!);
      args.slice(1).forEach((a) => h.temporal(a));
      const t = temporalOf(args.slice(1));
      const coerced = [c.coerce(args[0]!, 'utf8'), c.coerce(args[1]!, t), c.coerce(args[2]!, t)];
      return c.call(fn, 'int64', coerced, loc);
    }
    case 'date_add': {
      const part = checkPart(c, h, args[0]!);
      h.int(args[1]!);
      h.temporal(args[2]!);
      const t = TIME_PARTS.has(part) ? 'timestamp' : temporalOf([args[2]!]);
      const coerced = [
        c.coerce(args[0]!, 'utf8'),
        c.coerce(args[1]!, 'int64'),
        c.coerce(args[2]!, t),
      ];
      return c.call(fn, t, coerced, loc);
    }
    case 'strftime': {
      h.temporal(args[0]!);
      h.str(args[1]!);
      const t = temporalOf([args[0]!]);
      return c.call(fn, 'utf8', [c.coerce(args[0]!, t), c.coerce(args[1]!, 'utf8')], loc);
    }
    case 'strptime':
      args.forEach((a) => h.str(a));
      return c.call(
        fn,
        'timestamp',
        args.map((a) => c.coerce(a, 'utf8')),
        loc,
      );
  }
  return undefined;
}

/** The type temporal arguments compute in: date32 if all are dates (or null), else
 * timestamp; a string literal is read as a timestamp. */
function temporalOf(args: Typed[]): ExprType {
  const typed = args.filter((a) => a.type !== 'null' && a.stringLiteral === undefined);
  if (typed.length === 0)
    return args.some((a) => a.stringLiteral !== undefined) ? 'timestamp' : 'date32';
  return typed.every((a) => a.type === 'date32') ? 'date32' : 'timestamp';
}

function checkPart(c: Checker, h: CallArgs, a: Typed): string {
  const part = h.literal(a, 'the part').toLowerCase();
  if (!(DATE_PARTS as readonly string[]).includes(part)) {
    const near = suggest(part, [...DATE_PARTS]);
    c.fail(
      a.loc,
      `${h.fname}: unknown part ${JSON.stringify(part)}`,
      near ? `did you mean ${JSON.stringify(near)}?` : `parts: ${DATE_PARTS.join(', ')}`,
    );
  }
  return part;
}
