// Columns in Arrow's memory layout, read where they lie in module memory (no copy), and a
// builder of float64 columns. Layout: https://arrow.apache.org/docs/format/Columnar.html
import { DataType, TypeId, isLarge, widthOf } from "./types";

/**
 * One column of a record batch. `validity` (bit i set = row i valid, 0 when every row is), then
 * `values` (fixed width, bit-packed bools, or dictionary indices), or `offsets` and `data`.
 * Pointers are into module memory: an input batch's stay valid during the `batch` call.
 */
export class Column {
  type: DataType;
  length: i32;
  nullCount: i32;
  validity: usize = 0;
  values: usize = 0;
  offsets: usize = 0;
  data: usize = 0;
  dataSize: i32 = 0;
  /** Dictionary columns: the dictionary's values. */
  dictionary: Column | null = null;

  constructor(type: DataType, length: i32, nullCount: i32) {
    this.type = type;
    this.length = length;
    this.nullCount = nullCount;
  }

  isNull(row: i32): bool {
    if (this.type.id == TypeId.Null) return true;
    if (this.validity != 0 && ((load<u8>(this.validity + (row >>> 3)) >>> (row & 7)) & 1) == 0)
      return true;
    const dictionary = this.dictionary;
    return dictionary !== null && dictionary.isNull(this.index(row));
  }

  /** Dictionary columns: the index of row `row` in the dictionary. */
  index(row: i32): i32 {
    switch (this.type.indexType) {
      case TypeId.Int8: return <i32>load<i8>(this.values + row);
      case TypeId.UInt8: return <i32>load<u8>(this.values + row);
      case TypeId.Int16: return <i32>load<i16>(this.values + (<usize>row << 1));
      case TypeId.UInt16: return <i32>load<u16>(this.values + (<usize>row << 1));
      case TypeId.Int64: case TypeId.UInt64: return <i32>load<i64>(this.values + (<usize>row << 3));
      default: return load<i32>(this.values + (<usize>row << 2));
    }
  }

  /** Row `row` of a numeric, bool or temporal column as f64 (raw value for temporal types);
   * 0 when null. Dictionary columns are decoded. */
  f64(row: i32): f64 {
    const dictionary = this.dictionary;
    if (dictionary !== null) return dictionary.f64(this.index(row));
    const at = this.values;
    switch (this.type.id) {
      case TypeId.Bool: return <f64>((load<u8>(at + (row >>> 3)) >>> (row & 7)) & 1);
      case TypeId.Int8: return <f64>load<i8>(at + row);
      case TypeId.UInt8: return <f64>load<u8>(at + row);
      case TypeId.Int16: return <f64>load<i16>(at + (<usize>row << 1));
      case TypeId.UInt16: return <f64>load<u16>(at + (<usize>row << 1));
      case TypeId.Int32: case TypeId.Date32: case TypeId.Time32:
        return <f64>load<i32>(at + (<usize>row << 2));
      case TypeId.UInt32: return <f64>load<u32>(at + (<usize>row << 2));
      case TypeId.Float32: return <f64>load<f32>(at + (<usize>row << 2));
      case TypeId.Float64: return load<f64>(at + (<usize>row << 3));
      case TypeId.UInt64: return <f64>load<u64>(at + (<usize>row << 3));
      case TypeId.Int64: case TypeId.Date64: case TypeId.Timestamp: case TypeId.Time64:
      case TypeId.Duration: return <f64>load<i64>(at + (<usize>row << 3));
      default: return 0;
    }
  }

  /** Row `row` of a utf8 column (decoded dictionaries too); "" when null. */
  str(row: i32): string {
    const dictionary = this.dictionary;
    if (dictionary !== null) return dictionary.str(this.index(row));
    if (this.offsets == 0) return "";
    const large = isLarge(this.type.id);
    const start = large ? <usize>load<i64>(this.offsets + (<usize>row << 3)) : <usize>load<i32>(this.offsets + (<usize>row << 2));
    const end = large ? <usize>load<i64>(this.offsets + (<usize>(row + 1) << 3)) : <usize>load<i32>(this.offsets + (<usize>(row + 1) << 2));
    return String.UTF8.decodeUnsafe(this.data + start, end - start);
  }

  /** The buffers Arrow's IPC format writes for this column, as [pointer, size] pairs. */
  buffers(): usize[] {
    const n = <usize>this.length;
    const bits = (n + 7) >>> 3;
    const validity = this.validity != 0 ? bits : 0;
    const id = this.type.id;
    if (id == TypeId.Null) return [];
    if (this.type.isDictionary)
      return [this.validity, validity, this.values, n * <usize>widthOf(this.type.indexType)];
    if (id == TypeId.Bool) return [this.validity, validity, this.values, bits];
    const width = widthOf(id);
    if (width > 0) return [this.validity, validity, this.values, n * <usize>width];
    const offsets: usize = n == 0 && this.offsets == 0 ? 0 : (n + 1) << <usize>(isLarge(id) ? 3 : 2);
    return [this.validity, validity, this.offsets, offsets, this.data, <usize>this.dataSize];
  }
}

/** Builds a float64 column row by row, in memory it owns until it is written. */
export class Float64Builder {
  private values: usize;
  private validity: usize;
  private length: i32 = 0;
  private nulls: i32 = 0;

  constructor(private capacity: i32) {
    this.values = heap.alloc(<usize>max(capacity, 1) << 3);
    this.validity = heap.alloc(<usize>((max(capacity, 1) + 7) >>> 3));
    memory.fill(this.validity, 0xff, <usize>((max(capacity, 1) + 7) >>> 3));
  }

  append(value: f64): void {
    assert(this.length < this.capacity, "Float64Builder: more rows than its capacity");
    store<f64>(this.values + (<usize>this.length << 3), value);
    this.length++;
  }

  appendNull(): void {
    assert(this.length < this.capacity, "Float64Builder: more rows than its capacity");
    const byte = this.validity + (this.length >>> 3);
    store<u8>(byte, load<u8>(byte) & ~(<u8>1 << <u8>(this.length & 7)));
    store<f64>(this.values + (<usize>this.length << 3), 0);
    this.nulls++;
    this.length++;
  }

  /** The column; its memory is freed by `release` once written. */
  finish(): Column {
    const column = new Column(new DataType(TypeId.Float64), this.length, this.nulls);
    column.values = this.values;
    column.validity = this.nulls > 0 ? this.validity : 0;
    return column;
  }

  /** Frees the builder's memory (the finished column must not be used after). */
  release(): void {
    heap.free(this.values);
    heap.free(this.validity);
  }
}
