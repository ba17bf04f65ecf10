/**
 * `union`: the output columns of modules/union (union_types.c), computed before a run. By name:
 * the first input's columns, then the second's columns the first lacks; by position: the first's
 * names, and both inputs need as many columns. A column's type: the same type stays; a
 * dictionary and plain values of one type become plain; a column only one input has, or whose
 * other side is all-null (`null` type), is plain; integers with floats become float64; integers
 * of different types int64; any other pair is an error naming the column. Every output column
 * is nullable.
 */
import {
  formatColumnType,
  isIntegerType,
  isNumericType,
  unknownSchema,
  type ColumnField,
  type ColumnType,
} from '../table-schema';
import type { RuleIssue, SchemaRule } from './rule';

/** The type without dictionary encoding. */
function plain(t: ColumnType): ColumnType {
  return t.type === 'dictionary' ? plain(t.value) : t;
}

const same = (a: ColumnType, b: ColumnType) => JSON.stringify(a) === JSON.stringify(b);

/** The output type of a column typed `a` in the first input and `b` in the second, or an
 * error message. */
function combine(name: string, a: ColumnType, b: ColumnType): ColumnType | string {
  if (same(a, b)) return a;
  if (same(plain(a), plain(b))) return plain(a);
  if (a.type === 'null') return plain(b);
  if (b.type === 'null') return plain(a);
  if (isIntegerType(a) && isIntegerType(b)) return { type: 'int64' };
  if (isNumericType(a) && isNumericType(b)) return { type: 'float64' };
  return `column "${name}" is ${formatColumnType(a)} in the first input and ${formatColumnType(b)} in the second; they cannot be combined`;
}

export const unionRule: SchemaRule = ({ params, inputs }) => {
  const first = inputs.first ?? unknownSchema('input "first" is not connected');
  const second = inputs.second ?? unknownSchema('input "second" is not connected');
  if (!first.known) return { outputs: { out: first }, issues: [] };
  if (!second.known) return { outputs: { out: second }, issues: [] };
  const byPosition = params.by === 'position';
  const a = first.schema.fields;
  const b = second.schema.fields;
  const issues: RuleIssue[] = [];
  if (byPosition && a.length !== b.length) {
    const message = `by position, the inputs need as many columns: the first has ${a.length}, the second ${b.length}`;
    return {
      outputs: { out: unknownSchema(message) },
      issues: [{ field: '/by', message, severity: 'error' }],
    };
  }
  const fields: ColumnField[] = [];
  a.forEach((f, i) => {
    const other = byPosition ? b[i] : b.find((g) => g.name === f.name);
    const type = other ? combine(f.name, f.type, other.type) : plain(f.type);
    if (typeof type === 'string') issues.push({ field: '/by', message: type, severity: 'error' });
    else fields.push({ name: f.name, type, nullable: true });
  });
  if (!byPosition) {
    for (const f of b) {
      if (!a.some((g) => g.name === f.name))
        fields.push({ name: f.name, type: plain(f.type), nullable: true });
    }
  }
  if (issues.length > 0) {
    return { outputs: { out: unknownSchema(issues[0]!.message) }, issues };
  }
  return { outputs: { out: { known: true, schema: { fields } } }, issues };
};
