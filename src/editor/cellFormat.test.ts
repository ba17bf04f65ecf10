import { describe, expect, it } from 'vitest';
import { cellView, formatNumber, isNumericColumn } from './cellFormat';

const f64 = { type: 'float64' } as const;
const i64 = { type: 'int64' } as const;

describe('formatNumber', () => {
  it('shows integers whole, grouped from five digits on', () => {
    expect(formatNumber(2012, 'en-US')).toBe('2012');
    expect(formatNumber(12345, 'en-US')).toBe('12,345');
    expect(formatNumber(1461, 'en-US')).toBe('1461');
    expect(formatNumber(-1234567, 'en-US')).toBe('-1,234,567');
  });

  it('rounds fractions to at most 4 decimals', () => {
    expect(formatNumber(Math.PI, 'en-US')).toBe('3.1416');
    expect(formatNumber(12.5, 'en-US')).toBe('12.5');
    expect(formatNumber(16.4390164, 'en-US')).toBe('16.439');
    expect(formatNumber(98765.43219, 'en-US')).toBe('98,765.4322');
  });

  it('keeps 4 significant digits under 1, scientific under 1e-4', () => {
    expect(formatNumber(0.0012345678, 'en-US')).toBe('0.001235');
    expect(formatNumber(-0.5, 'en-US')).toBe('-0.5');
    expect(formatNumber(1.2345678e-7, 'en-US')).toBe('1.235E-7');
  });

  it('follows the locale', () => {
    expect(formatNumber(12345.678, 'de-DE')).toBe('12.345,678');
    expect(formatNumber(12345.678, 'fr-FR')).toBe('12\u202f345,678');
  });

  it('spells out NaN and infinities', () => {
    expect(formatNumber(Number.NaN, 'en-US')).toBe('NaN');
    expect(formatNumber(-Infinity, 'en-US')).toBe('-Infinity');
  });
});

describe('cellView', () => {
  it('keeps every digit of a number for hover and copy', () => {
    expect(cellView(123.456789012345, f64, 'en-US')).toEqual({
      text: '123.4568',
      full: '123.456789012345',
      numeric: true,
    });
  });

  it('formats int64 beyond 2^53 (a digit string) as an integer', () => {
    expect(cellView('9007199254740993', i64, 'en-US')).toEqual({
      text: '9,007,199,254,740,993',
      full: '9007199254740993',
      numeric: true,
    });
  });

  it('shows dates and timestamps in ISO 8601, left-aligned', () => {
    const day = Date.UTC(2012, 0, 31);
    expect(cellView(day, { type: 'date32' }, 'en-US')).toEqual({
      text: '2012-01-31',
      full: '2012-01-31',
      numeric: false,
    });
    const ts = { type: 'timestamp', unit: 'millisecond', timezone: 'UTC' } as const;
    expect(cellView(day + 3_600_500, ts, 'en-US').text).toBe('2012-01-31T01:00:00.500Z');
    expect(cellView(day, ts, 'en-US').text).toBe('2012-01-31T00:00:00Z');
  });

  it('shows null as ∅ and text as it is', () => {
    expect(cellView(null, f64, 'en-US')).toEqual({ text: '∅', full: '', numeric: true });
    expect(cellView('sun', { type: 'utf8' }, 'en-US')).toEqual({
      text: 'sun',
      full: 'sun',
      numeric: false,
    });
  });

  it('reads a dictionary column by its value type', () => {
    const dict = { type: 'dictionary', index: 'int32', value: { type: 'float64' } } as const;
    expect(isNumericColumn(dict)).toBe(true);
    expect(isNumericColumn({ type: 'utf8' })).toBe(false);
  });
});
