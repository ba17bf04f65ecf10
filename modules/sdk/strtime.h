/*
 * strtime.h — strftime/strptime-style formatting and parsing of dates and times, for the
 * expression functions strftime/strptime and the csv step's dateFormat/timestampFormat.
 * Times are microseconds since 1970-01-01T00:00:00Z in the proleptic Gregorian calendar.
 *
 * Specifiers (as DuckDB reads them; README "Dates and times"): %Y year (4 digits when
 * formatting), %y 2-digit year (00–68 → 20xx, 69–99 → 19xx), %m month, %d day, %H hour (0–23),
 * %I hour (1–12) with %p AM/PM, %M minute, %S second, %f microseconds (parsing: 1–6 fraction
 * digits), %g milliseconds, %j day of the year, %a/%A weekday name, %b/%h/%B month name, %w
 * weekday (0 = Sunday), %u ISO weekday (1 = Monday), %z zone offset (parsing: Z, ±hh, ±hhmm,
 * ±hh:mm; formatting: +00), %Z (formatting: empty), %c, %x, %X (%Y-%m-%d %H:%M:%S, %Y-%m-%d,
 * %H:%M:%S), %% a percent sign. When formatting, `%-d` (any numeric specifier with `-`) drops
 * the zero padding. Parsing accepts 1 up to the field's width of digits for each number.
 */
#ifndef QUIVER_STRTIME_H
#define QUIVER_STRTIME_H

#include "quiver.h"

/**
 * Formats `us` by `format` (`format_size_bytes` bytes) into `out` (`capacity_bytes`), setting
 * `*size_bytes`. EINVAL naming an unknown specifier; ERANGE if out is too small.
 */
int qv_strftime(int64_t us, const char *format, int64_t format_size_bytes, char *out,
                int64_t capacity_bytes, int64_t *size_bytes, qv_error *err);

/**
 * Parses all of `text` by `format` into `*us` (UTC; a %z offset is applied). Missing fields
 * default to 1970-01-01 00:00:00. EINVAL with a message saying what did not match and at
 * which byte of the text, or naming an unknown specifier.
 */
int qv_strptime(const char *text, int64_t size_bytes, const char *format,
                int64_t format_size_bytes, int64_t *us, qv_error *err);

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
int64_t qv_days_from_civil(int64_t y, int64_t m, int64_t d);

/** Year, month (1–12) and day of `days` since 1970-01-01. */
void qv_civil_from_days(int64_t days, int64_t *y, int64_t *m, int64_t *d);

#endif /* QUIVER_STRTIME_H */
