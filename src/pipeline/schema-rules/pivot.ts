/**
 * `pivot` (modules/pivot/pivot.c): the index columns (plain, nullable), then one column per
 * listed pivot value. The values are listed in the params precisely so that this schema is known
 * before a run. count gives int64 (not null); sum int64 for integers, float64 for floats; mean
 * float64; min, max and first the value column's plain type.
 */
import {
  formatColumnType,
  isIntegerType,
  isNumericType,
  isStringType,
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

interface PivotParams {
  index?: string[];
  column: string;
  values: string[];
  value?: string;
  op?: 'count' | 'sum' | 'mean' | 'min' | 'max' | 'first';
}

const plain = (t: ColumnType): ColumnType => (t.type === 'dictionary' ? t.value : t);

/** The cells' type, or a message saying why the value column does not fit the op. */
function cellType(op: string, value: ColumnField | undefined): ColumnType | string {
  if (op === 'count') return { type: 'int64' };
  if (value === undefined) return `${op} needs a value column`;
  if (op === 'sum' || op === 'mean') {
    if (!isNumericType(value.type)) {
      return `${op} needs a numeric column, but "${value.name}" is ${formatColumnType(value.type)}`;
    }
    return { type: op === 'sum' && isIntegerType(value.type) ? 'int64' : 'float64' };
  }
  return plain(value.type);
}

export const pivotRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as unknown as PivotParams;
  const op = p.op ?? 'sum';
  const issues: RuleIssue[] = [];
  const fields: ColumnField[] = [];
  (p.index ?? []).forEach((c, i) => {
    const f = requireColumn(input, c, `/index/${i}`, issues);
    if (f) fields.push({ name: f.name, type: plain(f.type), nullable: true });
  });
  const pivot = requireColumn(input, p.column, '/column', issues);
  if (
    pivot &&
    !isStringType(pivot.type) &&
    !isIntegerType(plain(pivot.type)) &&
    pivot.type.type !== 'bool'
  ) {
    issues.push({
      field: '/column',
      message: `pivot on text, integers or booleans; "${pivot.name}" is ${formatColumnType(pivot.type)}`,
      severity: 'error',
    });
  }
  const value = p.value === undefined ? undefined : requireColumn(input, p.value, '/value', issues);
  const type = cellType(op, value);
  if (typeof type === 'string') {
    if (p.value === undefined || value)
      issues.push({ field: '/value', message: type, severity: 'error' });
    return { output: { known: false, reason: 'the value column cannot be used' }, issues };
  }
  p.values.forEach((v) => fields.push({ name: v, type, nullable: op !== 'count' }));
  checkUniqueNames(
    [
      ...(p.index ?? []).map((name, i) => ({ name, field: `/index/${i}` })),
      ...p.values.map((name, i) => ({ name, field: `/values/${i}` })),
    ],
    issues,
  );
  return { output: known({ fields }), issues };
});
