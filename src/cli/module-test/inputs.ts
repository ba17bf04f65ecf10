/**
 * The fixed Arrow inputs of `quiver module test`: one schema with a column of every type the C
 * SDK reads (modules/sdk/ABI.md §8), named after its type (`int8`, `utf8`, `timestamp_ms_utc`,
 * `dict_utf8`...), and the streams the contract test feeds it: nulls, no batch, zero-length
 * batches, dictionary replacements, several batches and one large batch.
 *
 * Values are generated from the row number alone (no randomness), so every run of the test
 * feeds the same bytes. Every nullable column has a null at every 7th row (from row 3).
 */
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Dictionary,
  Duration,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeBinary,
  LargeUtf8,
  Null,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimeMicrosecond,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimeUnit,
  Timestamp,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  type Data,
} from 'apache-arrow';

/** One input of the contract test: a name, what it exercises, and its IPC stream bytes. */
export interface ContractInput {
  name: string;
  /** What the input exercises, for the report. */
  about: string;
  /** Rows in every batch, in order (empty: a stream holding only its schema). */
  batchRows: number[];
  stream: Uint8Array;
  /** Limits tighter than the manifest's for this input: at most these. */
  tightLimits?: { maxMemoryMiB: number; timeoutMs: number };
}

/** The limits of the `tight-limits` input: a module that needs more than these for 1.6 MB of
 * input in seven batches is unlikely to be streaming. */
export const TIGHT_LIMITS = { maxMemoryMiB: 64, timeoutMs: 10_000 };

/** Rows of the large batch: ~27 MB of Arrow data over every type. */
export const LARGE_BATCH_ROWS = 120_000;

const DICTIONARY_WORDS = ['north', 'south', 'east', 'west', 'up', 'down', 'in', 'out'];

/** The columns: name and type. Dictionary columns get their words from {@link DICTIONARY_WORDS}. */
const COLUMNS: [string, DataType][] = [
  ['null', new Null()],
  ['bool', new Bool()],
  ['int8', new Int8()],
  ['int16', new Int16()],
  ['int32', new Int32()],
  ['int64', new Int64()],
  ['uint8', new Uint8()],
  ['uint16', new Uint16()],
  ['uint32', new Uint32()],
  ['uint64', new Uint64()],
  ['float32', new Float32()],
  ['float64', new Float64()],
  ['utf8', new Utf8()],
  ['large_utf8', new LargeUtf8()],
  ['binary', new Binary()],
  ['large_binary', new LargeBinary()],
  ['date32', new DateDay()],
  ['date64', new DateMillisecond()],
  ['timestamp_s', new Timestamp(TimeUnit.SECOND)],
  ['timestamp_ms_utc', new Timestamp(TimeUnit.MILLISECOND, 'UTC')],
  ['timestamp_us', new Timestamp(TimeUnit.MICROSECOND)],
  ['timestamp_ns_paris', new Timestamp(TimeUnit.NANOSECOND, 'Europe/Paris')],
  ['time32_s', new TimeSecond()],
  ['time32_ms', new TimeMillisecond()],
  ['time64_us', new TimeMicrosecond()],
  ['time64_ns', new TimeNanosecond()],
  ['duration_s', new Duration(TimeUnit.SECOND)],
  ['duration_ms', new Duration(TimeUnit.MILLISECOND)],
  ['duration_us', new Duration(TimeUnit.MICROSECOND)],
  ['duration_ns', new Duration(TimeUnit.NANOSECOND)],
  ['dict_utf8', new Dictionary(new Utf8(), new Int32(), 0)],
  ['dict_int64_u8', new Dictionary(new Int64(), new Uint8(), 1)],
];

/** The schema of every contract input. */
export const CONTRACT_SCHEMA = new Schema(
  COLUMNS.map(([name, type]) => new Field(name, type, true)),
);

/** Whether row `row` (counted over the whole stream) is null. */
const isNull = (row: number): boolean => row % 7 === 3;

/** A validity bitmap for rows `start..start+n`, and its null count. */
function validity(start: number, n: number): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isNull(start + i)) nulls++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nulls };
}

/** A signed value for row `row` that spans negative and positive numbers, within ±2^(bits-1). */
function signedValue(row: number, bits: number): number {
  const span = 2 ** Math.min(bits - 1, 30);
  return ((row * 7919) % (2 * span)) - span;
}

type FixedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** Values for the fixed-width column `name`, rows `start..start+n`. */
function fixedValues(name: string, start: number, n: number): FixedArray {
  const rows = Array.from({ length: n }, (_, i) => start + i);
  const big = (f: (r: number) => number) => BigInt64Array.from(rows, (r) => BigInt(f(r)));
  switch (name) {
    case 'int8':
      return Int8Array.from(rows, (r) => signedValue(r, 8));
    case 'int16':
      return Int16Array.from(rows, (r) => signedValue(r, 16));
    case 'int32':
    case 'time32_s':
    case 'time32_ms':
    case 'date32':
      return Int32Array.from(rows, (r) => (name === 'int32' ? signedValue(r, 32) : r % 86_400));
    case 'uint8':
      return Uint8Array.from(rows, (r) => r % 256);
    case 'uint16':
      return Uint16Array.from(rows, (r) => (r * 31) % 65_536);
    case 'uint32':
      return Uint32Array.from(rows, (r) => (r * 2_654_435_761) % 4_294_967_296);
    case 'uint64':
      return BigUint64Array.from(rows, (r) => BigInt(r) * 0x9e37_79b9n + 2n ** 63n);
    case 'float32':
      return Float32Array.from(rows, (r) => signedValue(r, 16) / 8);
    case 'float64':
      return Float64Array.from(rows, (r) => signedValue(r, 32) / 1024);
    default:
      // int64, date64, timestamps, time64, durations: int64 values.
      return big((r) => (name === 'int64' ? signedValue(r, 53) * 1024 : r * 1000 + 17));
  }
}

/** A variable-width column: the text `row <r>` (a few rows empty, one non-ASCII). */
function textData(type: DataType, name: string, start: number, n: number): Data {
  const encoder = new TextEncoder();
  const parts = Array.from({ length: n }, (_, i) => {
    const r = start + i;
    return encoder.encode(r % 11 === 0 ? '' : r % 13 === 0 ? `zoë ${r}` : `${name} ${r}`);
  });
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const data = new Uint8Array(total);
  const large = name.startsWith('large');
  const offsets = large ? new BigInt64Array(n + 1) : new Int32Array(n + 1);
  let at = 0;
  parts.forEach((p, i) => {
    data.set(p, at);
    at += p.byteLength;
    offsets[i + 1] = large ? BigInt(at) : at;
  });
  const { bitmap, nulls } = validity(start, n);
  return makeData({
    type,
    length: n,
    nullCount: nulls,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data,
  } as never);
}

/** The dictionary column `name` for rows `start..start+n`; `generation` picks its dictionary. */
function dictionaryData(
  type: Dictionary,
  name: string,
  start: number,
  n: number,
  generation: number,
): Data {
  // Each generation rotates the words, so a new generation is a dictionary replacement.
  const words = DICTIONARY_WORDS.map((_, i) => DICTIONARY_WORDS[(i + generation) % 8] ?? '');
  const dictionary =
    name === 'dict_utf8'
      ? makeVectorOfStrings(words)
      : makeVector(BigInt64Array.from(words, (_, i) => BigInt((i + generation) * 1_000_000_007)));
  const indices =
    type.indices.bitWidth === 8
      ? Uint8Array.from({ length: n }, (_, i) => (start + i) % 8)
      : Int32Array.from({ length: n }, (_, i) => ((start + i) * 3) % 8);
  const { bitmap, nulls } = validity(start, n);
  return makeData({
    type,
    length: n,
    nullCount: nulls,
    nullBitmap: bitmap,
    data: indices,
    dictionary,
  } as never);
}

/** A utf8 vector of `words` (no nulls). */
function makeVectorOfStrings(words: string[]) {
  const encoder = new TextEncoder();
  const parts = words.map((w) => encoder.encode(w));
  const data = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  const offsets = new Int32Array(words.length + 1);
  let at = 0;
  parts.forEach((p, i) => {
    data.set(p, at);
    at += p.byteLength;
    offsets[i + 1] = at;
  });
  return makeVector(
    makeData({ type: new Utf8(), length: words.length, nullCount: 0, valueOffsets: offsets, data }),
  );
}

/** The data of column `name` of type `type`, rows `start..start+n`. */
function columnData(
  name: string,
  type: DataType,
  start: number,
  n: number,
  generation: number,
): Data {
  if (type instanceof Null) return makeData({ type, length: n, nullCount: n });
  if (type instanceof Dictionary) return dictionaryData(type, name, start, n, generation);
  if (
    type instanceof Utf8 ||
    type instanceof LargeUtf8 ||
    type instanceof Binary ||
    type instanceof LargeBinary
  ) {
    return textData(type, name, start, n);
  }
  const { bitmap, nulls } = validity(start, n);
  if (type instanceof Bool) {
    const bits = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if ((start + i) % 3 === 0) bits[i >> 3]! |= 1 << (i & 7);
    return makeData({ type, length: n, nullCount: nulls, nullBitmap: bitmap, data: bits });
  }
  const data = fixedValues(name, start, n);
  return makeData({ type, length: n, nullCount: nulls, nullBitmap: bitmap, data } as never);
}

/** A record batch of rows `start..start+n` with dictionary generation `generation`. */
function batch(start: number, n: number, generation = 0): RecordBatch {
  const children = COLUMNS.map(([name, type]) => columnData(name, type, start, n, generation));
  const struct = makeData({
    type: new Struct(CONTRACT_SCHEMA.fields),
    length: n,
    nullCount: 0,
    children,
  });
  return new RecordBatch(CONTRACT_SCHEMA, struct);
}

/** The IPC stream of `batches` (the schema alone when empty). */
function stream(batches: RecordBatch[]): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, CONTRACT_SCHEMA);
  for (const b of batches) writer.write(b);
  writer.finish();
  return writer.toUint8Array(true);
}

/** Consecutive batches of the given sizes; `generations` gives each one's dictionary. */
function batches(sizes: number[], generations: number[] = []): RecordBatch[] {
  let start = 0;
  return sizes.map((n, i) => {
    const b = batch(start, n, generations[i] ?? 0);
    start += n;
    return b;
  });
}

function input(name: string, about: string, sizes: number[], generations?: number[]) {
  return { name, about, batchRows: sizes, stream: stream(batches(sizes, generations)) };
}

const SEVERAL = [1, 999, 64, 4096, 3, 2000, 37];

/** Every input of the contract test, in the order they run. */
export function contractInputs(): ContractInput[] {
  return [
    input('every-type', 'one batch, a column of each type, nulls', [100]),
    input('no-batch', 'the schema alone, no record batch', []),
    input('zero-length', 'zero-row batches around a small one', [0, 5, 0]),
    input('dictionaries', 'dictionary replacements between batches', [20, 20, 20], [0, 1, 2]),
    input('several-batches', 'seven batches of uneven sizes', SEVERAL),
    input('large-batch', `one batch of ${LARGE_BATCH_ROWS} rows`, [LARGE_BATCH_ROWS]),
    {
      ...input('tight-limits', 'seven batches under 64 MiB and 10 s', SEVERAL),
      tightLimits: TIGHT_LIMITS,
    },
  ];
}
