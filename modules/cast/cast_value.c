/*
 * cast_value.c — reading, parsing, formatting and converting values for the cast step.
 *
 * Civil dates use the days-from-civil / civil-from-days algorithms of Howard Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms" (proleptic Gregorian calendar), written anew.
 * Floats are printed as DuckDB prints them: the shortest digits that read back to the same
 * double, in fixed notation with at least one decimal when the decimal exponent is in
 * [-5, 15], else in scientific notation ("1e+20", "1.5e-07").
 */
#include "cast_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US_PER_DAY INT64_C(86400000000)

static const char *const TARGET_NAMES[CV_TO_COUNT_] = {
    "bool", "int32", "int64", "float64", "string", "date", "timestamp"};

cv_target cv_target_from_name(const char *name) {
  for (int t = 0; t < CV_TO_COUNT_; t++)
    if (strcmp(name, TARGET_NAMES[t]) == 0) return (cv_target)t;
  return CV_TO_COUNT_;
}

qv_type cv_target_type(cv_target t) {
  static const qv_type_id ids[CV_TO_COUNT_] = {QV_TYPE_BOOL,    QV_TYPE_INT32, QV_TYPE_INT64,
                                               QV_TYPE_FLOAT64, QV_TYPE_UTF8,  QV_TYPE_DATE32};
  if (t == CV_TO_TIMESTAMP) return qv_type_timestamp(QV_TIME_UNIT_MICROSECOND, NULL);
  return qv_type_make(ids[t]);
}

int cv_source_kind(const qv_type *type) {
  qv_type_id id = type->id;
  if (id == QV_TYPE_BOOL) return CV_BOOL;
  if (qv_type_id_is_integer(id)) return CV_INT;
  if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) return CV_FLOAT;
  if (id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8) return CV_STR;
  if (id == QV_TYPE_DATE32 || id == QV_TYPE_DATE64) return CV_DATE;
  if (id == QV_TYPE_TIMESTAMP) return CV_TS;
  return -1;
}

bool cv_castable(cv_kind kind, cv_target t) {
  switch (t) {
    case CV_TO_STRING: return true;
    case CV_TO_DATE:
    case CV_TO_TIMESTAMP: return kind == CV_STR || kind == CV_DATE || kind == CV_TS;
    default: return kind != CV_DATE && kind != CV_TS;
  }
}

/** Floor division (rounds toward negative infinity). */
static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

cv_value cv_read(const qv_column *col, int64_t i, cv_kind kind) {
  cv_value v = {.kind = kind};
  static const int64_t US_PER_UNIT[] = {1000000, 1000, 1, 0};
  switch (kind) {
    case CV_BOOL: v.b = qv_column_bool_at(col, i); break;
    case CV_FLOAT: v.f = qv_column_double_at(col, i); break;
    case CV_STR: v.s = qv_column_str_at(col, i); break;
    case CV_DATE:
      v.i = qv_column_int64_at(col, i);
      if (col->type.id == QV_TYPE_DATE64) v.i = floor_div(v.i, 86400000);
      break;
    case CV_TS:
      v.i = qv_column_int64_at(col, i);
      v.i = col->type.unit == QV_TIME_UNIT_NANOSECOND ? floor_div(v.i, 1000)
                                                      : v.i * US_PER_UNIT[col->type.unit];
      break;
    default: /* CV_INT: unsigned values above INT64_MAX read as out of range below */
      v.i = qv_column_int64_at(col, i);
      if (col->type.id == QV_TYPE_UINT64 && qv_column_uint64_at(col, i) > (uint64_t)INT64_MAX) {
        v.kind = CV_FLOAT;
        v.f = (double)qv_column_uint64_at(col, i);
      }
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400), yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/** The date of `days` since 1970-01-01 (Hinnant's civil_from_days). */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d) {
  days += 719468;
  int64_t era = floor_div(days, 146097), doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/** Reads 1..max_digits digits at *p; false when there are none. */
static bool digits(const char **p, const char *end, int max_digits, int64_t *out) {
  int n = 0;
  *out = 0;
  while (*p < end && n < max_digits && **p >= '0' && **p <= '9') *out = *out * 10 + (*(*p)++ - '0'), n++;
  return n > 0;
}

/** Parses `YYYY-M-D` at *p (advancing it) into days since the epoch. */
static bool parse_date(const char **p, const char *end, int64_t *days) {
  int64_t y, m, d;
  static const int MONTH_DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!digits(p, end, 6, &y) || *p == end || *(*p)++ != '-' || !digits(p, end, 2, &m) ||
      *p == end || *(*p)++ != '-' || !digits(p, end, 2, &d))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > MONTH_DAYS[m - 1] + (m == 2 && leap(y))) return false;
  *days = days_from_civil(y, m, d);
  return true;
}

/** Parses `YYYY-M-D[( |T)HH:MM[:SS[.ffffff]]]` into microseconds since the epoch. */
static bool parse_timestamp(const char *p, const char *end, int64_t *us) {
  int64_t days, h = 0, mi = 0, s = 0, frac = 0;
  if (!parse_date(&p, end, &days)) return false;
  if (p < end && (*p == ' ' || *p == 'T')) {
    p++;
    if (!digits(&p, end, 2, &h) || p == end || *p++ != ':' || !digits(&p, end, 2, &mi))
      return false;
    if (p < end && *p == ':' && (p++, !digits(&p, end, 2, &s))) return false;
    if (p < end && *p == '.') {
      p++;
      int n = 0;
      while (p < end && *p >= '0' && *p <= '9') {
        if (n++ < 6) frac = frac * 10 + (*p - '0');
        p++;
      }
      if (n == 0) return false;
      for (; n < 6; n++) frac *= 10;
    }
    if (h > 23 || mi > 59 || s > 59) return false;
  }
  *us = days * US_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000000 + frac;
  return p == end;
}

/** Copies `s` without surrounding spaces into `buf` (NUL-terminated); false when too long. */
static bool trimmed(qv_str s, char *buf, size_t size) {
  const char *a = s.data, *z = s.data + s.size_bytes;
  while (a < z && (*a == ' ' || *a == '\t')) a++;
  while (z > a && (z[-1] == ' ' || z[-1] == '\t')) z--;
  if ((size_t)(z - a) >= size) return false;
  memcpy(buf, a, (size_t)(z - a));
  buf[z - a] = 0;
  return true;
}

/** Parses a whole string as a double (strtod's syntax, spaces around allowed). */
static bool parse_double(qv_str s, double *out) {
  char buf[128], *end;
  if (!trimmed(s, buf, sizeof buf) || buf[0] == 0) return false;
  *out = strtod(buf, &end);
  return *end == 0;
}

/** Parses a whole string as an integer: decimal, 0x hex, or a number that rounds to one. */
static bool parse_int(qv_str s, int64_t *out, double *as_double, bool *is_double) {
  char buf[128], *end;
  *is_double = false;
  if (!trimmed(s, buf, sizeof buf) || buf[0] == 0) return false;
  errno = 0;
  bool hex = buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
  *out = strtoll(buf, &end, hex ? 16 : 10);
  if (*end == 0 && errno == 0) return true;
  *is_double = true;
  return parse_double(s, as_double);
}

/** Case-insensitive equality of `s` and lower-case `word`. */
static bool is_word(qv_str s, const char *word) {
  size_t n = strlen(word);
  if ((size_t)s.size_bytes != n) return false;
  for (size_t k = 0; k < n; k++)
    if ((s.data[k] | 0x20) != word[k]) return false;
  return true;
}

/** Rounds `f` into [lo, hi], halves to even (`rint`, as DuckDB casts a double) or away from
 * zero (`round`, as DuckDB casts decimal text); false for NaN, infinities, out of range. */
static bool round_into(double f, bool half_even, int64_t lo, int64_t hi, int64_t *out) {
  double r = half_even ? rint(f) : round(f);
  if (!(r >= (double)lo && r < -(double)lo)) return false; /* -lo: 2^31 or 2^63, exact */
  *out = (int64_t)r;
  return *out <= hi;
}

/** `v` as an integer in [lo, hi]. */
static bool to_int(const cv_value *v, int64_t lo, int64_t hi, int64_t *out) {
  double f;
  bool is_double;
  switch (v->kind) {
    case CV_BOOL: *out = v->b; return true;
    case CV_INT: *out = v->i; return v->i >= lo && v->i <= hi;
    case CV_FLOAT: return round_into(v->f, true, lo, hi, out);
    case CV_STR:
      if (!parse_int(v->s, out, &f, &is_double)) return false;
      return is_double ? round_into(f, false, lo, hi, out) : *out >= lo && *out <= hi;
    default: return false;
  }
}

static bool to_double(const cv_value *v, double *out) {
  switch (v->kind) {
    case CV_BOOL: *out = v->b; return true;
    case CV_INT: *out = (double)v->i; return true;
    case CV_FLOAT: *out = v->f; return true;
    case CV_STR: return parse_double(v->s, out);
    default: return false;
  }
}

static bool to_bool(const cv_value *v, bool *out) {
  static const char *const yes[] = {"true", "t", "yes", "y", "1"}, *const no[] = {"false", "f", "no", "n", "0"};
  switch (v->kind) {
    case CV_BOOL: *out = v->b; return true;
    case CV_INT: *out = v->i != 0; return true;
    case CV_FLOAT: *out = v->f != 0; return !isnan(v->f);
    case CV_STR:
      for (int k = 0; k < 5; k++) {
        if (is_word(v->s, yes[k])) return *out = true, true;
        if (is_word(v->s, no[k])) return *out = false, true;
      }
      return false;
    default: return false;
  }
}

/** `v` as microseconds since the epoch (to_date floors it to days). */
static bool to_micros(const cv_value *v, int64_t *out) {
  switch (v->kind) {
    case CV_DATE: *out = v->i * US_PER_DAY; return true;
    case CV_TS: *out = v->i; return true;
    case CV_STR: return parse_timestamp(v->s.data, v->s.data + v->s.size_bytes, out);
    default: return false;
  }
}

int cv_append(const cv_value *v, cv_target t, qv_builder *b, qv_error *err) {
  int64_t i;
  double f;
  bool flag;
  char text[64];
  switch (t) {
    case CV_TO_BOOL: return to_bool(v, &flag) ? qv_builder_append_bool(b, flag, err) : EINVAL;
    case CV_TO_INT32:
      return to_int(v, INT32_MIN, INT32_MAX, &i) ? qv_builder_append_int64(b, i, err) : EINVAL;
    case CV_TO_INT64:
      return to_int(v, INT64_MIN, INT64_MAX, &i) ? qv_builder_append_int64(b, i, err) : EINVAL;
    case CV_TO_FLOAT64: return to_double(v, &f) ? qv_builder_append_double(b, f, err) : EINVAL;
    case CV_TO_DATE:
      if (v->kind == CV_STR) {
        const char *p = v->s.data, *end = p + v->s.size_bytes;
        if (!parse_date(&p, end, &i) || p != end) return EINVAL;
        return qv_builder_append_int64(b, i, err);
      }
      return to_micros(v, &i) ? qv_builder_append_int64(b, floor_div(i, US_PER_DAY), err) : EINVAL;
    case CV_TO_TIMESTAMP: return to_micros(v, &i) ? qv_builder_append_int64(b, i, err) : EINVAL;
    default: /* CV_TO_STRING */
      if (v->kind == CV_STR) return qv_builder_append_bytes(b, v->s.data, v->s.size_bytes, err);
      cv_format(v, text, sizeof text);
      return qv_builder_append_str(b, text, err);
  }
}

/** Writes `f` as DuckDB does (see the file comment). */
static void format_double(double f, char *buf, size_t size) {
  if (isnan(f)) return (void)snprintf(buf, size, "nan");
  if (isinf(f)) return (void)snprintf(buf, size, f < 0 ? "-inf" : "inf");
  if (f == 0) return (void)snprintf(buf, size, signbit(f) ? "-0.0" : "0.0");
  int precision = 0;
  for (; precision < 17; precision++) {
    snprintf(buf, size, "%.*e", precision, f);
    if (strtod(buf, NULL) == f) break;
  }
  int exponent = atoi(strchr(buf, 'e') + 1);
  if (exponent < -5 || exponent > 15) return; /* keeps "%.*e": 1.5e-07, 1e+20 */
  int decimals = precision - exponent > 1 ? precision - exponent : 1;
  snprintf(buf, size, "%.*f", decimals, f);
}

void cv_format(const cv_value *v, char *buf, size_t size_bytes) {
  int64_t y;
  int m, d;
  switch (v->kind) {
    case CV_BOOL: snprintf(buf, size_bytes, "%s", v->b ? "true" : "false"); break;
    case CV_INT: snprintf(buf, size_bytes, "%lld", (long long)v->i); break;
    case CV_FLOAT: format_double(v->f, buf, size_bytes); break;
    case CV_STR:
      snprintf(buf, size_bytes, "%.*s", (int)(v->s.size_bytes > 200 ? 200 : v->s.size_bytes),
               v->s.data);
      break;
    case CV_DATE:
      civil_from_days(v->i, &y, &m, &d);
      snprintf(buf, size_bytes, "%04lld-%02d-%02d", (long long)y, m, d);
      break;
    default: { /* CV_TS */
      int64_t day = floor_div(v->i, US_PER_DAY), us = v->i - day * US_PER_DAY;
      civil_from_days(day, &y, &m, &d);
      int len = snprintf(buf, size_bytes, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, m, d,
                         (int)(us / 3600000000), (int)(us / 60000000 % 60), (int)(us / 1000000 % 60));
      if (us % 1000000 != 0 && len > 0 && (size_t)len + 8 < size_bytes) {
        snprintf(buf + len, size_bytes - (size_t)len, ".%06d", (int)(us % 1000000));
        for (char *z = buf + strlen(buf) - 1; *z == '0'; z--) *z = 0; /* as DuckDB: .5, not .500000 */
      }
    }
  }
}
