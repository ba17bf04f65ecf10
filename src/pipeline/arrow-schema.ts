/**
 * Conversion between apache-arrow's `Schema` and the serializable mirror in `table-schema.ts`.
 * Kept apart so that code needing only the mirror's types does not load apache-arrow.
 */
import {
  DataType,
  DateUnit,
  Precision,
  Schema,
  TimeUnit as ArrowTimeUnit,
  Type,
  type Field,
} from 'apache-arrow';
import type { ColumnType, IntTypeName, TableSchema, TimeUnit } from './table-schema';

const UNITS: Record<ArrowTimeUnit, TimeUnit> = {
  [ArrowTimeUnit.SECOND]: 'second',
  [ArrowTimeUnit.MILLISECOND]: 'millisecond',
  [ArrowTimeUnit.MICROSECOND]: 'microsecond',
  [ArrowTimeUnit.NANOSECOND]: 'nanosecond',
};

function intName(bitWidth: number, signed: boolean): IntTypeName {
  return `${signed ? 'int' : 'uint'}${bitWidth}` as IntTypeName;
}

/** The mirror of one apache-arrow `DataType`; unmodelled types become `{type: 'other'}`. */
export function fromArrowType(t: DataType): ColumnType {
  if (DataType.isNull(t)) return { type: 'null' };
  if (DataType.isBool(t)) return { type: 'bool' };
  if (DataType.isInt(t)) return { type: intName(t.bitWidth, t.isSigned) };
  if (DataType.isFloat(t)) {
    const p = t.precision;
    return {
      type: p === Precision.HALF ? 'float16' : p === Precision.SINGLE ? 'float32' : 'float64',
    };
  }
  if (t.typeId === Type.Utf8) return { type: 'utf8' };
  if (t.typeId === Type.LargeUtf8) return { type: 'large_utf8' };
  if (t.typeId === Type.Binary) return { type: 'binary' };
  if (t.typeId === Type.LargeBinary) return { type: 'large_binary' };
  if (DataType.isDate(t)) return { type: t.unit === DateUnit.DAY ? 'date32' : 'date64' };
  if (DataType.isTimestamp(t)) {
    return { type: 'timestamp', unit: UNITS[t.unit], timezone: t.timezone ?? null };
  }
  if (DataType.isTime(t)) {
    return { type: t.bitWidth === 32 ? 'time32' : 'time64', unit: UNITS[t.unit] };
  }
  if (DataType.isDuration(t)) return { type: 'duration', unit: UNITS[t.unit] };
  if (DataType.isDictionary(t)) {
    return {
      type: 'dictionary',
      index: intName(t.indices.bitWidth, t.indices.isSigned),
      value: fromArrowType(t.dictionary),
    };
  }
  return { type: 'other', arrow: String(t) };
}

/** The mirror of an apache-arrow `Schema` (field order kept; metadata dropped). */
export function fromArrowSchema(schema: Schema): TableSchema {
  return {
    fields: schema.fields.map((f: Field) => ({
      name: f.name,
      type: fromArrowType(f.type),
      nullable: f.nullable,
    })),
  };
}
