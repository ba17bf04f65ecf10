/**
 * `filter`: the same columns as its input; the expression must type-check as boolean against
 * the input schema (`checkExpression` from src/pipeline/expression). With an unknown input
 * schema only its syntax is checked.
 */
import { checkExpression, parseExpression } from '../expression';
import { known, unknownSchema } from '../table-schema';
import type { RuleIssue, SchemaRule } from './rule';

/** Expression errors as issues at `/expression` (messages carry line:column). */
export function expressionIssues(errors: readonly { message: string }[]): RuleIssue[] {
  return errors.map((e) => ({ field: '/expression', message: e.message, severity: 'error' }));
}

export const filterRule: SchemaRule = ({ params, inputs }) => {
  const source = params.expression as string;
  const input = inputs.in ?? unknownSchema('input "in" is not connected');
  if (!input.known) {
    const parsed = parseExpression(source);
    return { outputs: { out: input }, issues: parsed.ok ? [] : expressionIssues(parsed.errors) };
  }
  const result = checkExpression(source, input.schema, 'bool');
  return {
    outputs: { out: known(input.schema) },
    issues: result.ok ? [] : expressionIssues(result.errors),
  };
};
