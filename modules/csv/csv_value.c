/* csv_value.c — typed parsing of field text; see csv_value.h for the accepted forms. */
#include "csv_value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *csv_kind_name(csv_kind kind) {
  switch (kind) {
  case CSV_KIND_NULL:
    return "null";
  case CSV_KIND_BOOL:
    return "bool";
  case CSV_KIND_INT64:
    return "int64";
  case CSV_KIND_FLOAT64:
    return "float64";
  case CSV_KIND_DATE32:
    return "date32";
  case CSV_KIND_TIMESTAMP:
    return "timestamp";
  case CSV_KIND_TIMESTAMP_TZ:
    return "timestamp with time zone";
  case CSV_KIND_UTF8:
    return "utf8";
  }
  return "unknown";
}

csv_kind csv_kind_join(csv_kind a, csv_kind b) {
  if (a == b) return a;
  if (a == CSV_KIND_NULL) return b;
  if (b == CSV_KIND_NULL) return a;
  if ((a == CSV_KIND_INT64 && b == CSV_KIND_FLOAT64) ||
      (a == CSV_KIND_FLOAT64 && b == CSV_KIND_INT64)) {
    return CSV_KIND_FLOAT64;
  }
  if ((a == CSV_KIND_DATE32 && b == CSV_KIND_TIMESTAMP) ||
      (a == CSV_KIND_TIMESTAMP && b == CSV_KIND_DATE32)) {
    return CSV_KIND_TIMESTAMP;
  }
  return CSV_KIND_UTF8;
}

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c; }

/* Case-insensitive comparison of s[0..n) with the lower-case NUL-terminated `word`. */
static bool equals_word(const uint8_t *s, size_t n, const char *word) {
  size_t len = strlen(word);
  if (n != len) return false;
  for (size_t i = 0; i < n; i++) {
    if (lower(s[i]) != (uint8_t)word[i]) return false;
  }
  return true;
}

bool csv_parse_bool(const uint8_t *s, size_t n, bool *out) {
  if (equals_word(s, n, "true")) {
    *out = true;
    return true;
  }
  if (equals_word(s, n, "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool csv_parse_int64(const uint8_t *s, size_t n, int64_t *out) {
  size_t i = 0;
  bool negative = false;
  if (n > 0 && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == n) return false;
  uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  uint64_t v = 0;
  for (; i < n; i++) {
    if (!is_digit(s[i])) return false;
    unsigned digit = (unsigned)(s[i] - '0');
    if (v > (limit - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *out = negative ? (int64_t)(0 - v) : (int64_t)v;
  return true;
}

/* Exact powers of ten representable in a double (10^0..10^22). */
static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Correctly rounded conversion of a validated decimal through the C library. */
static bool strtod_exact(const uint8_t *s, size_t n, double *out) {
  char stack[128];
  char *buf = n < sizeof stack ? stack : malloc(n + 1); /* only for absurdly long numbers */
  if (!buf) return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  char *end = NULL;
  double v = strtod(buf, &end);
  /* An overflowing value (1e400) reads as ±infinity, as in DuckDB; underflow reads as 0. */
  bool ok = end == buf + n;
  if (buf != stack) free(buf);
  if (ok) *out = v;
  return ok;
}

bool csv_parse_float64(const uint8_t *s, size_t n, double *out) {
  size_t i = 0;
  bool negative = false;
  if (n > 0 && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i < n && !is_digit(s[i]) && s[i] != '.') {
    double special;
    if (equals_word(s + i, n - i, "nan")) {
      special = NAN;
    } else if (equals_word(s + i, n - i, "inf") || equals_word(s + i, n - i, "infinity")) {
      special = INFINITY;
    } else {
      return false;
    }
    *out = negative ? -special : special;
    return true;
  }
  /* Validate the grammar while collecting up to 19 significant digits. */
  uint64_t mantissa = 0;
  int significant = 0;
  int64_t exponent10 = 0; /* power of ten to apply to `mantissa` */
  bool truncated = false;
  size_t digits = 0;
  for (; i < n && is_digit(s[i]); i++, digits++) {
    if (significant < 19) {
      if (mantissa || s[i] != '0') {
        mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
        significant++;
      }
    } else {
      exponent10++;
      truncated |= s[i] != '0';
    }
  }
  if (i < n && s[i] == '.') {
    i++;
    for (; i < n && is_digit(s[i]); i++, digits++) {
      if (significant < 19) {
        if (mantissa || s[i] != '0') {
          mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
          significant++;
        }
        exponent10--;
      } else {
        truncated |= s[i] != '0';
      }
    }
  }
  if (digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool exp_negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      exp_negative = s[i] == '-';
      i++;
    }
    if (i == n) return false;
    int64_t e = 0;
    for (; i < n; i++) {
      if (!is_digit(s[i])) return false;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    exponent10 += exp_negative ? -e : e;
  }
  if (i != n) return false;
  /* Clinger's fast path: both the mantissa and the power of ten are exact doubles. */
  if (!truncated && mantissa <= ((uint64_t)1 << 53) && exponent10 >= -22 && exponent10 <= 22) {
    double v = (double)mantissa;
    v = exponent10 < 0 ? v / kPow10[-exponent10] : v * kPow10[exponent10];
    *out = negative ? -v : v;
    return true;
  }
  if (mantissa == 0 && !truncated) {
    *out = negative ? -0.0 : 0.0;
    return true;
  }
  return strtod_exact(s, n, out);
}

int64_t csv_days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

/* Reads `count` digits at s[*i] into *out; false if any is not a digit. */
static bool read_digits(const uint8_t *s, size_t n, size_t *i, int count, int *out) {
  if (*i + (size_t)count > n) return false;
  int v = 0;
  for (int k = 0; k < count; k++) {
    uint8_t c = s[*i + (size_t)k];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += (size_t)count;
  *out = v;
  return true;
}

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Parses YYYY-MM-DD at the start of s; days since the epoch. */
static bool parse_date_prefix(const uint8_t *s, size_t n, int64_t *out_days) {
  static const int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  size_t i = 0;
  int y, m, d;
  if (!read_digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-') return false;
  if (!read_digits(s, n, &i, 2, &m) || i >= n || s[i++] != '-') return false;
  if (!read_digits(s, n, &i, 2, &d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  int dim = kDaysInMonth[m - 1] + (m == 2 && is_leap(y));
  if (d > dim) return false;
  *out_days = csv_days_from_civil(y, (unsigned)m, (unsigned)d);
  return true;
}

bool csv_parse_date32(const uint8_t *s, size_t n, int32_t *out_days) {
  int64_t days;
  if (n != 10 || !parse_date_prefix(s, n, &days)) return false;
  *out_days = (int32_t)days;
  return true;
}

bool csv_parse_timestamp(const uint8_t *s, size_t n, int64_t *out_us, bool *out_has_zone) {
  int64_t days;
  if (n < 10 || !parse_date_prefix(s, n, &days)) return false;
  int64_t us = days * 86400 * INT64_C(1000000);
  *out_has_zone = false;
  if (n == 10) {
    *out_us = us;
    return true;
  }
  size_t i = 10;
  if (s[i] != 'T' && s[i] != ' ') return false;
  i++;
  int hh, mm, ss = 0;
  if (!read_digits(s, n, &i, 2, &hh) || i >= n || s[i++] != ':') return false;
  if (!read_digits(s, n, &i, 2, &mm)) return false;
  if (hh > 23 || mm > 59) return false;
  int64_t fraction_us = 0;
  if (i < n && s[i] == ':') {
    i++;
    if (!read_digits(s, n, &i, 2, &ss) || ss > 59) return false;
    if (i < n && s[i] == '.') {
      i++;
      int count = 0;
      for (; i < n && is_digit(s[i]); i++, count++) {
        if (count >= 9) return false;
        if (count < 6) fraction_us = fraction_us * 10 + (s[i] - '0');
      }
      if (count == 0) return false;
      for (int k = count; k < 6; k++) fraction_us *= 10;
    }
  }
  us += ((int64_t)hh * 3600 + (int64_t)mm * 60 + ss) * INT64_C(1000000) + fraction_us;
  if (i < n) {
    if (s[i] == 'Z' || s[i] == 'z') {
      i++;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i] == '-' ? -1 : 1;
      i++;
      int oh, om = 0;
      if (!read_digits(s, n, &i, 2, &oh)) return false;
      if (i < n && s[i] == ':') {
        i++;
        if (!read_digits(s, n, &i, 2, &om)) return false;
      } else if (i < n && !read_digits(s, n, &i, 2, &om)) {
        return false;
      }
      if (oh > 23 || om > 59) return false;
      /* Local time = UTC + offset, so UTC = local - offset. */
      us -= sign * ((int64_t)oh * 3600 + (int64_t)om * 60) * INT64_C(1000000);
    } else {
      return false;
    }
    if (i != n) return false;
    *out_has_zone = true;
  }
  *out_us = us;
  return true;
}

bool csv_has_leading_zero(const uint8_t *s, size_t n) {
  size_t i = (n > 0 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  return i + 1 < n && s[i] == '0' && is_digit(s[i + 1]);
}

csv_kind csv_classify(const uint8_t *s, size_t n) {
  if (n == 0) return CSV_KIND_UTF8;
  uint8_t c = lower(s[0]);
  if (c == 't' || c == 'f') {
    bool b;
    if (csv_parse_bool(s, n, &b)) return CSV_KIND_BOOL;
  }
  if (n >= 10 && s[4] == '-' && is_digit(s[0])) {
    int32_t days;
    if (csv_parse_date32(s, n, &days)) return CSV_KIND_DATE32;
    int64_t us;
    bool has_zone;
    if (csv_parse_timestamp(s, n, &us, &has_zone)) {
      return has_zone ? CSV_KIND_TIMESTAMP_TZ : CSV_KIND_TIMESTAMP;
    }
    return CSV_KIND_UTF8;
  }
  if (csv_has_leading_zero(s, n)) return CSV_KIND_UTF8;
  int64_t i64;
  if (csv_parse_int64(s, n, &i64)) return CSV_KIND_INT64;
  double f64;
  if (csv_parse_float64(s, n, &f64)) return CSV_KIND_FLOAT64;
  return CSV_KIND_UTF8;
}
