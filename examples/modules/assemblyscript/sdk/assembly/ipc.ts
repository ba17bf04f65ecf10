// Arrow IPC messages (https://arrow.apache.org/docs/format/Columnar.html#serialization-and-
// interprocess-communication-ipc): `0xFFFFFFFF, int32 metadata size, Message flatbuffer (padded
// to 8), body`. Reads Schema, DictionaryBatch and RecordBatch messages where they lie in module
// memory; writes them into an Output. Uncompressed, little-endian, metadata V5 only.
import { Builder, field, i16Field, i32Field, i64Field, ref, stringField, tableAt, u8Field, vectorLength } from "./flatbuffers";
import { Column } from "./column";
import { DataType, Field, Schema, TimeUnit, TypeId, isBinaryLike, typeName, widthOf } from "./types";

/** MessageHeader union tags (Message.fbs). */
export const HEADER_SCHEMA: i32 = 1;
export const HEADER_DICTIONARY: i32 = 2;
export const HEADER_RECORD_BATCH: i32 = 3;

/** Type union tags (Schema.fbs). */
const T_NULL = 1, T_INT = 2, T_FLOAT = 3, T_BINARY = 4, T_UTF8 = 5, T_BOOL = 6, T_DATE = 8,
  T_TIME = 9, T_TIMESTAMP = 10, T_DURATION = 18, T_LARGE_BINARY = 19, T_LARGE_UTF8 = 20;

/** One message of a block: its header type, header table, body and total size. */
export class Message {
  constructor(public kind: i32, public header: usize, public body: usize, public size: i32) {}
}

/** The message at `at` (`end` bounds the block), or an error string. */
export function readMessage(at: usize, end: usize): Message | null {
  if (at + 8 > end || load<u32>(at) != 0xffffffff) return null;
  const metaSize = <usize>load<i32>(at + 4);
  if (metaSize == 0 || at + 8 + metaSize > end) return null;
  const fb = at + 8;
  const root = fb + load<u32>(fb);
  const bodyLength = <usize>i64Field(root, 3, 0);
  if (at + 8 + metaSize + bodyLength > end) return null;
  return new Message(u8Field(root, 1, 0), ref(root, 2), fb + metaSize, <i32>(<usize>8 + metaSize + bodyLength));
}

function intType(table: usize): TypeId {
  const bits = i32Field(table, 0, 0);
  const signed = u8Field(table, 1, 0) != 0;
  const base = signed ? TypeId.Int8 : TypeId.UInt8;
  return bits == 8 ? base : bits == 16 ? base + 1 : bits == 32 ? base + 2 : base + 3;
}

/** The type of Field table `f`; throws (aborts) naming the field for unsupported types. */
function readType(f: usize, name: string): DataType {
  const tag = u8Field(f, 2, 0);
  const t = ref(f, 3);
  let type = new DataType(TypeId.Null);
  if (tag == T_NULL) type = new DataType(TypeId.Null);
  else if (tag == T_INT) type = new DataType(intType(t));
  else if (tag == T_FLOAT) {
    const precision = i16Field(t, 0, 0);
    assert(precision != 0, `unsupported Arrow type Float16 in field '${name}'`);
    type = new DataType(precision == 1 ? TypeId.Float32 : TypeId.Float64);
  } else if (tag == T_BINARY) type = new DataType(TypeId.Binary);
  else if (tag == T_UTF8) type = new DataType(TypeId.Utf8);
  else if (tag == T_BOOL) type = new DataType(TypeId.Bool);
  else if (tag == T_LARGE_BINARY) type = new DataType(TypeId.LargeBinary);
  else if (tag == T_LARGE_UTF8) type = new DataType(TypeId.LargeUtf8);
  else if (tag == T_DATE) type = new DataType(i16Field(t, 0, 1) == 0 ? TypeId.Date32 : TypeId.Date64);
  else if (tag == T_TIME) {
    type = new DataType(i32Field(t, 1, 32) == 32 ? TypeId.Time32 : TypeId.Time64);
    type.unit = <TimeUnit>i16Field(t, 0, 1);
  } else if (tag == T_TIMESTAMP) {
    type = new DataType(TypeId.Timestamp);
    type.unit = <TimeUnit>i16Field(t, 0, 0);
    type.timezone = stringField(t, 1);
  } else if (tag == T_DURATION) {
    type = new DataType(TypeId.Duration);
    type.unit = <TimeUnit>i16Field(t, 0, 1);
  } else throw new Error(`unsupported Arrow type (union tag ${tag}) in field '${name}'`);
  const dictionary = ref(f, 4);
  if (dictionary != 0) {
    type.dictionaryId = i64Field(dictionary, 0, 0);
    const index = ref(dictionary, 1);
    type.indexType = index != 0 ? intType(index) : TypeId.Int32;
    type.ordered = u8Field(dictionary, 2, 0) != 0;
  }
  return type;
}

/** The schema of a Schema message header. */
export function readSchema(header: usize): Schema {
  const vector = ref(header, 1);
  const n = vectorLength(vector);
  const fields = new Array<Field>(n);
  for (let i = 0; i < n; i++) {
    const f = tableAt(vector, i);
    const name = stringField(f, 0);
    const fieldName = name !== null ? name : "";
    assert(vectorLength(ref(f, 5)) == 0, `unsupported nested field '${fieldName}'`);
    fields[i] = new Field(fieldName, readType(f, fieldName), u8Field(f, 1, 0) != 0);
  }
  return new Schema(fields);
}

/** The columns of RecordBatch table `batch` over `body`, typed by `types`. */
export function readColumns(batch: usize, body: usize, types: DataType[]): Column[] {
  assert(ref(batch, 3) == 0, "compressed record batches are not supported");
  const nodes = ref(batch, 1);
  const buffers = ref(batch, 2);
  const columns = new Array<Column>(types.length);
  let b = 0;
  for (let i = 0; i < types.length; i++) {
    assert(i < vectorLength(nodes), "a record batch has fewer field nodes than its schema");
    const node = nodes + 4 + <usize>(16 * i);
    const type = types[i];
    const column = new Column(type, <i32>load<i64>(node), <i32>load<i64>(node + 8));
    const id = type.id;
    if (id != TypeId.Null) {
      const count = type.isDictionary || id == TypeId.Bool || widthOf(id) > 0 ? 2 : 3;
      assert(b + count <= vectorLength(buffers), "a record batch has fewer buffers than its schema");
      const at = (k: i32, buffers: usize, body: usize): usize =>
        load<i64>(buffers + 4 + <usize>(16 * k) + 8) == 0 ? 0 : body + <usize>load<i64>(buffers + 4 + <usize>(16 * k));
      column.validity = column.nullCount > 0 ? at(b, buffers, body) : 0;
      if (count == 2) column.values = at(b + 1, buffers, body);
      else {
        column.offsets = at(b + 1, buffers, body);
        column.data = at(b + 2, buffers, body);
        column.dataSize = <i32>load<i64>(buffers + 4 + <usize>(16 * (b + 2)) + 8);
      }
      b += count;
    }
    columns[i] = column;
  }
  return columns;
}

/** A copy of `column`'s buffers in memory it owns (for dictionaries, which outlive a block). */
export function ownedCopy(column: Column): Column {
  const copy = new Column(column.type, column.length, column.nullCount);
  const parts = column.buffers();
  const copied = new Array<usize>(parts.length / 2);
  for (let i = 0; i < parts.length; i += 2) {
    const size = parts[i + 1];
    const p: usize = parts[i] == 0 || size == 0 ? 0 : heap.alloc(size);
    if (p != 0) memory.copy(p, parts[i], size);
    copied[i / 2] = p;
  }
  if (isBinaryLike(column.type.id) && !column.type.isDictionary) {
    copy.validity = copied[0];
    copy.offsets = copied[1];
    copy.data = copied[2];
    copy.dataSize = column.dataSize;
  } else if (copied.length == 2) {
    copy.validity = copied[0];
    copy.values = copied[1];
  }
  return copy;
}

/** Frees what `ownedCopy` allocated. */
export function freeCopy(column: Column): void {
  if (column.validity != 0) heap.free(column.validity);
  if (column.values != 0) heap.free(column.values);
  if (column.offsets != 0) heap.free(column.offsets);
  if (column.data != 0) heap.free(column.data);
}

/** Bytes pending on one output port, in memory that is reused after each clear. */
export class Output {
  ptr: usize = heap.alloc(1024);
  size: usize = 0;
  capacity: usize = 1024;

  private ensure(n: usize): void {
    if (this.size + n <= this.capacity) return;
    while (this.capacity < this.size + n) this.capacity *= 2;
    this.ptr = heap.realloc(this.ptr, this.capacity);
  }

  write(from: usize, n: usize): void {
    this.ensure(n);
    memory.copy(this.ptr + this.size, from, n);
    this.size += n;
  }

  zeros(n: usize): void {
    this.ensure(n);
    memory.fill(this.ptr + this.size, 0, n);
    this.size += n;
  }

  /** Writes one message: prefix, `meta` (already padded to 8) and `columns`' buffers as body. */
  message(meta: Uint8Array, columns: Column[]): void {
    const prefix = heap.alloc(8);
    store<u32>(prefix, 0xffffffff);
    store<i32>(prefix, meta.length, 4);
    this.write(prefix, 8);
    heap.free(prefix);
    this.write(meta.dataStart, meta.length);
    for (let i = 0; i < columns.length; i++) {
      const parts = columns[i].buffers();
      for (let k = 0; k < parts.length; k += 2) {
        if (parts[k] != 0 && parts[k + 1] != 0) this.write(parts[k], parts[k + 1]);
        else if (parts[k + 1] != 0) this.zeros(parts[k + 1]);
        this.zeros((8 - (parts[k + 1] & 7)) & 7);
      }
    }
  }
}

function typeTable(b: Builder, type: DataType): i32 {
  const id = type.id;
  if (id >= TypeId.Int8 && id <= TypeId.UInt64) {
    const t = b.table([4, 8], 8);
    const signed = id <= TypeId.Int64;
    b.putI32(t + 4, widthOf(id) * 8);
    b.putU8(t + 8, signed ? 1 : 0);
    return t;
  }
  if (id == TypeId.Float32 || id == TypeId.Float64 || id == TypeId.Date32 || id == TypeId.Date64 || id == TypeId.Duration) {
    const t = b.table([4], 4);
    const value = id == TypeId.Float32 ? 1 : id == TypeId.Float64 ? 2 : id == TypeId.Date32 ? 0 : id == TypeId.Date64 ? 1 : <i32>type.unit;
    b.putU16(t + 4, <u16>value);
    return t;
  }
  if (id == TypeId.Time32 || id == TypeId.Time64) {
    const t = b.table([8, 4], 8);
    b.putI32(t + 4, id == TypeId.Time32 ? 32 : 64);
    b.putU16(t + 8, <u16>type.unit);
    return t;
  }
  if (id == TypeId.Timestamp) {
    const timezone = type.timezone;
    const t = b.table([8, timezone !== null ? 4 : 0], 8);
    b.putU16(t + 8, <u16>type.unit);
    if (timezone !== null) b.link(t + 4, b.string(timezone));
    return t;
  }
  return b.table([], 0); // Null, Bool, Utf8, Binary and their large variants
}

function typeTag(id: TypeId): i32 {
  switch (id) {
    case TypeId.Null: return T_NULL;
    case TypeId.Bool: return T_BOOL;
    case TypeId.Float32: case TypeId.Float64: return T_FLOAT;
    case TypeId.Utf8: return T_UTF8;
    case TypeId.LargeUtf8: return T_LARGE_UTF8;
    case TypeId.Binary: return T_BINARY;
    case TypeId.LargeBinary: return T_LARGE_BINARY;
    case TypeId.Date32: case TypeId.Date64: return T_DATE;
    case TypeId.Time32: case TypeId.Time64: return T_TIME;
    case TypeId.Timestamp: return T_TIMESTAMP;
    case TypeId.Duration: return T_DURATION;
    default: return T_INT;
  }
}

/** A Message table with `headerType`, its header to be linked, and `bodyLength`. */
function messageTable(b: Builder, headerType: u8, bodyLength: i64): i32 {
  const m = b.table([16, 18, 12, 4], 16);
  b.putI64(m + 4, bodyLength);
  b.putU16(m + 16, 4); // MetadataVersion V5
  b.putU8(m + 18, headerType);
  return m;
}

/** The metadata of a Schema message for `schema`. */
export function schemaMessage(schema: Schema): Uint8Array {
  const b = new Builder();
  const m = messageTable(b, <u8>HEADER_SCHEMA, 0);
  const s = b.table([0, 4], 4);
  b.link(m + 12, s);
  const n = schema.fields.length;
  const vector = b.vector(n, 4, 4);
  b.link(s + 4, vector - 4);
  for (let i = 0; i < n; i++) {
    const f = schema.fields[i];
    const dictionary = f.type.isDictionary;
    const t = b.table([4, 20, 21, 8, dictionary ? 12 : 0, 16], 20);
    b.link(vector + 4 * i, t);
    b.putU8(t + 20, f.nullable ? 1 : 0);
    b.putU8(t + 21, <u8>typeTag(f.type.id));
    b.link(t + 4, b.string(f.name));
    b.link(t + 8, typeTable(b, f.type));
    b.link(t + 16, b.vector(0, 4, 4) - 4);
    if (dictionary) {
      const d = b.table([4, 12, 16], 16);
      b.link(t + 12, d);
      b.putI64(d + 4, f.type.dictionaryId);
      b.putU8(d + 16, f.type.ordered ? 1 : 0);
      b.link(d + 12, typeTable(b, new DataType(f.type.indexType)));
    }
  }
  return b.finish(m);
}

/** Bytes of `columns`' buffers in a body, each padded to 8. */
function bodyLength(columns: Column[]): i64 {
  let total: i64 = 0;
  for (let i = 0; i < columns.length; i++) {
    const parts = columns[i].buffers();
    for (let k = 1; k < parts.length; k += 2) total += <i64>((parts[k] + 7) & ~7);
  }
  return total;
}

/** A RecordBatch table for `columns` of `rows` rows. */
function recordBatchTable(b: Builder, rows: i64, columns: Column[]): i32 {
  const r = b.table([4, 12, 16], 16);
  b.putI64(r + 4, rows);
  const nodes = b.vector(columns.length, 16, 8);
  b.link(r + 12, nodes - 4);
  let count = 0;
  for (let i = 0; i < columns.length; i++) {
    b.putI64(nodes + 16 * i, columns[i].length);
    b.putI64(nodes + 16 * i + 8, columns[i].nullCount);
    count += columns[i].buffers().length / 2;
  }
  const buffers = b.vector(count, 16, 8);
  b.link(r + 16, buffers - 4);
  let k = 0;
  let offset: i64 = 0;
  for (let i = 0; i < columns.length; i++) {
    const parts = columns[i].buffers();
    for (let p = 1; p < parts.length; p += 2) {
      b.putI64(buffers + 16 * k, offset);
      b.putI64(buffers + 16 * k + 8, <i64>parts[p]);
      offset += <i64>((parts[p] + 7) & ~7);
      k++;
    }
  }
  return r;
}

/** The metadata of a RecordBatch message. */
export function recordBatchMessage(rows: i64, columns: Column[]): Uint8Array {
  const b = new Builder();
  const m = messageTable(b, <u8>HEADER_RECORD_BATCH, bodyLength(columns));
  b.link(m + 12, recordBatchTable(b, rows, columns));
  return b.finish(m);
}

/** The metadata of a DictionaryBatch message replacing dictionary `id` with `values`. */
export function dictionaryMessage(id: i64, values: Column): Uint8Array {
  const b = new Builder();
  const columns = [values];
  const m = messageTable(b, <u8>HEADER_DICTIONARY, bodyLength(columns));
  const d = b.table([4, 12, 16], 16);
  b.link(m + 12, d);
  b.putI64(d + 4, id);
  b.link(d + 12, recordBatchTable(b, values.length, columns));
  return b.finish(m);
}

export { typeName };
