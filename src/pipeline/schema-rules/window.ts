/**
 * `window` (modules/window/window.c): the input's columns, then one column per window function.
 * row_number, rank, dense_rank and running_count give int64 (not null); running_sum gives int64
 * for integer input and float64 for floating-point input; running_mean and moving_mean give
 * float64; lag, lead, first_value and last_value keep the column's value type (a dictionary
 * column's values are output decoded).
 */
import {
  formatColumnType,
  isIntegerType,
  isNumericType,
  known,
  type ColumnField,
  type ColumnType,
} from '../table-schema';
import {
  checkUniqueNames,
  requireColumn,
  singleInput,
  type RuleIssue,
  type SchemaRule,
} from './rule';

interface WindowParams {
  partitionBy?: string[];
  orderBy?: { column: string }[];
  columns: { name: string; op: string; column?: string }[];
}

const NUMBERING = new Set(['row_number', 'rank', 'dense_rank']);
const NUMERIC = new Set(['running_sum', 'running_mean', 'moving_mean']);

/** The plain value type of `t` (dictionaries decoded). */
const valueType = (t: ColumnType): ColumnType => (t.type === 'dictionary' ? t.value : t);

/** Output field of one window column, or undefined (with an issue) when it cannot be typed. */
function windowField(
  c: WindowParams['columns'][number],
  input: ColumnField | undefined,
  at: string,
  issues: RuleIssue[],
): ColumnField | undefined {
  if (NUMBERING.has(c.op) || (c.op === 'running_count' && c.column === undefined)) {
    return { name: c.name, type: { type: 'int64' }, nullable: false };
  }
  if (input === undefined) {
    if (c.column === undefined) {
      issues.push({ field: `${at}/column`, message: `${c.op} needs a column`, severity: 'error' });
    }
    return undefined;
  }
  if (c.op === 'running_count') return { name: c.name, type: { type: 'int64' }, nullable: false };
  if (!NUMERIC.has(c.op)) return { name: c.name, type: valueType(input.type), nullable: true };
  if (!isNumericType(input.type)) {
    issues.push({
      field: `${at}/column`,
      message: `${c.op} needs a numeric column, but "${input.name}" is ${formatColumnType(input.type)}`,
      severity: 'error',
    });
    return undefined;
  }
  const integer = c.op === 'running_sum' && isIntegerType(input.type);
  return { name: c.name, type: { type: integer ? 'int64' : 'float64' }, nullable: true };
}

export const windowRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as unknown as WindowParams;
  const issues: RuleIssue[] = [];
  (p.partitionBy ?? []).forEach((c, i) => requireColumn(input, c, `/partitionBy/${i}`, issues));
  (p.orderBy ?? []).forEach((k, i) =>
    requireColumn(input, k.column, `/orderBy/${i}/column`, issues),
  );
  const out: ColumnField[] = [...input.fields];
  const names = input.fields.map((f) => ({ name: f.name, field: '' }));
  let complete = true;
  p.columns.forEach((c, i) => {
    const at = `/columns/${i}`;
    const source =
      c.column === undefined ? undefined : requireColumn(input, c.column, `${at}/column`, issues);
    const field = windowField(c, source, at, issues);
    names.push({ name: c.name, field: `${at}/name` });
    if (field) out.push(field);
    else complete = false;
  });
  checkUniqueNames(names, issues);
  return {
    output: complete
      ? known({ fields: out })
      : { known: false, reason: 'a window column refers to a column that cannot be used' },
    issues,
  };
});
