// Arrow types, fields and schemas, with the type ids of the C SDK (modules/sdk/quiver.h,
// qv_type_id) and the same supported set (modules/sdk/ABI.md §8).

export enum TypeId {
  Null = 0, Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float32, Float64,
  Utf8, LargeUtf8, Binary, LargeBinary, Date32, Date64, Timestamp, Time32, Time64, Duration,
}

export enum TimeUnit { Second = 0, Millisecond = 1, Microsecond = 2, Nanosecond = 3 }

/** Width of one value in bytes for fixed-width types; 0 for null, bool and variable width. */
export function widthOf(id: TypeId): i32 {
  switch (id) {
    case TypeId.Int8: case TypeId.UInt8: return 1;
    case TypeId.Int16: case TypeId.UInt16: return 2;
    case TypeId.Int32: case TypeId.UInt32: case TypeId.Float32: case TypeId.Date32:
    case TypeId.Time32: return 4;
    case TypeId.Int64: case TypeId.UInt64: case TypeId.Float64: case TypeId.Date64:
    case TypeId.Timestamp: case TypeId.Time64: case TypeId.Duration: return 8;
    default: return 0;
  }
}

export function isNumeric(id: TypeId): bool {
  return id >= TypeId.Int8 && id <= TypeId.Float64;
}

/** utf8, binary and their large variants: offsets and data. */
export function isBinaryLike(id: TypeId): bool {
  return id >= TypeId.Utf8 && id <= TypeId.LargeBinary;
}

export function isLarge(id: TypeId): bool {
  return id == TypeId.LargeUtf8 || id == TypeId.LargeBinary;
}

const NAMES: string[] = [
  "null", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
  "float32", "float64", "utf8", "large_utf8", "binary", "large_binary", "date32", "date64",
  "timestamp", "time32", "time64", "duration",
];

export function typeName(id: TypeId): string {
  return NAMES[<i32>id];
}

/** A column's type. Dictionary columns keep their value type in `id`, as in the C SDK. */
export class DataType {
  id: TypeId;
  unit: TimeUnit = TimeUnit.Second;
  timezone: string | null = null;
  /** Dictionary-encoded columns: the dictionary's id in the stream, else -1. */
  dictionaryId: i64 = -1;
  indexType: TypeId = TypeId.Int32;
  ordered: bool = false;

  constructor(id: TypeId) {
    this.id = id;
  }

  get isDictionary(): bool {
    return this.dictionaryId >= 0;
  }

  /** The same type without dictionary encoding. */
  valueType(): DataType {
    const t = new DataType(this.id);
    t.unit = this.unit;
    t.timezone = this.timezone;
    return t;
  }
}

export class Field {
  constructor(public name: string, public type: DataType, public nullable: bool = true) {}
}

export class Schema {
  constructor(public fields: Field[]) {}

  /** Index of the first field named `name`, or -1. */
  indexOf(name: string): i32 {
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].name == name) return i;
    return -1;
  }

  /** A copy whose fields can be changed. */
  copy(): Schema {
    const fields = new Array<Field>(this.fields.length);
    for (let i = 0; i < fields.length; i++) {
      const f = this.fields[i];
      fields[i] = new Field(f.name, f.type, f.nullable);
    }
    return new Schema(fields);
  }
}
