/**
 * `derive`: the input columns, with `column` replaced in place (if it exists) or appended, of
 * the type the expression computes (`checkExpression`, mapped by `columnTypeOfExprType`).
 * With an unknown input schema only the expression's syntax is checked.
 */
import { checkExpression, columnTypeOfExprType, parseExpression } from '../expression';
import { known, unknownSchema, type ColumnField } from '../table-schema';
import { expressionIssues } from './filter';
import type { SchemaRule } from './rule';

export const deriveRule: SchemaRule = ({ params, inputs }) => {
  const source = params.expression as string;
  const name = params.column as string;
  const input = inputs.in ?? unknownSchema('input "in" is not connected');
  if (!input.known) {
    const parsed = parseExpression(source);
    return { outputs: { out: input }, issues: parsed.ok ? [] : expressionIssues(parsed.errors) };
  }
  const result = checkExpression(source, input.schema);
  if (!result.ok) {
    return {
      outputs: { out: unknownSchema('the expression has errors') },
      issues: expressionIssues(result.errors),
    };
  }
  const derived: ColumnField = { name, type: columnTypeOfExprType(result.type), nullable: true };
  const fields = input.schema.fields.some((f) => f.name === name)
    ? input.schema.fields.map((f) => (f.name === name ? derived : f))
    : [...input.schema.fields, derived];
  return { outputs: { out: known({ fields }) }, issues: [] };
};
