/**
 * `fill` (modules/fill/fill.c): the input's columns in order; filled columns (all when none are
 * listed) are written plain (a dictionary column decoded) and, for a constant, not null.
 */
import { known, type ColumnField } from '../table-schema';
import { requireColumn, singleInput, type RuleIssue, type SchemaRule } from './rule';

interface FillParams {
  columns?: string[];
  mode?: 'constant' | 'down' | 'up';
  groupBy?: string[];
}

export const fillRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as FillParams;
  const issues: RuleIssue[] = [];
  const listed = p.columns ?? [];
  listed.forEach((c, i) => requireColumn(input, c, `/columns/${i}`, issues));
  (p.groupBy ?? []).forEach((c, i) => requireColumn(input, c, `/groupBy/${i}`, issues));
  const constant = p.mode === 'constant';
  const fields = input.fields.map((f): ColumnField => {
    if (listed.length > 0 && !listed.includes(f.name)) return f;
    const type = f.type.type === 'dictionary' ? f.type.value : f.type;
    return { ...f, type, nullable: constant ? false : f.nullable };
  });
  return { output: known({ fields }), issues };
});
