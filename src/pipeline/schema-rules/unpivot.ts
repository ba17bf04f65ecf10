/**
 * `unpivot` (modules/unpivot/unpivot.c): the columns not listed, in input order, then the name
 * column (utf8, not null) and the value column: int64 when every listed column is an integer,
 * float64 when all are numbers, else their one shared plain type (other mixes are an error).
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

interface UnpivotParams {
  columns: string[];
  nameColumn?: string;
  valueColumn?: string;
  includeNulls?: boolean;
}

const plain = (t: ColumnType): ColumnType => (t.type === 'dictionary' ? t.value : t);

/** The value column's type, or undefined after pushing an issue. */
function valueType(listed: ColumnField[], issues: RuleIssue[]): ColumnType | undefined {
  if (listed.every((f) => isIntegerType(f.type))) return { type: 'int64' };
  if (listed.every((f) => isNumericType(f.type))) return { type: 'float64' };
  const first = plain(listed[0]!.type);
  const odd = listed.findIndex((f) => JSON.stringify(plain(f.type)) !== JSON.stringify(first));
  if (odd < 0) return first;
  issues.push({
    field: `/columns/${odd}`,
    message: `column "${listed[odd]!.name}" is ${formatColumnType(listed[odd]!.type)}, but "${listed[0]!.name}" is ${formatColumnType(first)}`,
    severity: 'error',
  });
  return undefined;
}

export const unpivotRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as unknown as UnpivotParams;
  const issues: RuleIssue[] = [];
  const listed = p.columns
    .map((c, i) => requireColumn(input, c, `/columns/${i}`, issues))
    .filter((f): f is ColumnField => f !== undefined);
  if (listed.length < p.columns.length || listed.length === 0) {
    return { output: { known: false, reason: 'a listed column is missing' }, issues };
  }
  const type = valueType(listed, issues);
  if (!type) return { output: { known: false, reason: 'the listed columns do not mix' }, issues };
  const kept = input.fields.filter((f) => !p.columns.includes(f.name));
  const name = p.nameColumn ?? 'name';
  const value = p.valueColumn ?? 'value';
  checkUniqueNames(
    [
      ...kept.map((f) => ({ name: f.name, field: '/columns' })),
      { name, field: '/nameColumn' },
      { name: value, field: '/valueColumn' },
    ],
    issues,
  );
  const fields: ColumnField[] = [
    ...kept,
    { name, type: { type: 'utf8' }, nullable: false },
    { name: value, type, nullable: p.includeNulls ?? false },
  ];
  return { output: known({ fields }), issues };
});
