/**
 * Type checking of the string functions added for the analyst's step library: replace, the
 * regexp_* family (patterns in the dialect of README "Regular expressions", as literals so the
 * module compiles each once), split_part, trim/ltrim/rtrim, substr and concat.
 */
import type { Span } from './ast';
import { CallArgs } from './call-args';
import type { Checker, Typed } from './check';
import type { ExprFunction } from './types';

/** Regex options the module understands: i = ignore case, g = every match (replace only). */
const REGEX_OPTIONS: Record<string, string> = {
  regexp_matches: 'i',
  regexp_replace: 'gi',
};

/** Checks a call of one of this file's functions; undefined if `fname` is not one of them. */
export function checkTextCall(
  c: Checker,
  fname: string,
  signature: string,
  args: Typed[],
  loc: Span,
): Typed | undefined {
  const h = new CallArgs(c, fname, signature);
  const fn = fname as ExprFunction;
  const strings = () =>
    c.call(
      fn,
      'utf8',
      args.map((a) => c.coerce(a, 'utf8')),
      loc,
    );
  switch (fname) {
    case 'replace':
    case 'trim':
    case 'ltrim':
    case 'rtrim':
    case 'concat':
      args.forEach((a) => h.str(a));
      return strings();
    case 'split_part':
    case 'substr': {
      h.str(args[0]!);
      const ints = fname === 'substr' ? args.slice(1) : args.slice(2);
      ints.forEach((a) => h.int(a));
      if (fname === 'split_part') h.str(args[1]!);
      const coerced = args.map((a, i) =>
        c.coerce(a, i === 0 || (fname === 'split_part' && i === 1) ? 'utf8' : 'int64'),
      );
      return c.call(fn, 'utf8', coerced, loc);
    }
    case 'regexp_matches':
    case 'regexp_replace':
    case 'regexp_extract':
      return regexCall(c, h, fn, args, loc);
  }
  return undefined;
}

function regexCall(c: Checker, h: CallArgs, fn: ExprFunction, args: Typed[], loc: Span): Typed {
  h.str(args[0]!);
  h.literal(args[1]!, 'the pattern');
  const optionsAt = fn === 'regexp_replace' ? 3 : fn === 'regexp_matches' ? 2 : -1;
  if (optionsAt >= 0 && args[optionsAt] !== undefined) {
    const options = h.literal(args[optionsAt], 'the options');
    const allowed = REGEX_OPTIONS[fn]!;
    const bad = [...options].find((ch) => !allowed.includes(ch));
    if (bad !== undefined) {
      c.fail(
        args[optionsAt].loc,
        `${fn} has no option ${JSON.stringify(bad)}`,
        `options: ${[...allowed].join(', ')}`,
      );
    }
  }
  if (fn === 'regexp_replace') h.str(args[2]!);
  if (fn === 'regexp_extract' && args[2] !== undefined) h.int(args[2]);
  const types = args.map((_, i) => (fn === 'regexp_extract' && i === 2 ? 'int64' : 'utf8'));
  const coerced = args.map((a, i) => c.coerce(a, types[i]!));
  return c.call(fn, fn === 'regexp_matches' ? 'bool' : 'utf8', coerced, loc);
}
