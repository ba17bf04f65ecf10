/** `sort`: the same columns as its input; every key must name an input column. */
import { known } from '../table-schema';
import { requireColumn, singleInput, type RuleIssue, type SchemaRule } from './rule';

interface SortParams {
  keys: { column: string }[];
}

export const sortRule: SchemaRule = singleInput((input, { params }) => {
  const issues: RuleIssue[] = [];
  (params as unknown as SortParams).keys.forEach((k, i) =>
    requireColumn(input, k.column, `/keys/${i}/column`, issues),
  );
  return { output: known(input), issues };
});
