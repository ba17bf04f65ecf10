/**
 * An input with no rows, as a DuckDB table: DuckDB-Wasm 1.28 cannot register an Arrow stream
 * without a record batch ("Table function must return at least one column", an internal error
 * that invalidates the database), so the table is created from the stream's schema instead.
 * Types map as DuckDB maps Arrow (DuckDB's `arrow_scan`); one it has no name for becomes VARCHAR.
 */
import { DataType, type Field, Precision, Type, tableFromIPC } from 'apache-arrow';

/** `CREATE TABLE "name" (...)` with the columns of the Arrow IPC stream `bytes` (no batches). */
export function createEmptyTable(name: string, bytes: Uint8Array): string {
  const fields = tableFromIPC(bytes).schema.fields;
  return `CREATE TABLE ${quote(name)} (${fields.map(column).join(', ')})`;
}

function column(field: Field): string {
  return `${quote(field.name)} ${duckdbType(field.type)}`;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The DuckDB type DuckDB gives an Arrow column of type `type`. */
function duckdbType(type: DataType): string {
  if (DataType.isDictionary(type)) return duckdbType(type.dictionary);
  if (DataType.isInt(type)) {
    const name = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[type.bitWidth];
    return `${type.isSigned ? '' : 'U'}${name ?? 'BIGINT'}`;
  }
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision}, ${type.scale})`;
  if (DataType.isTimestamp(type)) return type.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  if (DataType.isFloat(type)) return type.precision === Precision.DOUBLE ? 'DOUBLE' : 'FLOAT';
  const simple: Partial<Record<Type, string>> = {
    [Type.Bool]: 'BOOLEAN',
    [Type.Utf8]: 'VARCHAR',
    [Type.LargeUtf8]: 'VARCHAR',
    [Type.Binary]: 'BLOB',
    [Type.LargeBinary]: 'BLOB',
    [Type.Date]: 'DATE',
    [Type.Time]: 'TIME',
    [Type.Interval]: 'INTERVAL',
  };
  return simple[type.typeId] ?? 'VARCHAR';
}
