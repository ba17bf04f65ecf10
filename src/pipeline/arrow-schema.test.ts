import { describe, expect, it } from 'vitest';
import {
  Bool,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Schema,
  TimestampMillisecond,
  TimeUnit,
  Timestamp,
  Uint8,
  Utf8,
  DateDay,
  Decimal,
  Duration,
  TimeMicrosecond,
} from 'apache-arrow';
import { fromArrowSchema } from './arrow-schema';
import { formatColumnType } from './table-schema';

describe('fromArrowSchema', () => {
  it('mirrors the types the SDK reads, and keeps others as described', () => {
    const schema = new Schema([
      new Field('a', new Int64(), false),
      new Field('b', new Float64(), true),
      new Field('c', new Utf8(), true),
      new Field('d', new Bool(), true),
      new Field('e', new DateDay(), true),
      new Field('f', new TimestampMillisecond(), true),
      new Field('g', new Timestamp(TimeUnit.NANOSECOND, 'UTC'), true),
      new Field('h', new Dictionary(new Utf8(), new Int32()), true),
      new Field('i', new Uint8(), true),
      new Field('j', new Float32(), true),
      new Field('k', new Duration(TimeUnit.SECOND), true),
      new Field('l', new TimeMicrosecond(), true),
      new Field('m', new Decimal(2, 10, 128), true),
      new Field('n', new Int16(), true),
    ]);
    const mirror = fromArrowSchema(schema);
    expect(mirror.fields.map((f) => [f.name, formatColumnType(f.type), f.nullable])).toEqual([
      ['a', 'int64', false],
      ['b', 'float64', true],
      ['c', 'utf8', true],
      ['d', 'bool', true],
      ['e', 'date32', true],
      ['f', 'timestamp[ms]', true],
      ['g', 'timestamp[ns, UTC]', true],
      ['h', 'dictionary<int32, utf8>', true],
      ['i', 'uint8', true],
      ['j', 'float32', true],
      ['k', 'duration[s]', true],
      ['l', 'time64[us]', true],
      ['m', String(new Decimal(2, 10, 128)), true],
      ['n', 'int16', true],
    ]);
    expect(mirror.fields[12]?.type.type).toBe('other');
    // Plain data: survives structured clone unchanged.
    expect(structuredClone(mirror)).toEqual(mirror);
  });
});
