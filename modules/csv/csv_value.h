/*
 * csv_value.h — parsing field text as typed values, and the type lattice of inference.
 *
 * Accepted forms (exactly these; no surrounding spaces, no thousands separators):
 * - bool:      true | false, in any letter case.
 * - int64:     [+-]?[0-9]+ within the int64 range.
 * - float64:   [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?, or [+-]?(nan|inf|infinity)
 *              in any letter case. Correctly rounded (exact fast path, else strtod); a
 *              magnitude beyond float64 (1e400) is ±infinity, as in DuckDB.
 * - date32:    YYYY-MM-DD (ISO 8601 calendar date, years 0000-9999), days since 1970-01-01.
 * - timestamp: YYYY-MM-DD[T ]hh:mm[:ss[.f{1,9}]] with an optional zone Z, +hh, +hhmm or
 *              +hh:mm (or -), as microseconds since 1970-01-01T00:00 UTC; a value with a zone
 *              is converted to UTC. Digits below the microsecond are dropped (truncated).
 *              Where a timestamp is expected, a plain date reads as its midnight.
 * Dates use the proleptic Gregorian calendar (days_from_civil after H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms").
 */
#ifndef CSV_VALUE_H
#define CSV_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Column types, ordered so that inference can join them (see csv_kind_join). */
typedef enum csv_kind {
  CSV_KIND_NULL = 0, /* no non-null value seen yet */
  CSV_KIND_BOOL,
  CSV_KIND_INT64,
  CSV_KIND_FLOAT64,
  CSV_KIND_DATE32,
  CSV_KIND_TIMESTAMP,    /* timestamp[us], values without a zone */
  CSV_KIND_TIMESTAMP_TZ, /* timestamp[us, UTC], values with a zone */
  CSV_KIND_UTF8
} csv_kind;

/** Lower-case name of a kind as users write it ("int64", "timestamp", ...). */
const char *csv_kind_name(csv_kind kind);

/** The narrowest kind that holds both `a` and `b` (int64 + float64 = float64, date32 +
 * timestamp = timestamp, NULL + x = x, anything else mixed = utf8). */
csv_kind csv_kind_join(csv_kind a, csv_kind b);

/** True for a number written with a redundant leading zero ("007", "-01.5"): inference
 * keeps such values as text (zip codes, identifiers), as DuckDB's sniffer does; a forced
 * int64 or float64 column still accepts them. */
bool csv_has_leading_zero(const uint8_t *s, size_t n);

/** The narrowest kind whose form `s` has (never CSV_KIND_NULL); numbers with a leading
 * zero are utf8. */
csv_kind csv_classify(const uint8_t *s, size_t n);

bool csv_parse_bool(const uint8_t *s, size_t n, bool *out);
bool csv_parse_int64(const uint8_t *s, size_t n, int64_t *out);
bool csv_parse_float64(const uint8_t *s, size_t n, double *out);
bool csv_parse_date32(const uint8_t *s, size_t n, int32_t *out_days);

/**
 * Parses a timestamp (or a plain date, at midnight) into microseconds since the epoch, UTC.
 * `*out_has_zone` tells whether the text carried a zone designator.
 */
bool csv_parse_timestamp(const uint8_t *s, size_t n, int64_t *out_us, bool *out_has_zone);

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1..12, d 1..31). */
int64_t csv_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif /* CSV_VALUE_H */
