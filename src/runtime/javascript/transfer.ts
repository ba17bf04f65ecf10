/**
 * A record batch as it crosses into and out of QuickJS: a JSON descriptor and one ArrayBuffer.
 * Numeric columns (and the null masks of numeric columns, one byte per row, 1 = null) live in
 * the buffer at 8-byte aligned offsets; string and boolean columns travel in the descriptor as
 * arrays with `null` for a null. `prelude.ts` reads and writes the same shape inside QuickJS.
 */
import {
  Bool,
  DataType,
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Field,
  Type,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  Struct,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';

/** Column kinds: typed-array kinds (in the buffer) and `string`/`bool` (in the descriptor). */
export type ColumnKind =
  'f64' | 'f32' | 'i32' | 'i16' | 'i8' | 'u8' | 'u16' | 'u32' | 'string' | 'bool';

/** One column of a {@link TransferBatch} descriptor. */
export interface TransferColumn {
  name: string;
  kind: ColumnKind;
  /** Byte offset of the values in the buffer (typed-array kinds). */
  offset?: number;
  /** Byte offset of the null mask (length bytes, 1 = null) in the buffer, when any is null. */
  nullOffset?: number;
  /** The values of a `string` or `bool` column, `null` for a null. */
  values?: (string | boolean | null)[];
  /** Set by the prelude on a column built from Date objects (values in milliseconds). */
  date?: boolean;
}

/** The JSON descriptor of a batch; `length` is its number of rows. */
export interface TransferDescriptor {
  length: number;
  columns: TransferColumn[];
}

/** A batch in transfer form. */
export interface TransferBatch {
  desc: TransferDescriptor;
  buffer: ArrayBuffer;
}

/** Typed-array constructors of the numeric kinds, and the Arrow type each becomes. */
const NUMERIC: Record<
  string,
  { array: new (n: number) => ArrayLike<number>; arrow: () => DataType }
> = {
  f64: { array: Float64Array, arrow: () => new Float64() },
  f32: { array: Float32Array, arrow: () => new Float32() },
  i32: { array: Int32Array, arrow: () => new Int32() },
  i16: { array: Int16Array, arrow: () => new Int16() },
  i8: { array: Int8Array, arrow: () => new Int8() },
  u8: { array: Uint8Array, arrow: () => new Uint8() },
  u16: { array: Uint16Array, arrow: () => new Uint16() },
  u32: { array: Uint32Array, arrow: () => new Uint32() },
};

/** The transfer kind of an Arrow type, or undefined when the step cannot pass it on. */
function kindOfType(type: DataType): ColumnKind | undefined {
  if (DataType.isDictionary(type)) return kindOfType(type.dictionary);
  if (DataType.isFloat(type)) return type.precision === 1 ? 'f32' : 'f64';
  if (DataType.isInt(type)) {
    if (type.bitWidth === 64) return 'f64';
    const prefix = type.isSigned ? 'i' : 'u';
    return `${prefix}${type.bitWidth}` as ColumnKind;
  }
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return 'f64';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'bool';
  return undefined;
}

/** The null mask (1 = null) of `vector`, or undefined when it has no null. */
function nullMask(vector: Vector): Uint8Array | undefined {
  if (vector.nullCount === 0) return undefined;
  const mask = new Uint8Array(vector.length);
  for (let i = 0; i < vector.length; i++) if (!vector.isValid(i)) mask[i] = 1;
  return mask;
}

/** Milliseconds since the epoch of a date or timestamp value as arrow-js returns it. */
function millis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return Number(value);
}

/** The numeric values of `vector` as a typed array of `kind` (a copy where a type differs). */
function numericValues(vector: Vector, kind: ColumnKind): ArrayLike<number> & ArrayBufferView {
  const type = vector.type as DataType;
  const plain =
    vector.data.length === 1 &&
    !DataType.isDictionary(type) &&
    !DataType.isDate(type) &&
    !DataType.isTimestamp(type) &&
    !(DataType.isInt(type) && type.bitWidth === 64);
  const spec = NUMERIC[kind];
  if (spec === undefined) throw new Error(`internal: ${kind} is not numeric`);
  const first = vector.data[0];
  if (plain && first !== undefined) {
    return (first.values as Float64Array).subarray(first.offset, first.offset + first.length);
  }
  const out = new spec.array(vector.length) as unknown as Float64Array;
  const temporal = DataType.isDate(type) || DataType.isTimestamp(type);
  for (let i = 0; i < vector.length; i++) {
    const v: unknown = vector.get(i);
    if (v === null) continue;
    out[i] = temporal ? millis(v) : Number(v);
  }
  return out;
}

/** Packs `batch` for QuickJS. Throws naming the column of a type the step cannot pass. */
export function toTransfer(batch: RecordBatch): TransferBatch {
  const columns: TransferColumn[] = [];
  const parts: [number, ArrayBufferView][] = [];
  let size = 0;
  const reserve = (bytes: number): number => {
    const at = size;
    size += Math.ceil(bytes / 8) * 8;
    return at;
  };
  batch.schema.fields.forEach((field, index) => {
    const vector = batch.getChildAt(index);
    const kind = kindOfType(field.type as DataType);
    if (vector === null || kind === undefined)
      throw new Error(
        `column "${field.name}": type ${String(field.type)} is not supported in JavaScript steps`,
      );
    const column: TransferColumn = { name: field.name, kind };
    if (kind === 'string' || kind === 'bool') {
      column.values = Array.from(vector, (v: unknown) => (v ?? null) as string | boolean | null);
    } else {
      const values = numericValues(vector, kind);
      column.offset = reserve(values.byteLength);
      parts.push([column.offset, values]);
      const mask = nullMask(vector);
      if (mask !== undefined) {
        column.nullOffset = reserve(mask.byteLength);
        parts.push([column.nullOffset, mask]);
      }
    }
    columns.push(column);
  });
  const bytes = new Uint8Array(size);
  for (const [at, view] of parts)
    bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
  return { desc: { length: batch.numRows, columns }, buffer: bytes.buffer };
}

/** A validity bitmap (Arrow: bit set = valid) from a null mask (byte 1 = null), and its nulls. */
function validity(mask: Uint8Array): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(mask.length / 8));
  let nullCount = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 1) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

/**
 * The Arrow type a numeric output column keeps: an input column of the same name that was a
 * date, a timestamp or a 8 to 32 bit integer keeps its type when every value fits it (numbers
 * come back from JavaScript as float64 otherwise). Undefined: no such input column.
 */
function keptType(
  input: Schema,
  name: string,
  values: Float64Array,
  mask?: Uint8Array,
): DataType | undefined {
  const type = input.fields.find((f) => f.name === name)?.type as DataType | undefined;
  if (type === undefined) return undefined;
  const temporal = DataType.isDate(type) || DataType.isTimestamp(type);
  const smallInt = DataType.isInt(type) && type.bitWidth < 64;
  if (!temporal && !smallInt) return undefined;
  for (let i = 0; i < values.length; i++) {
    if (mask?.[i] === 1) continue;
    const v = values[i]!;
    if (!Number.isInteger(v)) return undefined;
    if (smallInt) {
      const bits = (type as Int32).bitWidth;
      const signed = (type as Int32).isSigned;
      const min = signed ? -(2 ** (bits - 1)) : 0;
      const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      if (v < min || v > max) return undefined;
    }
  }
  return type;
}

/** One output column as an Arrow vector. */
function columnVector(
  column: TransferColumn,
  length: number,
  buffer: ArrayBuffer,
  input: Schema,
): Vector {
  if (column.kind === 'string' || column.kind === 'bool') {
    const type = column.kind === 'string' ? new Utf8() : new Bool();
    return vectorFromArray(column.values ?? [], type as DataType) as Vector;
  }
  const spec = NUMERIC[column.kind];
  if (spec === undefined || column.offset === undefined)
    throw new Error(`internal: column "${column.name}" has no values`);
  const Array_ = spec.array as unknown as new (
    b: ArrayBuffer,
    o: number,
    n: number,
  ) => Float64Array;
  const values = new Array_(buffer, column.offset, length);
  const mask =
    column.nullOffset === undefined ? undefined : new Uint8Array(buffer, column.nullOffset, length);
  const kept = column.kind === 'f64' ? keptType(input, column.name, values, mask) : undefined;
  if (kept !== undefined && kept.typeId !== Type.Float) {
    const temporal = DataType.isDate(kept) || DataType.isTimestamp(kept);
    const items = Array.from(values, (v, i) =>
      mask?.[i] === 1 ? null : temporal ? new Date(v) : v,
    );
    return vectorFromArray(items, kept) as Vector;
  }
  const type = column.date === true ? new Float64() : spec.arrow();
  const { bitmap, nullCount } = mask ? validity(mask) : { bitmap: undefined, nullCount: 0 };
  return makeVector(
    makeData({ type: type as Float64, length, nullCount, nullBitmap: bitmap, data: values }),
  ) as Vector;
}

/** Unpacks what the user's function returned into a record batch; `input` is the input schema. */
export function fromTransfer(batch: TransferBatch, input: Schema): RecordBatch {
  const { length, columns } = batch.desc;
  const vectors = columns.map((c) => columnVector(c, length, batch.buffer, input));
  const fields = columns.map((c, i) => new Field(c.name, vectors[i]!.type as DataType, true));
  const children = vectors.map((v) => {
    const chunk = v.data.length === 1 ? v.data[0] : makeVector(v.toArray() as never).data[0];
    if (chunk === undefined) throw new Error('internal: empty vector');
    return chunk;
  });
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new RecordBatch(new Schema(fields), struct);
}
