/** Parsing expression source text into an {@link Ast}, with positioned syntax errors. */
import type { Ast, Span } from './ast';
// Generated ahead of time from grammar.ts (npm run gen:expression-parser): no peggy at runtime.
import { parse as parseGenerated, SyntaxError as PeggySyntaxError } from './parser.generated.js';
import type { ExprError } from './types';

/** 1-based line and column of a UTF-16 offset in `source`. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Builds an {@link ExprError} at `span`; the message gets ` at line:column` appended, and
 * `hint` (if any) after that in parentheses.
 */
export function errorAt(source: string, span: Span, what: string, hint?: string): ExprError {
  const { line, column } = lineColumn(source, span.offset);
  const message = `${what} at ${line}:${column}${hint ? ` (${hint})` : ''}`;
  return { message, offset: span.offset, length: span.length, line, column };
}

function describeFound(found: string | null): string {
  if (found === null) return 'end of expression';
  return JSON.stringify(found);
}

/** The error for input nested beyond the JavaScript stack (thousands of parentheses). */
export function tooDeep(source: string): ExprError {
  return errorAt(source, { offset: 0, length: source.length }, 'expression nested too deeply');
}

/** Tokens that may start an expression; listed as just "expression" in syntax errors. */
const SUBSUMED_BY_EXPRESSION = new Set(['"("', '"-"', '"!"']);

/** Maximum source length in UTF-16 code units; longer input is refused before parsing. */
export const MAX_SOURCE_LENGTH = 10_000;

/**
 * Parses `source`. Syntax errors carry the position of the first unexpected character and
 * list what the grammar expected there (e.g. `expected expression but found ")" at 1:5`).
 */
export function parseExpression(
  source: string,
): { ok: true; ast: Ast } | { ok: false; errors: ExprError[] } {
  if (source.length > MAX_SOURCE_LENGTH) {
    return {
      ok: false,
      errors: [
        errorAt(
          source,
          { offset: MAX_SOURCE_LENGTH, length: 0 },
          `expression longer than ${MAX_SOURCE_LENGTH} characters`,
        ),
      ],
    };
  }
  if (source.trim() === '') {
    return { ok: false, errors: [errorAt(source, { offset: 0, length: 0 }, 'empty expression')] };
  }
  try {
    return { ok: true, ast: parseGenerated(source) as Ast };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, errors: [tooDeep(source)] };
    if (!(e instanceof PeggySyntaxError)) throw e;
    const offset = e.location.start.offset;
    if (e.expected === null) {
      // A custom error() raised by the grammar; its message is already specific.
      return {
        ok: false,
        errors: [errorAt(source, { offset, length: e.location.end.offset - offset }, e.message)],
      };
    }
    const all = [
      ...new Set(
        (e.expected ?? []).map((x) => {
          if (x.type === 'literal') return JSON.stringify(x.text);
          if (x.type === 'other') return x.description;
          if (x.type === 'end') return 'end of expression';
          return '';
        }),
      ),
    ].filter((x) => x !== '');
    const expected = all.includes('expression')
      ? all.filter((x) => !SUBSUMED_BY_EXPRESSION.has(x))
      : all;
    const list =
      expected.length <= 1
        ? (expected[0] ?? 'something else')
        : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
    const found = e.found ?? null;
    return {
      ok: false,
      errors: [
        errorAt(
          source,
          { offset, length: found === null ? 0 : found.length },
          `syntax error: expected ${list} but found ${describeFound(found)}`,
        ),
      ],
    };
  }
}
