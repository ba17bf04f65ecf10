/**
 * derive reads every Arrow type the expression language accepts: integers of every width and
 * sign, float32, date64, timestamps in seconds and nanoseconds (before 1970 too), large_utf8
 * and dictionaries with int8 indices. Expected values are computed in plain JavaScript.
 */
import {
  DateMillisecond,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampNanosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { type TestTable, columnCells, runExpressionModule } from '../filter/expr-oracle';
import type { Abi } from '../sdk/c-build';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

type Cell = number | bigint | string | null;

/** A vector over raw buffers (values, validity) of a fixed-width type. */
function makeVectorOf(
  type: DataType,
  length: number,
  nullCount: number,
  nullBitmap: Uint8Array,
  data: ArrayLike<number | bigint>,
): Vector {
  return makeVector(makeData({ type, length, nullCount, nullBitmap, data } as never));
}

const i8 = [1, -2, null, 127, -128];
const i16 = [300, -300, 5, null, 0];
const i32 = [70000, -70000, 5, 1, null];
const i64 = [10n ** 12n, -(10n ** 12n), 5n, 1n, 2n];
const u8 = [255, 0, 5, 1, 2];
const u16 = [65535, 0, 5, 1, 2];
const u32 = [4294967295, 0, 5, 1, 2];
const u64 = [2n ** 62n, 0n, 5n, 1n, 2n];
const f32 = [1.5, -0.25, null, 3.1, 1e10];
const f64 = [0.1, 0.2, 0.3, null, -1e-300];
// date64: ms since epoch at midnight, including before 1970
const d64 = [Date.UTC(2012, 1, 29), Date.UTC(1900, 0, 1), null, Date.UTC(1969, 11, 31), 0];
// timestamps in s and ns, before and after 1970
const tsS = [0n, -1n, 1330473600n + 3600n * 13n, null, 4102444800n];
const tsNs = [-1n, 1n, 1_700_000_000_123_456_789n, -86_400_000_000_000n * 365n, null];
const large = ['héllo', '', null, 'abc', 'Ωmega'];
const dict = ['abc', null, 'abc', 'xyz', 'Día'];

function table(): TestTable {
  const columns: [string, Vector][] = [
    [
      'i8',
      makeVectorOf(
        new Int8(),
        5,
        1,
        mask(i8),
        Int8Array.from(i8, (v) => v ?? 0),
      ),
    ],
    [
      'i16',
      makeVectorOf(
        new Int16(),
        5,
        1,
        mask(i16),
        Int16Array.from(i16, (v) => v ?? 0),
      ),
    ],
    [
      'i32',
      makeVectorOf(
        new Int32(),
        5,
        1,
        mask(i32),
        Int32Array.from(i32, (v) => v ?? 0),
      ),
    ],
    ['i64', makeVectorOf(new Int64(), 5, 0, mask(i64), BigInt64Array.from(i64))],
    ['u8', makeVectorOf(new Uint8(), 5, 0, mask(u8), Uint8Array.from(u8))],
    ['u16', makeVectorOf(new Uint16(), 5, 0, mask(u16), Uint16Array.from(u16))],
    ['u32', makeVectorOf(new Uint32(), 5, 0, mask(u32), Uint32Array.from(u32))],
    ['u64', makeVectorOf(new Uint64(), 5, 0, mask(u64), BigUint64Array.from(u64))],
    [
      'f32',
      makeVectorOf(
        new Float32(),
        5,
        1,
        mask(f32),
        Float32Array.from(f32, (v) => v ?? 0),
      ),
    ],
    [
      'f64',
      makeVectorOf(
        new Float64(),
        5,
        1,
        mask(f64),
        Float64Array.from(f64, (v) => v ?? 0),
      ),
    ],
    [
      'd64',
      makeVectorOf(
        new DateMillisecond(),
        5,
        1,
        mask(d64),
        BigInt64Array.from(d64, (v) => BigInt(v ?? 0)),
      ),
    ],
    [
      'ts_s',
      makeVectorOf(
        new TimestampSecond(),
        5,
        1,
        mask(tsS),
        BigInt64Array.from(tsS, (v) => v ?? 0n),
      ),
    ],
    [
      'ts_ns',
      makeVectorOf(
        new TimestampNanosecond('Europe/Paris'),
        5,
        1,
        mask(tsNs),
        BigInt64Array.from(tsNs, (v) => v ?? 0n),
      ),
    ],
    ['large', vectorFromArray(large, new LargeUtf8())],
    ['dict', vectorFromArray(dict, new Dictionary(new Utf8(), new Int8()))],
  ];
  const fields = columns.map(([name, v]) => new Field(name, v.type, true));
  const schema = new Schema(fields);
  const data = makeData({
    type: new Struct(fields),
    length: 5,
    nullCount: 0,
    children: columns.map(([, v]) => v.data[0]!),
  });
  const arrow = new Table(schema, [new RecordBatch(schema, data)]);
  return { name: 't', columns: [], arrow, ipc: tableToIPC(arrow, 'stream') };
}

function mask(values: readonly unknown[]): Uint8Array {
  const m = new Uint8Array(1);
  values.forEach((v, i) => {
    if (v !== null) m[0]! |= 1 << i;
  });
  return m;
}

/** Runs derive's `abi` build on {@link table} and returns column `v`. */
function deriveWith(expression: string, abi: Abi): Cell[] {
  return columnCells(
    runExpressionModule('derive', table(), { column: 'v', expression }, { abi }),
    'v',
  ) as Cell[];
}

/** Row-wise expected values: null if any input is null. */
function expected<T>(
  inputs: readonly (readonly unknown[])[],
  f: (...xs: never[]) => T,
): (T | null)[] {
  return inputs[0]!.map((_, i) => {
    const xs = inputs.map((col) => col[i]);
    return xs.some((x) => x === null) ? null : f(...(xs as never[]));
  });
}

describe.each(BOTH_ABIS)('derive reads every accepted Arrow type, ABI v%i build', (abi) => {
  const derive = (expression: string) => deriveWith(expression, abi);

  it('sums integers of every width and sign as int64', () => {
    const cols = [i8, i16, i32, i64, u8, u16, u32, u64];
    expect(derive('i8 + i16 + i32 + i64 + u8 + u16 + u32 + u64')).toEqual(
      expected(cols, (...xs: (number | bigint)[]) =>
        xs.reduce<bigint>((s, x) => s + BigInt(x), 0n),
      ),
    );
  });

  it('widens float32 exactly to float64', () => {
    const got = derive('f32 * 2 + f64');
    const want = expected([f32, f64], (a: number, b: number) => Math.fround(a) * 2 + b);
    expect(got).toEqual(want);
  });

  it('reads date64 as a date (also before 1970)', () => {
    const got = derive('year(d64) * 10000 + month(d64) * 100 + day(d64)');
    const want = expected([d64], (ms: number) => {
      const d = new Date(ms);
      return BigInt(d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate());
    });
    expect(got).toEqual(want);
  });

  it('reads timestamps in seconds and nanoseconds, in UTC, flooring before 1970', () => {
    const fromSeconds = expected([tsS], (s: bigint) => {
      const d = new Date(Number(s) * 1000);
      return BigInt(d.getUTCHours() * 100 + d.getUTCDate());
    });
    expect(derive('hour(ts_s) * 100 + day(ts_s)')).toEqual(fromSeconds);
    const fromNanos = expected([tsNs], (ns: bigint) => {
      const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n);
      const d = new Date(Number(ms));
      return BigInt(d.getUTCFullYear() * 100 + d.getUTCHours());
    });
    expect(derive('year(ts_ns) * 100 + hour(ts_ns)')).toEqual(fromNanos);
  });

  it('reads large_utf8 and int8-indexed dictionaries as strings', () => {
    const chars = (s: string) => BigInt([...s].length);
    expect(derive('length(large) + length(dict)')).toEqual(
      expected([large, dict], (a: string, b: string) => chars(a) + chars(b)),
    );
    expect(derive('upper(dict)')).toEqual(dict.map((s) => (s === null ? null : s.toUpperCase())));
    expect(derive('lower(large)')).toEqual(large.map((s) => (s === null ? null : s.toLowerCase())));
  });

  it('fails on a uint64 above the int64 range, naming the row', () => {
    const t = table();
    const big = makeVectorOf(
      new Uint64(),
      5,
      0,
      mask(u64),
      BigUint64Array.from([1n, 2n ** 63n, 0n, 0n, 0n]),
    );
    const fields = t.arrow.schema.fields;
    const children = t.arrow.schema.fields.map((f) =>
      f.name === 'u64' ? big.data[0]! : t.arrow.getChild(f.name)!.data[0]!,
    );
    const data = makeData({ type: new Struct(fields), length: 5, nullCount: 0, children });
    const arrow = new Table(t.arrow.schema, [new RecordBatch(t.arrow.schema, data)]);
    const bad = { ...t, arrow, ipc: tableToIPC(arrow, 'stream') };
    expect(() =>
      runExpressionModule('derive', bad, { column: 'v', expression: 'u64 + 1' }, { abi }),
    ).toThrow('uint64 value above the int64 range (9223372036854775808) at row 1 of the batch');
  });
});
