/**
 * `cast` (modules/cast/cast.c): the input's columns in order, the listed ones with their new type
 * (nullable: a value that does not convert may become null). Pairs of types that never convert
 * (a date to a number, a number to a date) are errors, as in the module.
 */
import { formatColumnType, known, type ColumnType } from '../table-schema';
import { requireColumn, singleInput, type RuleIssue, type SchemaRule } from './rule';

interface CastParams {
  columns: { column: string; to: string }[];
}

/** The Arrow type of each target, as the module writes it. */
const TARGETS: Readonly<Record<string, ColumnType>> = {
  bool: { type: 'bool' },
  int32: { type: 'int32' },
  int64: { type: 'int64' },
  float64: { type: 'float64' },
  string: { type: 'utf8' },
  date: { type: 'date32' },
  timestamp: { type: 'timestamp', unit: 'microsecond', timezone: null },
};

/** What the module reads a column's values as (cast_value.c `cv_source_kind`). */
function sourceKind(t: ColumnType): 'value' | 'time' | 'text' | undefined {
  const plain = t.type === 'dictionary' ? t.value : t;
  if (plain.type === 'utf8' || plain.type === 'large_utf8') return 'text';
  if (plain.type === 'date32' || plain.type === 'date64' || plain.type === 'timestamp')
    return 'time';
  if (plain.type === 'bool' || /^u?int\d+$|^float(32|64)$/.test(plain.type)) return 'value';
  return undefined;
}

/** True if the module accepts the pair (cast_value.c `cv_castable`). */
function castable(from: ColumnType, to: string): boolean {
  const kind = sourceKind(from);
  if (kind === undefined) return false;
  if (to === 'string' || kind === 'text') return true;
  return (to === 'date' || to === 'timestamp') === (kind === 'time');
}

export const castRule: SchemaRule = singleInput((input, { params }) => {
  const issues: RuleIssue[] = [];
  const fields = [...input.fields];
  (params as unknown as CastParams).columns.forEach((c, i) => {
    const f = requireColumn(input, c.column, `/columns/${i}/column`, issues);
    const type = TARGETS[c.to];
    if (!f || !type) return;
    if (!castable(f.type, c.to)) {
      issues.push({
        field: `/columns/${i}/to`,
        message: `column "${f.name}" (${formatColumnType(f.type)}) cannot be cast to ${c.to}`,
        severity: 'error',
      });
    }
    const at = fields.findIndex((x) => x.name === c.column);
    fields[at] = { name: f.name, type, nullable: true };
  });
  return { output: known({ fields }), issues };
});
