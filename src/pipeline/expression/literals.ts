/** Conversions of literal text to the compiled literal encoding (see `CompiledExpr`). */

const INT64_MAX = 9223372036854775807n;

/** Decimal string of an integer literal, or null if it does not fit in int64. */
export function int64Literal(text: string): string | null {
  const v = BigInt(text);
  return v <= INT64_MAX ? v.toString() : null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= max;
}

function daysFromCivil(y: number, m: number, d: number): number {
  // Date.UTC handles the proleptic Gregorian calendar for years 0..9999 once set explicitly.
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  t.setUTCHours(0, 0, 0, 0);
  return Math.round(t.getTime() / 86_400_000);
}

/** `YYYY-MM-DD` to days since 1970-01-01, or null if the text is not a valid date. */
export function parseDateLiteral(text: string): number | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/**
 * `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z|±HH:MM]` (or a plain date, at midnight) to a decimal
 * string of microseconds since the epoch, UTC; null if the text is not a valid timestamp.
 */
export function parseTimestampLiteral(text: string): string | null {
  const s = text.trim();
  const day = parseDateLiteral(s);
  if (day !== null) return (BigInt(day) * 86_400_000_000n).toString();
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const micros = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0'));
  let offsetMinutes = 0;
  const tz = m[8];
  if (tz !== undefined && tz !== 'Z') {
    const digits = tz.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offsetMinutes * 60;
  return (BigInt(seconds) * 1_000_000n + BigInt(micros)).toString();
}
