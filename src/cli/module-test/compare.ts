/** Comparing two module outputs by value (their IPC bytes may differ and still be equal). */
import type { Table } from 'apache-arrow';

/**
 * Where two tables differ: schema (names and types), row count, then per column the first row
 * whose null-ness or value differs (floats bit for bit, as Object.is). Empty when equal; batch
 * boundaries may differ.
 */
export function tableDifferences(got: Table, want: Table): string[] {
  const names = (t: Table) => t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
  if (names(got) !== names(want)) return [`schema (${names(got)}) differs from (${names(want)})`];
  if (got.numRows !== want.numRows) return [`${got.numRows} rows, expected ${want.numRows}`];
  const problems: string[] = [];
  for (const field of want.schema.fields) {
    const a = got.getChild(field.name);
    const b = want.getChild(field.name);
    if (a === null || b === null) continue;
    const [x, y] = [a.toArray() as ArrayLike<unknown>, b.toArray() as ArrayLike<unknown>];
    const nulls = a.nullCount > 0 || b.nullCount > 0;
    for (let row = 0; row < want.numRows; row++) {
      const [nullA, nullB] = nulls ? [!a.isValid(row), !b.isValid(row)] : [false, false];
      const same =
        nullA === nullB &&
        (nullA || Object.is(x[row], y[row]) || String(x[row]) === String(y[row]));
      if (!same) {
        const show = (isNull: boolean, v: unknown) => (isNull ? 'null' : String(v));
        problems.push(
          `column "${field.name}" row ${row}: ${show(nullA, x[row])}, expected ${show(nullB, y[row])}`,
        );
        break;
      }
    }
  }
  return problems;
}
