/**
 * Dates and timestamps as ISO 8601 text, for CSV export and the command line's result table:
 * `2012-01-01`, `2012-01-01T05:06:07.891`, and with the column's zone `…Z` (UTC) or
 * `…+05:30` (the offset of a fixed or named zone at that instant, from Intl). Fractions keep
 * the digits the unit holds, without trailing zeros.
 */
import { DataType, DateUnit, TimeUnit, type Vector } from 'apache-arrow';
import type { ColumnType } from '../pipeline/table-schema';

const DAY_MS = 86_400_000;

/** Nanoseconds per unit of apache-arrow's TimeUnit. */
const NS_PER_UNIT: Record<TimeUnit, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
};

/** `YYYY-MM-DD` of `days` since 1970-01-01. */
export function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Minutes east of UTC of `timezone` at `epochMs` ('UTC', '+05:30', or an IANA name). */
export function zoneOffsetMinutes(timezone: string, epochMs: number): number {
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(timezone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (/^(utc|z|etc\/utc|gmt)$/i.test(timezone)) return 0;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(epochMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const a = Math.abs(minutes);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * ISO 8601 text of a timestamp `value` in `unit` since the epoch (UTC): local time in
 * `timezone` with its offset when the column has a zone, else the wall time with no suffix.
 */
export function isoTimestamp(value: bigint, unit: TimeUnit, timezone: string | null): string {
  const ns = value * NS_PER_UNIT[unit];
  let ms = Number(ns / 1_000_000n);
  let subMs = ns % 1_000_000n; // below the millisecond, same sign as ns
  if (subMs < 0n) {
    subMs += 1_000_000n;
    ms -= 1;
  }
  const offset = timezone === null ? 0 : zoneOffsetMinutes(timezone, ms);
  const iso = new Date(ms + offset * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const digits = { [TimeUnit.SECOND]: 0, [TimeUnit.MILLISECOND]: 3, [TimeUnit.MICROSECOND]: 6 };
  const width = digits[unit as keyof typeof digits] ?? 9;
  const fraction = (iso.slice(20, 23) + String(subMs).padStart(6, '0'))
    .slice(0, width)
    .replace(/0+$/, '');
  const base = iso.slice(0, 19) + (fraction ? `.${fraction}` : '');
  return timezone === null ? base : base + offsetText(offset);
}

/**
 * For a date or timestamp column: row → ISO 8601 text (null for a null), read from the raw
 * values (apache-arrow's `get` gives milliseconds, losing micro- and nanoseconds). Undefined
 * for other columns.
 */
export function temporalText(column: Vector): ((row: number) => string | null) | undefined {
  const type = column.type as DataType;
  if (!DataType.isDate(type) && !DataType.isTimestamp(type)) return undefined;
  const starts: number[] = [];
  let n = 0;
  for (const d of column.data) {
    starts.push(n);
    n += d.length;
  }
  return (row) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    const k = lo;
    const data = column.data[k]!;
    const i = row - starts[k]!;
    if (!data.getValid(i)) return null;
    const raw = (data.values as ArrayLike<number | bigint>)[i]!;
    if (DataType.isDate(type)) {
      return type.unit === DateUnit.DAY
        ? isoDate(Number(raw))
        : isoDate(Math.floor(Number(raw) / DAY_MS));
    }
    const whole = typeof raw === 'bigint' ? raw : BigInt(Math.floor(raw));
    return isoTimestamp(whole, type.unit, type.timezone ?? null);
  };
}

/**
 * A preview cell (plain JSON: apache-arrow gives dates and timestamps as epoch milliseconds)
 * as ISO 8601 text when its column is a date or timestamp; other values unchanged.
 */
export function previewCellText(value: unknown, type: ColumnType): unknown {
  if (typeof value !== 'number') return value;
  const kind = type.type === 'dictionary' ? type.value : type;
  if (kind.type === 'date32' || kind.type === 'date64') return isoDate(Math.floor(value / DAY_MS));
  if (kind.type === 'timestamp') {
    return isoTimestamp(BigInt(Math.round(value)), TimeUnit.MILLISECOND, kind.timezone);
  }
  return value;
}
