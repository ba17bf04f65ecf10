// Reading and writing the FlatBuffers of Arrow IPC messages (Message.fbs, Schema.fbs), in module
// memory. Format: https://flatbuffers.dev/internals/ — a table starts with an int32 offset back
// to its vtable ([u16 vtable size, u16 table size, u16 field offsets...]); offsets to tables,
// strings and vectors are u32 counted from where they are stored.

/** Position of field `index` of the table at `table`, or 0 when absent. */
export function field(table: usize, index: i32): usize {
  const vtable = table - <usize>load<i32>(table);
  const slot = <usize>(4 + 2 * index);
  if (slot >= <usize>load<u16>(vtable)) return 0;
  const offset = load<u16>(vtable + slot);
  return offset == 0 ? 0 : table + offset;
}

/** The table, string or vector that field `index` points to, or 0. */
export function ref(table: usize, index: i32): usize {
  const at = field(table, index);
  return at == 0 ? 0 : at + load<u32>(at);
}

export function i64Field(table: usize, index: i32, fallback: i64): i64 {
  const at = field(table, index);
  return at == 0 ? fallback : load<i64>(at);
}

export function i32Field(table: usize, index: i32, fallback: i32): i32 {
  const at = field(table, index);
  return at == 0 ? fallback : load<i32>(at);
}

export function i16Field(table: usize, index: i32, fallback: i32): i32 {
  const at = field(table, index);
  return at == 0 ? fallback : <i32>load<i16>(at);
}

export function u8Field(table: usize, index: i32, fallback: i32): i32 {
  const at = field(table, index);
  return at == 0 ? fallback : <i32>load<u8>(at);
}

/** The string field `index`, or null. */
export function stringField(table: usize, index: i32): string | null {
  const s = ref(table, index);
  return s == 0 ? null : String.UTF8.decodeUnsafe(s + 4, load<u32>(s));
}

/** Length of the vector at `vector` (0 for none). */
export function vectorLength(vector: usize): i32 {
  return vector == 0 ? 0 : <i32>load<u32>(vector);
}

/** Element `i` of a vector of tables. */
export function tableAt(vector: usize, i: i32): usize {
  const at = vector + 4 + <usize>(4 * i);
  return at + load<u32>(at);
}

/**
 * A FlatBuffer written front to back: every table is preceded by its own vtable, and the
 * strings, vectors and tables it points to are written after it (offsets are unsigned, so they
 * point forward), their offsets patched in when written.
 */
export class Builder {
  bytes: Uint8Array = new Uint8Array(1024);
  size: i32 = 0;

  constructor() {
    this.size = 4; // the root offset, patched by `root`
  }

  private ensure(n: i32): void {
    if (this.size + n <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.size + n) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes);
    this.bytes = grown;
  }

  align(n: i32): void {
    const pad = (n - (this.size % n)) % n;
    this.ensure(pad);
    for (let i = 0; i < pad; i++) this.bytes[this.size++] = 0;
  }

  /** Appends `n` zero bytes; returns their position. */
  reserve(n: i32): i32 {
    this.ensure(n);
    const at = this.size;
    for (let i = 0; i < n; i++) this.bytes[this.size++] = 0;
    return at;
  }

  putU8(at: i32, v: u8): void { store<u8>(this.bytes.dataStart + at, v); }
  putU16(at: i32, v: u16): void { store<u16>(this.bytes.dataStart + at, v); }
  putI32(at: i32, v: i32): void { store<i32>(this.bytes.dataStart + at, v); }
  putI64(at: i32, v: i64): void { store<i64>(this.bytes.dataStart + at, v); }

  /** Makes the u32 at `from` point to `to`. */
  link(from: i32, to: i32): void { this.putI32(from, to - from); }

  /**
   * Starts a table of `slots` fields laid out at the byte offsets `layout[i]` (0 = absent) in a
   * body of `bodySize` bytes (after the 4-byte vtable offset); returns the table's position.
   * 8-byte fields must sit at offsets that are 4 mod 8 for the table starts at 4 mod 8.
   */
  table(layout: i32[], bodySize: i32): i32 {
    this.align(2);
    const vtableSize = 4 + 2 * layout.length;
    const vtable = this.reserve(vtableSize);
    this.align(8);
    this.reserve(4); // tables start at 4 mod 8, so their 8-byte fields at 8-aligned positions
    const table = this.reserve(4 + bodySize);
    this.putU16(vtable, <u16>vtableSize);
    this.putU16(vtable + 2, <u16>(4 + bodySize));
    for (let i = 0; i < layout.length; i++) this.putU16(vtable + 4 + 2 * i, <u16>layout[i]);
    this.putI32(table, table - vtable);
    return table;
  }

  /** Writes a string; returns its position. */
  string(s: string): i32 {
    const utf8 = Uint8Array.wrap(String.UTF8.encode(s));
    this.align(4);
    const at = this.reserve(4 + utf8.length + 1);
    this.putI32(at, utf8.length);
    for (let i = 0; i < utf8.length; i++) this.bytes[at + 4 + i] = utf8[i];
    return at;
  }

  /** Starts a vector of `n` elements of `width` bytes, aligned to `alignTo`; returns the
   * position of its first element (the count is just before). */
  vector(n: i32, width: i32, alignTo: i32): i32 {
    this.align(alignTo);
    if (this.size % alignTo != alignTo - 4 && alignTo > 4) this.reserve(4);
    const at = this.reserve(4 + n * width);
    this.putI32(at, n);
    return at + 4;
  }

  /** Points the root offset at `table`; returns the finished bytes, padded to 8. */
  finish(table: i32): Uint8Array {
    this.link(0, table);
    this.align(8);
    return this.bytes.subarray(0, this.size);
  }
}
