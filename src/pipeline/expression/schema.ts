/** How Arrow fields map to expression types (mirrors what `modules/sdk/expr.c` reads). */
import { type DataType, type Schema, Type } from 'apache-arrow';
import type { ColumnType, TableSchema } from '../table-schema';
import { formatColumnType } from '../table-schema';
import type { ExprColumn, ExprType } from './types';

/**
 * The expression type of an Arrow data type, or null if expressions cannot use it:
 * all integer types (int8–int64, uint8–uint64) → int64; float16/32/64 → float64; bool;
 * utf8, large_utf8 and dictionaries of them → utf8; date32, date64 → date32;
 * timestamp (any unit, any time zone; computed in UTC) → timestamp.
 */
export function exprTypeOfArrow(type: DataType): ExprType | null {
  switch (type.typeId) {
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
      return 'int64';
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
      return 'float64';
    case Type.Bool:
      return 'bool';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'utf8';
    case Type.Dictionary: {
      const dict = (type as DataType & { dictionary: DataType }).dictionary;
      const valueType = exprTypeOfArrow(dict);
      return valueType === 'utf8' ? 'utf8' : null;
    }
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return 'date32';
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return 'timestamp';
    default:
      return null;
  }
}

/** The expression type of a {@link ColumnType} (the host's schema mirror); same rules. */
export function exprTypeOfColumnType(t: ColumnType): ExprType | null {
  switch (t.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
      return 'int64';
    case 'float16':
    case 'float32':
    case 'float64':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'utf8':
    case 'large_utf8':
      return 'utf8';
    case 'dictionary':
      return exprTypeOfColumnType(t.value) === 'utf8' ? 'utf8' : null;
    case 'date32':
    case 'date64':
      return 'date32';
    case 'timestamp':
      return 'timestamp';
    default:
      return null;
  }
}

/** The column type `derive` writes for an expression of type `t` (timestamps in µs, no zone). */
export function columnTypeOfExprType(t: ExprType): ColumnType {
  if (t === 'timestamp') return { type: 'timestamp', unit: 'microsecond', timezone: null };
  return { type: t };
}

/** Input columns for the checker: an Arrow schema, the host's schema mirror, or columns. */
export type ExprSchema = Schema | TableSchema | readonly ExprColumn[];

/** Normalises {@link ExprSchema} to a list of {@link ExprColumn}. */
export function columnsOf(schema: ExprSchema): readonly ExprColumn[] {
  if (Array.isArray(schema)) return schema as readonly ExprColumn[];
  if (!('metadata' in schema)) {
    return (schema as TableSchema).fields.map((f) => ({
      name: f.name,
      type: exprTypeOfColumnType(f.type),
      arrowType: formatColumnType(f.type),
    }));
  }
  return (schema as Schema).fields.map((f) => ({
    name: f.name,
    type: exprTypeOfArrow(f.type),
    arrowType: String(f.type),
  }));
}
