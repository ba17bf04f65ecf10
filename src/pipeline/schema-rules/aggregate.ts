/**
 * `aggregate` (modules/aggregate/aggregate.json): output is the group keys (their input types),
 * then one column per aggregate: count and count_distinct give int64; sum gives int64 for
 * integer input and float64 for floating-point input; mean gives float64; min, max, first and
 * last keep the input type. sum and mean need a numeric column.
 */
import {
  formatColumnType,
  isIntegerType,
  isNumericType,
  known,
  type ColumnField,
} from '../table-schema';
import {
  checkUniqueNames,
  requireColumn,
  singleInput,
  type RuleIssue,
  type SchemaRule,
} from './rule';

interface AggregateParams {
  groupBy?: string[];
  aggregates?: { name: string; op: string; column?: string }[];
}

export const aggregateRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as AggregateParams;
  const issues: RuleIssue[] = [];
  const out: ColumnField[] = [];
  const names: { name: string; field: string }[] = [];
  (p.groupBy ?? []).forEach((key, i) => {
    const f = requireColumn(input, key, `/groupBy/${i}`, issues);
    names.push({ name: key, field: `/groupBy/${i}` });
    // The module declares every key nullable (modules/aggregate/aggregate.c).
    if (f) out.push({ ...f, nullable: true });
  });
  let complete = true;
  (p.aggregates ?? []).forEach((a, i) => {
    names.push({ name: a.name, field: `/aggregates/${i}/name` });
    if (a.op === 'count' && a.column === undefined) {
      out.push({ name: a.name, type: { type: 'int64' }, nullable: false });
      return;
    }
    const f =
      a.column === undefined
        ? undefined
        : requireColumn(input, a.column, `/aggregates/${i}/column`, issues);
    if (!f) {
      complete = false;
      return;
    }
    switch (a.op) {
      case 'count':
      case 'count_distinct':
        out.push({ name: a.name, type: { type: 'int64' }, nullable: false });
        return;
      case 'sum':
      case 'mean':
        if (!isNumericType(f.type)) {
          issues.push({
            field: `/aggregates/${i}/column`,
            message: `${a.op} needs a numeric column, but "${f.name}" is ${formatColumnType(f.type)}`,
            severity: 'error',
          });
          complete = false;
          return;
        }
        out.push({
          name: a.name,
          type: { type: a.op === 'sum' && isIntegerType(f.type) ? 'int64' : 'float64' },
          nullable: true,
        });
        return;
      default: // min, max, first, last
        out.push({ name: a.name, type: f.type, nullable: true });
    }
  });
  checkUniqueNames(names, issues);
  return {
    output: complete
      ? known({ fields: out })
      : { known: false, reason: 'an aggregate refers to a column that cannot be used' },
    issues,
  };
});
