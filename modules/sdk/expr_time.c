/*
 * expr_time.c — the date and time functions of the expression evaluator (see
 * expr_internal.h): minute, second, week (ISO 8601), dayofweek (0 = Sunday), quarter,
 * date_trunc, date_diff, date_add, strftime and strptime. Dates are days and timestamps
 * microseconds since 1970-01-01 (UTC). Semantics follow DuckDB (modules/derive/time.test.ts)
 * except that date_trunc and date_add keep a date a date for parts of a day or more
 * (DuckDB gives a timestamp).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr_internal.h"
#include "strtime.h"

#define US_PER_SECOND INT64_C(1000000)
#define US_PER_MINUTE INT64_C(60000000)
#define US_PER_HOUR INT64_C(3600000000)
#define US_PER_DAY INT64_C(86400000000)

typedef enum { P_YEAR, P_QUARTER, P_MONTH, P_WEEK, P_DAY, P_HOUR, P_MINUTE, P_SECOND, P_COUNT } part;

static const char *const PART_NAMES[P_COUNT] = {"year", "quarter", "month",  "week",
                                                "day",  "hour",    "minute", "second"};

static int part_of(const qv_expr_node_ *n) {
  for (int p = 0; p < P_COUNT; p++) {
    if ((size_t)n->str_size_bytes == strlen(PART_NAMES[p]) &&
        strncasecmp(n->str_value, PART_NAMES[p], (size_t)n->str_size_bytes) == 0) {
      return p;
    }
  }
  return -1;
}

int qv_expr_check_part_(const qv_expr_node_ *n, qv_error *err) {
  if (n->op != QV_OP_LITERAL_ || n->is_null || n->type != QV_EXPR_UTF8 || part_of(n) < 0) {
    return qv_error_set(err, EINVAL,
                        "compiled expression: the part must be a literal year, quarter, month, "
                        "week, day, hour, minute or second");
  }
  return QV_OK;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t days_of(qv_expr_type t, int64_t v) {
  return t == QV_EXPR_DATE32 ? v : floor_div(v, US_PER_DAY);
}

/** ISO 8601 week number of `days`: the week (Monday first) holding the year's first Thursday
 * is week 1. */
static int64_t iso_week(int64_t days) {
  int64_t monday_based = ((days + 3) % 7 + 7) % 7; /* 0 = Monday */
  int64_t thursday = days - monday_based + 3;
  int64_t y, m, d;
  qv_civil_from_days(thursday, &y, &m, &d);
  return (thursday - qv_days_from_civil(y, 1, 1)) / 7 + 1;
}

static int64_t simple_part(qv_expr_op_ op, qv_expr_type t, int64_t v) {
  int64_t days = days_of(t, v);
  int64_t in_day = t == QV_EXPR_DATE32 ? 0 : v - days * US_PER_DAY;
  int64_t y, m, d;
  switch (op) {
  case QV_OP_MINUTE_:
    return in_day / US_PER_MINUTE % 60;
  case QV_OP_SECOND_:
    return in_day / US_PER_SECOND % 60;
  case QV_OP_WEEK_:
    return iso_week(days);
  case QV_OP_DAYOFWEEK_:
    return ((days + 4) % 7 + 7) % 7;
  default: /* QUARTER */
    qv_civil_from_days(days, &y, &m, &d);
    return (m - 1) / 3 + 1;
  }
}

/** date_trunc: the start of v's part, in v's type. */
static int64_t trunc_to(int p, qv_expr_type t, int64_t v) {
  if (p >= P_HOUR) {
    int64_t unit = p == P_HOUR ? US_PER_HOUR : p == P_MINUTE ? US_PER_MINUTE : US_PER_SECOND;
    return floor_div(v, unit) * unit;
  }
  int64_t days = days_of(t, v), y, m, d;
  qv_civil_from_days(days, &y, &m, &d);
  if (p == P_YEAR) days = qv_days_from_civil(y, 1, 1);
  if (p == P_QUARTER) days = qv_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
  if (p == P_MONTH) days = qv_days_from_civil(y, m, 1);
  if (p == P_WEEK) days -= ((days + 3) % 7 + 7) % 7; /* back to Monday */
  return t == QV_EXPR_DATE32 ? days : days * US_PER_DAY;
}

/** date_diff: part boundaries crossed from a to b (DuckDB: calendar parts compare year,
 * quarter and month numbers; week is whole days / 7; smaller parts compare truncated units). */
static int64_t diff(int p, qv_expr_type t, int64_t a, int64_t b) {
  int64_t ya, ma, da, yb, mb, db;
  int64_t days_a = days_of(t, a), days_b = days_of(t, b);
  qv_civil_from_days(days_a, &ya, &ma, &da);
  qv_civil_from_days(days_b, &yb, &mb, &db);
  switch (p) {
  case P_YEAR:
    return yb - ya;
  case P_QUARTER:
    return (yb * 4 + (mb - 1) / 3) - (ya * 4 + (ma - 1) / 3);
  case P_MONTH:
    return (yb * 12 + mb) - (ya * 12 + ma);
  case P_WEEK:
    return (days_b - days_a) / 7;
  case P_DAY:
    return days_b - days_a;
  default: {
    if (t == QV_EXPR_DATE32) {
      int64_t per_day = p == P_HOUR ? 24 : p == P_MINUTE ? 1440 : 86400;
      return (days_b - days_a) * per_day;
    }
    int64_t unit = p == P_HOUR ? US_PER_HOUR : p == P_MINUTE ? US_PER_MINUTE : US_PER_SECOND;
    return floor_div(b, unit) - floor_div(a, unit);
  }
  }
}

/** date_add: v plus n parts; months clamp the day to the month's last. False on overflow. */
static bool add(int p, qv_expr_type t, int64_t v, int64_t n, int64_t *out) {
  int64_t days = days_of(t, v), in_day = t == QV_EXPR_DATE32 ? 0 : v - days * US_PER_DAY;
  if (n > INT64_C(1) << 40 || n < -(INT64_C(1) << 40)) return false;
  if (p <= P_MONTH) {
    int64_t y, m, d;
    qv_civil_from_days(days, &y, &m, &d);
    int64_t months = y * 12 + (m - 1) + n * (p == P_YEAR ? 12 : p == P_QUARTER ? 3 : 1);
    y = floor_div(months, 12);
    m = months - y * 12 + 1;
    int64_t last = qv_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                   qv_days_from_civil(y, m, 1);
    days = qv_days_from_civil(y, m, d < last ? d : last);
  } else if (p <= P_DAY) {
    days += n * (p == P_WEEK ? 7 : 1);
  } else {
    int64_t unit = p == P_HOUR ? US_PER_HOUR : p == P_MINUTE ? US_PER_MINUTE : US_PER_SECOND;
    int64_t delta;
    if (__builtin_mul_overflow(n, unit, &delta)) return false;
    return !__builtin_add_overflow(v, delta, out);
  }
  if (t == QV_EXPR_DATE32) {
    *out = days;
    return days >= INT32_MIN && days <= INT32_MAX;
  }
  return !__builtin_mul_overflow(days, US_PER_DAY, out) && !__builtin_add_overflow(*out, in_day, out);
}

/** date_add's result at row i out of range: names the date or timestamp and the parts added. */
static int add_fault(const qv_call_ *c, int p, qv_expr_type at, int64_t i) {
  char when[64], value[128];
  qv_expr_value_text_(&c->args[2], at, i, when, sizeof when);
  snprintf(value, sizeof value, "%s + %lld %s", when, (long long)c->args[1].ints[i],
           PART_NAMES[p]);
  return qv_expr_fault_(c->err, "date_add out of range", value, i);
}

static int eval_strftime(const qv_call_ *c, qv_expr_type at, qv_vec_ *v) {
  qv_strout_ o;
  int rc = qv_strout_init_(&o, v, 32 * v->n_rows, c->err);
  char buf[256];
  for (int64_t i = 0; i < v->n_rows && rc == QV_OK; i++) {
    if (!c->mask[i] || !c->args[0].valid[i] || !c->args[1].valid[i]) continue;
    int64_t us = at == QV_EXPR_DATE32 ? c->args[0].ints[i] * US_PER_DAY : c->args[0].ints[i];
    qv_str f = c->args[1].strs[i];
    int64_t n = 0;
    rc = qv_strftime(us, f.data, f.size_bytes, buf, sizeof buf, &n, c->err);
    if (rc == ERANGE) {
      rc = qv_error_set(c->err, ERANGE,
                        "strftime: result longer than 256 bytes at row %lld of the batch",
                        (long long)i);
    }
    if (rc == QV_OK) rc = qv_strout_put_(&o, buf, n);
    if (rc == QV_OK) qv_strout_row_(&o, i);
  }
  if (rc == QV_OK) qv_strout_finish_(&o);
  else qv_strout_free_(&o);
  return rc;
}

int qv_expr_eval_time_(const qv_call_ *c, qv_vec_ *v) {
  const qv_expr_node_ *n = c->node;
  qv_expr_op_ op = n->op;
  const qv_vec_ *a = c->args;
  qv_expr_type at = c->nodes[n->args[n->n_args - 1]].type;
  if (op == QV_OP_STRFTIME_) return eval_strftime(c, c->nodes[n->args[0]].type, v);
  int p = op == QV_OP_DATE_TRUNC_ || op == QV_OP_DATE_DIFF_ || op == QV_OP_DATE_ADD_
              ? part_of(&c->nodes[n->args[0]])
              : -1;
  for (int64_t i = 0; i < v->n_rows; i++) {
    if (!c->mask[i]) continue;
    bool valid = true;
    for (int32_t k = 0; k < n->n_args; k++) valid = valid && a[k].valid[i];
    if (!valid) continue;
    v->valid[i] = 1;
    switch (op) {
    case QV_OP_DATE_TRUNC_:
      v->ints[i] = trunc_to(p, at, a[1].ints[i]);
      break;
    case QV_OP_DATE_DIFF_:
      v->ints[i] = diff(p, at, a[1].ints[i], a[2].ints[i]);
      break;
    case QV_OP_DATE_ADD_:
      if (!add(p, at, a[2].ints[i], a[1].ints[i], &v->ints[i])) return add_fault(c, p, at, i);
      break;
    case QV_OP_STRPTIME_: {
      qv_str s = a[0].strs[i], f = a[1].strs[i];
      int rc = qv_strptime(s.data, s.size_bytes, f.data, f.size_bytes, &v->ints[i], c->err);
      if (rc != QV_OK) {
        return qv_error_set(c->err, rc, "strptime: %s at row %lld of the batch",
                            c->err ? c->err->message : "no match",
                            (long long)i);
      }
      break;
    }
    default:
      v->ints[i] = simple_part(op, at, a[0].ints[i]);
    }
  }
  return QV_OK;
}
