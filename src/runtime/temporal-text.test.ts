import {
  DateDay,
  DateMillisecond,
  TimeUnit,
  TimestampMicrosecond,
  TimestampNanosecond,
  TimestampSecond,
  tableFromIPC,
  tableToIPC,
  Table,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tableToCsv } from './sinks';
import { isoTimestamp, previewCellText, temporalText } from './temporal-text';

describe('ISO 8601 text of dates and timestamps', () => {
  it("keeps the unit's digits, trims trailing zeros, and handles times before 1970", () => {
    expect(isoTimestamp(1325394367891123n, TimeUnit.MICROSECOND, null)).toBe(
      '2012-01-01T05:06:07.891123',
    );
    expect(isoTimestamp(1325376000000000n, TimeUnit.MICROSECOND, null)).toBe('2012-01-01T00:00:00');
    expect(isoTimestamp(-1n, TimeUnit.NANOSECOND, null)).toBe('1969-12-31T23:59:59.999999999');
    expect(isoTimestamp(-86401n, TimeUnit.SECOND, null)).toBe('1969-12-30T23:59:59');
  });

  it("shows the column's zone: Z for UTC, the offset of a fixed or named zone", () => {
    const t = 1325394367000n; // 2012-01-01T05:06:07Z, in ms
    expect(isoTimestamp(t, TimeUnit.MILLISECOND, 'UTC')).toBe('2012-01-01T05:06:07Z');
    expect(isoTimestamp(t, TimeUnit.MILLISECOND, '+05:30')).toBe('2012-01-01T10:36:07+05:30');
    expect(isoTimestamp(t, TimeUnit.MILLISECOND, 'America/New_York')).toBe(
      '2012-01-01T00:06:07-05:00',
    );
  });

  it('reads raw values of every date and timestamp type, nulls as null', () => {
    const when = new Date(Date.UTC(2012, 0, 1, 5, 6, 7, 891));
    const wholeSecond = new Date(Date.UTC(2012, 0, 1, 5, 6, 7));
    const cases: [Vector, string][] = [
      [vectorFromArray([when, null], new DateDay()), '2012-01-01'],
      [vectorFromArray([when, null], new DateMillisecond()), '2012-01-01'],
      // (apache-arrow's builder refuses a fractional second, so whole seconds here)
      [vectorFromArray([wholeSecond, null], new TimestampSecond()), '2012-01-01T05:06:07'],
      [vectorFromArray([when, null], new TimestampMicrosecond('UTC')), '2012-01-01T05:06:07.891Z'],
      // apache-arrow's builder multiplies milliseconds by 1e6 in floating point: every stored
      // nanosecond is shown
      [vectorFromArray([when, null], new TimestampNanosecond()), '2012-01-01T05:06:07.891000064'],
    ];
    for (const [v, text] of cases) {
      const f = temporalText(v)!;
      expect([f(0), f(1)]).toEqual([text, null]);
    }
    expect(temporalText(vectorFromArray([1, 2]))).toBeUndefined();
  });

  it('CSV export writes ISO 8601, not epoch numbers (2012-01-01 was 1325376000000)', () => {
    const table = new Table({
      d: vectorFromArray([new Date(Date.UTC(2012, 0, 1))], new DateDay()),
    });
    const csv = tableToCsv(tableFromIPC(tableToIPC(table, 'stream')));
    expect(csv).toBe('d\r\n2012-01-01\r\n');
  });

  it('turns preview cells (epoch milliseconds) into ISO text by column type', () => {
    expect(previewCellText(1325376000000, { type: 'date32' })).toBe('2012-01-01');
    expect(
      previewCellText(1325376000000, { type: 'timestamp', unit: 'microsecond', timezone: 'UTC' }),
    ).toBe('2012-01-01T00:00:00Z');
    expect(previewCellText(3, { type: 'int64' })).toBe(3);
  });
});
