/*
 * strtime.c — see strtime.h. Calendar arithmetic uses H. Hinnant's era-based algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"), written from their description.
 */
#include "strtime.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define US_PER_SECOND INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)

static const char *const WEEKDAYS[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const MONTHS[12] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t qv_days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void qv_civil_from_days(int64_t days, int64_t *y, int64_t *m, int64_t *d) {
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/** Fields of one instant. */
typedef struct tm_fields {
  int64_t year, month, day, hour, minute, second, micros, days, weekday, yday;
} tm_fields;

static tm_fields fields_of(int64_t us) {
  tm_fields t;
  t.days = floor_div(us, US_PER_DAY);
  int64_t in_day = us - t.days * US_PER_DAY;
  qv_civil_from_days(t.days, &t.year, &t.month, &t.day);
  t.hour = in_day / (3600 * US_PER_SECOND);
  t.minute = in_day / (60 * US_PER_SECOND) % 60;
  t.second = in_day / US_PER_SECOND % 60;
  t.micros = in_day % US_PER_SECOND;
  t.weekday = ((t.days % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4) */
  t.yday = t.days - qv_days_from_civil(t.year, 1, 1) + 1;
  return t;
}

typedef struct writer {
  char *out;
  int64_t n, cap;
} writer;

static void put(writer *w, const char *s, int64_t len) {
  for (int64_t k = 0; k < len; k++) {
    if (w->n < w->cap) w->out[w->n] = s[k];
    w->n++;
  }
}

static void put_num(writer *w, int64_t v, int width, bool pad) {
  char buf[32];
  int len = pad ? snprintf(buf, sizeof buf, "%0*lld", width, (long long)v)
                : snprintf(buf, sizeof buf, "%lld", (long long)v);
  put(w, buf, len);
}

/** Writes one specifier `c`; false if unknown. */
static bool format_one(writer *w, char c, bool pad, const tm_fields *t) {
  int64_t h12 = t->hour % 12 == 0 ? 12 : t->hour % 12;
  switch (c) {
  case 'Y': put_num(w, t->year, 4, pad); return true;
  case 'y': put_num(w, ((t->year % 100) + 100) % 100, 2, pad); return true;
  case 'm': put_num(w, t->month, 2, pad); return true;
  case 'd': put_num(w, t->day, 2, pad); return true;
  case 'H': put_num(w, t->hour, 2, pad); return true;
  case 'I': put_num(w, h12, 2, pad); return true;
  case 'M': put_num(w, t->minute, 2, pad); return true;
  case 'S': put_num(w, t->second, 2, pad); return true;
  case 'f': put_num(w, t->micros, 6, true); return true;
  case 'g': put_num(w, t->micros / 1000, 3, true); return true;
  case 'j': put_num(w, t->yday, 3, pad); return true;
  case 'w': put_num(w, t->weekday, 1, false); return true;
  case 'u': put_num(w, t->weekday == 0 ? 7 : t->weekday, 1, false); return true;
  case 'p': put(w, t->hour < 12 ? "AM" : "PM", 2); return true;
  case 'a': put(w, WEEKDAYS[t->weekday], 3); return true;
  case 'A': put(w, WEEKDAYS[t->weekday], (int64_t)strlen(WEEKDAYS[t->weekday])); return true;
  case 'b':
  case 'h': put(w, MONTHS[t->month - 1], 3); return true;
  case 'B': put(w, MONTHS[t->month - 1], (int64_t)strlen(MONTHS[t->month - 1])); return true;
  case 'z': put(w, "+00", 3); return true;
  case 'Z': return true;
  case '%': put(w, "%", 1); return true;
  default: return false;
  }
}

int qv_strftime(int64_t us, const char *format, int64_t format_size_bytes, char *out,
                int64_t capacity_bytes, int64_t *size_bytes, qv_error *err) {
  tm_fields t = fields_of(us);
  writer w = {out, 0, capacity_bytes};
  for (int64_t k = 0; k < format_size_bytes; k++) {
    if (format[k] != '%' || k + 1 >= format_size_bytes) {
      put(&w, &format[k], 1);
      continue;
    }
    char c = format[++k];
    bool pad = true;
    if (c == '-' && k + 1 < format_size_bytes) {
      pad = false;
      c = format[++k];
    }
    const char *expand = c == 'c' ? "%Y-%m-%d %H:%M:%S" : c == 'x' ? "%Y-%m-%d" : c == 'X' ? "%H:%M:%S" : NULL;
    if (expand != NULL) {
      int64_t n = 0;
      int rc = qv_strftime(us, expand, (int64_t)strlen(expand), out + w.n,
                           w.n < capacity_bytes ? capacity_bytes - w.n : 0, &n, err);
      if (rc != QV_OK && rc != ERANGE) return rc;
      w.n += n;
    } else if (!format_one(&w, c, pad, &t)) {
      return qv_error_set(err, EINVAL, "strftime: unknown specifier %%%c in \"%.*s\"", c,
                          (int)format_size_bytes, format);
    }
  }
  *size_bytes = w.n;
  if (w.n > capacity_bytes) return qv_error_set(err, ERANGE, "strftime: output too long");
  return QV_OK;
}

/* ---- parsing ---------------------------------------------------------------------------- */

typedef struct reader {
  const char *s;
  int64_t i, n;
} reader;

/** Reads 1..max_digits digits (an optional sign when `sign`); -1 if none. */
static int read_int(reader *r, int max_digits, bool sign, int64_t *out) {
  bool neg = false;
  if (sign && r->i < r->n && (r->s[r->i] == '-' || r->s[r->i] == '+')) neg = r->s[r->i++] == '-';
  int64_t v = 0;
  int digits = 0;
  while (r->i < r->n && digits < max_digits && r->s[r->i] >= '0' && r->s[r->i] <= '9') {
    v = v * 10 + (r->s[r->i++] - '0');
    digits++;
  }
  if (digits == 0) return -1;
  *out = neg ? -v : v;
  return digits;
}

/** Matches a name from `names` (full or its first three letters), case-insensitively. */
static int read_name(reader *r, const char *const *names, int count, int64_t *out) {
  for (int k = 0; k < count; k++) {
    size_t lens[2] = {strlen(names[k]), 3};
    for (int j = 0; j < 2; j++) {
      if (r->i + (int64_t)lens[j] <= r->n && strncasecmp(r->s + r->i, names[k], lens[j]) == 0) {
        r->i += (int64_t)lens[j];
        *out = k;
        return 0;
      }
    }
  }
  return -1;
}

/** Parsed fields; -1 where absent. */
typedef struct parsed {
  int64_t year, month, day, hour, minute, second, micros, yday, offset_minutes;
  int pm; /* -1 none, 0 AM, 1 PM */
  bool hour12;
} parsed;

static int parse_zone(reader *r, parsed *p) {
  if (r->i < r->n && (r->s[r->i] == 'Z' || r->s[r->i] == 'z')) {
    r->i++;
    p->offset_minutes = 0;
    return 0;
  }
  if (r->i >= r->n || (r->s[r->i] != '+' && r->s[r->i] != '-')) return -1;
  int sign = r->s[r->i++] == '-' ? -1 : 1;
  int64_t hh = 0, mm = 0;
  if (read_int(r, 2, false, &hh) != 2) return -1;
  if (r->i < r->n && r->s[r->i] == ':') r->i++;
  if (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9' && read_int(r, 2, false, &mm) != 2) {
    return -1;
  }
  p->offset_minutes = sign * (hh * 60 + mm);
  return 0;
}

/** Parses one specifier `c`; 1 on success, 0 if the text does not match, -1 if unknown. */
static int parse_one(reader *r, char c, parsed *p) {
  int64_t v;
  switch (c) {
  case 'Y': return read_int(r, 4, true, &p->year) > 0;
  case 'y':
    if (read_int(r, 2, false, &v) <= 0) return 0;
    p->year = v <= 68 ? 2000 + v : 1900 + v;
    return 1;
  case 'm': return read_int(r, 2, false, &p->month) > 0;
  case 'd':
  case 'e': return read_int(r, 2, false, &p->day) > 0;
  case 'H': return read_int(r, 2, false, &p->hour) > 0;
  case 'I':
    p->hour12 = true;
    return read_int(r, 2, false, &p->hour) > 0;
  case 'M': return read_int(r, 2, false, &p->minute) > 0;
  case 'S': return read_int(r, 2, false, &p->second) > 0;
  case 'j': return read_int(r, 3, false, &p->yday) > 0;
  case 'f':
  case 'g': {
    int digits = read_int(r, c == 'f' ? 6 : 3, false, &v);
    if (digits <= 0) return 0;
    for (int k = digits; k < 6; k++) v *= 10;
    p->micros = v;
    return 1;
  }
  case 'p':
    if (r->i + 2 > r->n) return 0;
    if (strncasecmp(r->s + r->i, "AM", 2) == 0) p->pm = 0;
    else if (strncasecmp(r->s + r->i, "PM", 2) == 0) p->pm = 1;
    else return 0;
    r->i += 2;
    return 1;
  case 'a':
  case 'A': return read_name(r, WEEKDAYS, 7, &v) == 0;
  case 'b':
  case 'h':
  case 'B':
    if (read_name(r, MONTHS, 12, &v) != 0) return 0;
    p->month = v + 1;
    return 1;
  case 'w':
  case 'u': return read_int(r, 1, false, &v) > 0;
  case 'z': return parse_zone(r, p) == 0;
  case '%':
    if (r->i >= r->n || r->s[r->i] != '%') return 0;
    r->i++;
    return 1;
  default: return -1;
  }
}

static int days_in_month(int64_t y, int64_t m) {
  static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : DAYS[m - 1];
}

static int mismatch(qv_error *err, const char *text, int64_t n, int64_t at, const char *format,
                    int64_t fn, const char *what) {
  return qv_error_set(err, EINVAL, "\"%.*s\" does not match the format \"%.*s\": %s at byte %lld",
                      (int)(n > 64 ? 64 : n), text, (int)fn, format, what, (long long)at + 1);
}

int qv_strptime(const char *text, int64_t size_bytes, const char *format,
                int64_t format_size_bytes, int64_t *us, qv_error *err) {
  parsed p = {1970, 1, 1, 0, 0, 0, 0, -1, 0, -1, false};
  reader r = {text, 0, size_bytes};
  for (int64_t k = 0; k < format_size_bytes; k++) {
    if (format[k] != '%' || k + 1 >= format_size_bytes) {
      if (r.i >= r.n || text[r.i] != format[k]) {
        return mismatch(err, text, size_bytes, r.i, format, format_size_bytes, "literal text differs");
      }
      r.i++;
      continue;
    }
    char c = format[++k];
    if (c == '-' && k + 1 < format_size_bytes) c = format[++k];
    int ok = parse_one(&r, c, &p);
    if (ok < 0) {
      return qv_error_set(err, EINVAL, "strptime: unknown specifier %%%c in \"%.*s\"", c,
                          (int)format_size_bytes, format);
    }
    if (ok == 0) {
      char what[32];
      snprintf(what, sizeof what, "%%%c expected", c);
      return mismatch(err, text, size_bytes, r.i, format, format_size_bytes, what);
    }
  }
  if (r.i != r.n) return mismatch(err, text, size_bytes, r.i, format, format_size_bytes, "text left over");
  if (p.hour12) {
    if (p.hour < 1 || p.hour > 12) return mismatch(err, text, size_bytes, 0, format, format_size_bytes, "hour out of range");
    p.hour = p.hour % 12 + (p.pm == 1 ? 12 : 0);
  } else if (p.pm == 1 && p.hour < 12) {
    p.hour += 12;
  }
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > days_in_month(p.year, p.month) ||
      p.hour > 23 || p.minute > 59 || p.second > 59) {
    return mismatch(err, text, size_bytes, 0, format, format_size_bytes, "a field is out of range");
  }
  int64_t days = p.yday > 0 ? qv_days_from_civil(p.year, 1, 1) + p.yday - 1
                            : qv_days_from_civil(p.year, p.month, p.day);
  int64_t secs = days * 86400 + p.hour * 3600 + p.minute * 60 + p.second - p.offset_minutes * 60;
  if (__builtin_mul_overflow(secs, US_PER_SECOND, us)) {
    return mismatch(err, text, size_bytes, 0, format, format_size_bytes, "out of range");
  }
  *us += p.micros;
  return QV_OK;
}
