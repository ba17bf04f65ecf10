/** `distinct`: the same columns as its input; every key column must exist. */
import { known } from '../table-schema';
import { requireColumn, singleInput, type RuleIssue, type SchemaRule } from './rule';

interface DistinctParams {
  columns?: string[];
}

export const distinctRule: SchemaRule = singleInput((input, { params }) => {
  const issues: RuleIssue[] = [];
  ((params as DistinctParams).columns ?? []).forEach((c, i) =>
    requireColumn(input, c, `/columns/${i}`, issues),
  );
  return { output: known(input), issues };
});
