/**
 * Adapter from the expression engine (src/pipeline/expression) to what the expression field
 * shows: a list of problems with positions, and the result type when it is known.
 */
import { checkExpression } from '../pipeline/expression';
import { parseExpression } from '../pipeline/expression/parse';
import type { TableSchema } from '../pipeline/table-schema';

/** One error, with 0-based `offset`/`length` in UTF-16 units and a message ending in line:col. */
export interface ExpressionProblem {
  message: string;
  offset: number;
  length: number;
}

export interface ExpressionCheckView {
  problems: ExpressionProblem[];
  /** The expression's type when it type-checks against known columns; null otherwise. */
  resultType: string | null;
}

/**
 * Check `source`: parse errors always; with the input `schema` known, also unknown columns
 * and type errors (the same checker the host runs before a run).
 */
export function checkExpressionText(
  source: string,
  schema: TableSchema | null,
): ExpressionCheckView {
  if (source === '') return { problems: [], resultType: null };
  if (!schema) {
    const parsed = parseExpression(source);
    return { problems: parsed.ok ? [] : parsed.errors, resultType: null };
  }
  const checked = checkExpression(source, schema);
  return checked.ok
    ? { problems: [], resultType: checked.type }
    : { problems: checked.errors, resultType: null };
}
