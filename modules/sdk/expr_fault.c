/*
 * expr_fault.c — runtime faults of the expression evaluator (see expr_internal.h): the
 * message names the fault, the value(s) that caused it and the row, in the one wording that
 * modules/filter, modules/derive and src/runtime/row-words.ts read:
 * `expression: <what> (<value>) at row <row> of the batch`.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"
#include "strtime.h"

#define US_PER_DAY INT64_C(86400000000)

/** `x` in the fewest significant digits that read back as the same double, in fixed notation
 * for decimal exponents in [-5, 15] (`-3.2`, `100`, `0.0001`), else scientific (`1e+20`). */
static void shortest_double(double x, char *buf, size_t size_bytes) {
  if (isnan(x) || isinf(x)) {
    snprintf(buf, size_bytes, "%s", isnan(x) ? "nan" : x < 0 ? "-inf" : "inf");
    return;
  }
  int precision = 0;
  for (; precision < 17; precision++) {
    snprintf(buf, size_bytes, "%.*e", precision, x);
    if (strtod(buf, NULL) == x) break;
  }
  int exponent = atoi(strchr(buf, 'e') + 1);
  if (exponent < -5 || exponent > 15) return;
  snprintf(buf, size_bytes, "%.*f", precision > exponent ? precision - exponent : 0, x);
}

static void date_text(int64_t days, char *buf, size_t size_bytes) {
  int64_t y, m, d;
  qv_civil_from_days(days, &y, &m, &d);
  snprintf(buf, size_bytes, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
}

static void timestamp_text(int64_t us, char *buf, size_t size_bytes) {
  int64_t days = us / US_PER_DAY - (us % US_PER_DAY < 0);
  int64_t in_day = us - days * US_PER_DAY;
  char date[32];
  date_text(days, date, sizeof date);
  snprintf(buf, size_bytes, "%s %02lld:%02lld:%02lld", date, (long long)(in_day / 3600000000),
           (long long)(in_day / 60000000 % 60), (long long)(in_day / 1000000 % 60));
  if (in_day % 1000000 != 0) {
    size_t len = strlen(buf);
    snprintf(buf + len, size_bytes - len, ".%06lld", (long long)(in_day % 1000000));
  }
}

void qv_expr_value_text_(const qv_vec_ *v, qv_expr_type t, int64_t row, char *buf,
                         size_t size_bytes) {
  switch (t) {
  case QV_EXPR_FLOAT64:
    shortest_double(v->floats[row], buf, size_bytes);
    break;
  case QV_EXPR_DATE32:
    date_text(v->ints[row], buf, size_bytes);
    break;
  case QV_EXPR_TIMESTAMP:
    timestamp_text(v->ints[row], buf, size_bytes);
    break;
  default:
    snprintf(buf, size_bytes, "%lld", (long long)v->ints[row]);
  }
}

int qv_expr_fault_(qv_error *err, const char *what, const char *value, int64_t row) {
  return qv_error_set(err, ERANGE, "expression: %s (%s) at row %lld of the batch", what, value,
                      (long long)row);
}
