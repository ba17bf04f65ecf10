/**
 * How the output table shows a value, the way a spreadsheet does: numbers with locale thousands
 * separators (only from five digits on: `2012` stays a year, `12,345` is grouped; CLDR's `min2`
 * grouping), integers as integers, fractions to at most 4 decimals (4 significant digits under
 * 1), dates and timestamps in ISO 8601. The full value (every digit) is kept for the cell's
 * hover text and for copying.
 */
import { isNumericType, type ColumnType } from '../pipeline/table-schema';

/** One cell as shown: the short text, the full value, and whether it is a number. */
export interface CellView {
  /** What the cell shows. */
  text: string;
  /** The value with every digit (hover text and clipboard). */
  full: string;
  /** Right-aligned with tabular figures when true. */
  numeric: boolean;
}

/** The type a column's values have (a dictionary's values, not its indexes). */
function valueKind(type: ColumnType): string {
  return type.type === 'dictionary' ? valueKind(type.value) : type.type;
}

/** Whether a column of `type` holds numbers (shown right-aligned). */
export function isNumericColumn(type: ColumnType): boolean {
  return type.type === 'dictionary' ? isNumericColumn(type.value) : isNumericType(type);
}

/** Below this magnitude a fraction is shown in scientific notation (`1.234E-7`). */
const SCIENTIFIC_BELOW = 1e-4;

/** Formatters by locale and style, made once (Intl constructors are slow). */
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string | undefined, style: 'fixed' | 'small' | 'tiny') {
  const key = `${locale ?? ''}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions =
      style === 'fixed'
        ? { maximumFractionDigits: 4, useGrouping: 'min2' }
        : style === 'small'
          ? { maximumSignificantDigits: 4, useGrouping: 'min2' }
          : { maximumSignificantDigits: 4, notation: 'scientific' };
    f = new Intl.NumberFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * A number as a spreadsheet shows it in `locale` (the browser's when undefined): integers whole,
 * fractions to at most 4 decimals (`3.1416`), or 4 significant digits under 1 (`0.001235`),
 * scientific under 1e-4 (`1.235E-7`); `NaN` and infinities spelled out.
 */
export function formatNumber(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return String(n);
  const magnitude = Math.abs(n);
  if (Number.isInteger(n) || magnitude >= 1) return formatter(locale, 'fixed').format(n);
  if (magnitude >= SCIENTIFIC_BELOW) return formatter(locale, 'small').format(n);
  return formatter(locale, 'tiny').format(n);
}

/** A whole number given as decimal digits (int64 beyond 2^53 arrives as a string). */
function formatIntegerText(digits: string, locale?: string): string {
  try {
    return formatter(locale, 'fixed').format(BigInt(digits));
  } catch {
    return digits;
  }
}

/** `2012-06-01T00:00:00.000Z` → `2012-06-01T00:00:00Z` (no zero milliseconds). */
function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * How the table shows `v`, a value of a column of `type` as the runtime previews it (numbers,
 * int64 beyond 2^53 as digit strings, dates and timestamps as epoch ms or ISO strings, nested
 * values as objects). Null shows as `∅`.
 */
export function cellView(v: unknown, type: ColumnType, locale?: string): CellView {
  const kind = valueKind(type);
  const numeric = isNumericColumn(type);
  if (v === null || v === undefined) return { text: '∅', full: '', numeric };
  if (typeof v === 'number' && (kind === 'date32' || kind === 'date64')) {
    const day = new Date(v).toISOString().slice(0, 10);
    return { text: day, full: day, numeric: false };
  }
  if (typeof v === 'number' && kind === 'timestamp') {
    const iso = isoTimestamp(v);
    return { text: iso, full: iso, numeric: false };
  }
  if (typeof v === 'number') return { text: formatNumber(v, locale), full: String(v), numeric };
  if (typeof v === 'bigint') {
    return { text: formatIntegerText(v.toString(), locale), full: v.toString(), numeric: true };
  }
  if (typeof v === 'string' && numeric && /^-?\d+$/.test(v)) {
    return { text: formatIntegerText(v, locale), full: v, numeric };
  }
  if (v instanceof Date) {
    const iso = isoTimestamp(v.getTime());
    return { text: iso, full: iso, numeric: false };
  }
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return { text, full: text, numeric: numeric && typeof v !== 'object' };
}
