/**
 * Column definitions of the SQL step's input tables for the as-you-type check: each upstream
 * column's type as DuckDB names it when it reads Arrow (the same mapping as
 * `runtime/sql/empty-table.ts`, here from the pipeline's type mirror), VARCHAR when unmodelled.
 */
import type { ColumnType, TableSchema } from '../../pipeline/table-schema';

const SIMPLE: Readonly<Record<string, string>> = {
  null: 'INTEGER',
  bool: 'BOOLEAN',
  int8: 'TINYINT',
  int16: 'SMALLINT',
  int32: 'INTEGER',
  int64: 'BIGINT',
  uint8: 'UTINYINT',
  uint16: 'USMALLINT',
  uint32: 'UINTEGER',
  uint64: 'UBIGINT',
  float16: 'FLOAT',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  utf8: 'VARCHAR',
  large_utf8: 'VARCHAR',
  binary: 'BLOB',
  large_binary: 'BLOB',
  date32: 'DATE',
  date64: 'DATE',
  time32: 'TIME',
  time64: 'TIME',
  duration: 'INTERVAL',
};

/** DuckDB's name for a column of type `t`. */
function duckdbType(t: ColumnType): string {
  if (t.type === 'dictionary') return duckdbType(t.value);
  if (t.type === 'timestamp') return t.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  return SIMPLE[t.type] ?? 'VARCHAR';
}

/** `"name" TYPE, ...` for a CREATE TABLE of `schema`'s columns. */
export function columnDefinitions(schema: TableSchema): string {
  return schema.fields
    .map((f) => `"${f.name.replaceAll('"', '""')}" ${duckdbType(f.type)}`)
    .join(', ');
}
