/*
 * expr_eval.c — vectorised evaluation of a checked qv_expr over a record batch (see expr.h).
 *
 * Each node computes a whole column (qv_vec_: a validity byte per row plus values). Evaluation
 * carries a row mask: `if` evaluates each branch only on the rows that take it, and
 * `coalesce` each argument only where the previous ones were null, so a guarded fault
 * (`if(x > 0, ln(x), 0)`) is not raised, as in SQL's CASE. Rows outside the mask are null.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"

#define US_PER_DAY INT64_C(86400000000)
#define US_PER_HOUR INT64_C(3600000000)

typedef struct evaluator {
  const qv_expr *expr;
  const qv_batch *batch;
  qv_error *err;
} evaluator;

static void vec_free(qv_vec_ *v) {
  free(v->valid);
  free(v->ints);
  free(v->floats);
  free(v->bools);
  free(v->strs);
  free(v->arena);
  memset(v, 0, sizeof *v);
}

/** Allocates a vector of `type` for n rows, all invalid. */
static int vec_init(evaluator *ev, qv_vec_ *v, qv_expr_type type, int64_t n) {
  memset(v, 0, sizeof *v);
  v->n_rows = n;
  size_t rows = (size_t)(n > 0 ? n : 1);
  v->valid = calloc(rows, 1);
  switch (type) {
  case QV_EXPR_FLOAT64:
    v->floats = calloc(rows, sizeof *v->floats);
    break;
  case QV_EXPR_BOOL:
    v->bools = calloc(rows, 1);
    break;
  case QV_EXPR_UTF8:
    v->strs = calloc(rows, sizeof *v->strs);
    break;
  default:
    v->ints = calloc(rows, sizeof *v->ints);
  }
  if (v->valid == NULL || (v->floats == NULL && v->bools == NULL && v->strs == NULL &&
                           v->ints == NULL)) {
    vec_free(v);
    return qv_error_set(ev->err, ENOMEM, "expression: out of memory for %lld rows",
                        (long long)n);
  }
  return QV_OK;
}

/** A fault at row `i` caused by the value of `a` there (of type `t`). */
static int fault(evaluator *ev, const char *what, const qv_vec_ *a, qv_expr_type t, int64_t i) {
  char value[64];
  qv_expr_value_text_(a, t, i, value, sizeof value);
  return qv_expr_fault_(ev->err, what, value, i);
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- loading columns -------------------------------------------------------------------- */

/* Fast path for plain (not dictionary-encoded) fixed-width columns whose values convert
 * without checks: reads the buffers directly instead of calling a getter per row. Returns
 * false for other columns, which take the general path. */
#define QV_LOAD_LOOP_(CTYPE, DEST)                                                          \
  for (int64_t i = 0; i < rows; i++) {                                                    \
    if (mask[i] && (valid == NULL || ((valid[i >> 3] >> (i & 7)) & 1))) {                 \
      v->valid[i] = 1;                                                                    \
      v->DEST[i] = ((const CTYPE *)col->values)[i];                                        \
    }                                                                                     \
  }

static bool load_plain(const qv_column *col, const uint8_t *mask, qv_vec_ *v) {
  const uint8_t *valid = col->validity;
  int64_t rows = v->n_rows;
  if (col->values == NULL && rows > 0) return false;
  switch (col->type.id) {
  case QV_TYPE_INT8:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(int8_t, ints)
    return true;
  case QV_TYPE_INT16:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(int16_t, ints)
    return true;
  case QV_TYPE_INT32:
  case QV_TYPE_DATE32:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(int32_t, ints)
    return true;
  case QV_TYPE_INT64:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(int64_t, ints)
    return true;
  case QV_TYPE_UINT8:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(uint8_t, ints)
    return true;
  case QV_TYPE_UINT16:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(uint16_t, ints)
    return true;
  case QV_TYPE_UINT32:
    if (!v->ints) return false;
    QV_LOAD_LOOP_(uint32_t, ints)
    return true;
  case QV_TYPE_FLOAT32:
    if (!v->floats) return false;
    QV_LOAD_LOOP_(float, floats)
    return true;
  case QV_TYPE_FLOAT64:
    if (!v->floats) return false;
    QV_LOAD_LOOP_(double, floats)
    return true;
  default:
    return false;
  }
}

#undef QV_LOAD_LOOP_

static int load_column(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask, qv_vec_ *v) {
  const qv_column *col = &ev->batch->columns[n->column];
  const qv_type *t = &ev->expr->schema.fields[n->column].type;
  int64_t rows = v->n_rows;
  if (col->length < rows) {
    return qv_error_set(ev->err, EINVAL, "expression: column %lld has %lld rows, batch %lld",
                        (long long)n->column, (long long)col->length, (long long)rows);
  }
  if (!t->dictionary && load_plain(col, mask, v)) return QV_OK;
  for (int64_t i = 0; i < rows; i++) {
    if (!mask[i] || qv_column_is_null(col, i)) continue;
    v->valid[i] = 1;
    switch (n->type) {
    case QV_EXPR_INT64:
      if (t->id == QV_TYPE_UINT64) {
        uint64_t u = qv_column_uint64_at(col, i);
        if (u > (uint64_t)INT64_MAX) {
          char value[32];
          snprintf(value, sizeof value, "%llu", (unsigned long long)u);
          return qv_expr_fault_(ev->err, "uint64 value above the int64 range", value, i);
        }
        v->ints[i] = (int64_t)u;
      } else {
        v->ints[i] = qv_column_int64_at(col, i);
      }
      break;
    case QV_EXPR_FLOAT64:
      v->floats[i] = qv_column_double_at(col, i);
      break;
    case QV_EXPR_BOOL:
      v->bools[i] = qv_column_bool_at(col, i);
      break;
    case QV_EXPR_UTF8:
      v->strs[i] = qv_column_str_at(col, i);
      break;
    case QV_EXPR_DATE32: {
      int64_t raw = qv_column_int64_at(col, i);
      v->ints[i] = t->id == QV_TYPE_DATE64 ? floor_div(raw, 86400000) : raw;
      break;
    }
    case QV_EXPR_TIMESTAMP: {
      int64_t raw = qv_column_int64_at(col, i), us = raw;
      bool overflow = false;
      if (t->unit == QV_TIME_UNIT_SECOND) overflow = __builtin_mul_overflow(raw, 1000000, &us);
      if (t->unit == QV_TIME_UNIT_MILLISECOND) overflow = __builtin_mul_overflow(raw, 1000, &us);
      if (t->unit == QV_TIME_UNIT_NANOSECOND) us = floor_div(raw, 1000);
      if (overflow) {
        char value[40];
        snprintf(value, sizeof value, "%lld %s", (long long)raw,
                 t->unit == QV_TIME_UNIT_SECOND ? "s" : "ms");
        return qv_expr_fault_(ev->err, "timestamp out of the microsecond range", value, i);
      }
      v->ints[i] = us;
      break;
    }
    default:
      return qv_error_set(ev->err, EINVAL, "expression: bad column type");
    }
  }
  return QV_OK;
}

static int load_literal(const qv_expr_node_ *n, const uint8_t *mask, qv_vec_ *v) {
  if (n->is_null) return QV_OK;
  for (int64_t i = 0; i < v->n_rows; i++) {
    if (!mask[i]) continue;
    v->valid[i] = 1;
    switch (n->type) {
    case QV_EXPR_FLOAT64:
      v->floats[i] = n->float_value;
      break;
    case QV_EXPR_BOOL:
      v->bools[i] = (uint8_t)n->int_value;
      break;
    case QV_EXPR_UTF8:
      v->strs[i] = (qv_str){n->str_value, n->str_size_bytes};
      break;
    default:
      v->ints[i] = n->int_value;
    }
  }
  return QV_OK;
}

/* ---- comparison helpers ----------------------------------------------------------------- */

/** Total order on doubles as in DuckDB: NaN equals NaN and sorts above everything. */
static int cmp_double(double a, double b) {
  bool an = isnan(a), bn = isnan(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return a < b ? -1 : (a > b ? 1 : 0);
}

static int cmp_str(qv_str a, qv_str b) {
  int64_t m = a.size_bytes < b.size_bytes ? a.size_bytes : b.size_bytes;
  int c = m > 0 ? memcmp(a.data, b.data, (size_t)m) : 0;
  if (c != 0) return c < 0 ? -1 : 1;
  return a.size_bytes < b.size_bytes ? -1 : (a.size_bytes > b.size_bytes ? 1 : 0);
}

static bool cmp_holds(qv_expr_op_ op, int c) {
  switch (op) {
  case QV_OP_EQ_:
    return c == 0;
  case QV_OP_NE_:
    return c != 0;
  case QV_OP_LT_:
    return c < 0;
  case QV_OP_LE_:
    return c <= 0;
  case QV_OP_GT_:
    return c > 0;
  default:
    return c >= 0;
  }
}

/* ---- strings ---------------------------------------------------------------------------- */

static int64_t utf8_length(qv_str s) {
  int64_t n = 0;
  for (int64_t k = 0; k < s.size_bytes; k++) n += ((unsigned char)s.data[k] & 0xC0) != 0x80;
  return n;
}

static bool str_contains(qv_str h, qv_str nd) {
  if (nd.size_bytes == 0) return true;
  for (int64_t k = 0; k + nd.size_bytes <= h.size_bytes; k++) {
    if (h.data[k] == nd.data[0] && memcmp(h.data + k, nd.data, (size_t)nd.size_bytes) == 0) {
      return true;
    }
  }
  return false;
}

/* ---- dates ------------------------------------------------------------------------------ */

/** Proleptic Gregorian year, month and day of `days` since 1970-01-01 (the era-based method
 * of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
static void civil_from_days(int64_t days, int64_t *y, int64_t *m, int64_t *d) {
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static int64_t date_part(qv_expr_op_ op, qv_expr_type t, int64_t v) {
  int64_t days = t == QV_EXPR_DATE32 ? v : floor_div(v, US_PER_DAY);
  if (op == QV_OP_HOUR_) {
    return t == QV_EXPR_DATE32 ? 0 : (v - days * US_PER_DAY) / US_PER_HOUR;
  }
  int64_t y, m, d;
  civil_from_days(days, &y, &m, &d);
  return op == QV_OP_YEAR_ ? y : (op == QV_OP_MONTH_ ? m : d);
}

/* ---- numbers ---------------------------------------------------------------------------- */

/** round(x, digits) as DuckDB computes it: scale by 10^digits, round half away from zero,
 * scale back; an infinite or NaN intermediate gives x unchanged. */
static double round_digits(double x, int64_t digits) {
  if (digits > 400) digits = 400;
  if (digits < -400) digits = -400;
  double r;
  if (digits < 0) {
    double mod = pow(10.0, (double)-digits);
    r = round(x / mod) * mod;
  } else {
    double mod = pow(10.0, (double)digits);
    r = round(x * mod) / mod;
  }
  return (isinf(r) || isnan(r)) ? x : r;
}

static int arith_int(evaluator *ev, qv_expr_op_ op, int64_t a, int64_t b, int64_t row,
                     int64_t *out, bool *is_null) {
  bool overflow = false;
  switch (op) {
  case QV_OP_ADD_:
    overflow = __builtin_add_overflow(a, b, out);
    break;
  case QV_OP_SUB_:
    overflow = __builtin_sub_overflow(a, b, out);
    break;
  case QV_OP_MUL_:
    overflow = __builtin_mul_overflow(a, b, out);
    break;
  default: /* MOD: SQL remainder, sign of the dividend; x % 0 is null */
    if (b == 0) {
      *is_null = true;
      return QV_OK;
    }
    overflow = a == INT64_MIN && b == -1;
    if (!overflow) *out = a % b;
  }
  if (!overflow) return QV_OK;
  char value[64];
  char symbol = op == QV_OP_ADD_ ? '+' : op == QV_OP_SUB_ ? '-' : op == QV_OP_MUL_ ? '*' : '%';
  snprintf(value, sizeof value, "%lld %c %lld", (long long)a, symbol, (long long)b);
  return qv_expr_fault_(ev->err, "int64 overflow", value, row);
}

/* ---- the evaluator ---------------------------------------------------------------------- */

static int eval_node(evaluator *ev, int32_t index, const uint8_t *mask, qv_vec_ *v);

/** Evaluates the arguments of a node of one or two arguments with `mask` into `a`. */
static int eval_args(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask, qv_vec_ *a) {
  for (int32_t i = 0; i < n->n_args && i < 2; i++) {
    int rc = eval_node(ev, n->args[i], mask, &a[i]);
    if (rc != QV_OK) {
      for (int32_t j = 0; j < i; j++) vec_free(&a[j]);
      return rc;
    }
  }
  return QV_OK;
}

/** Copies the bytes of every valid string of `v` into `v`'s own arena (so views outlive the
 * vectors they came from). */
static int own_strings(evaluator *ev, qv_vec_ *v) {
  int64_t total = 0;
  for (int64_t i = 0; i < v->n_rows; i++) {
    if (v->valid[i]) total += v->strs[i].size_bytes;
  }
  char *arena = malloc((size_t)(total > 0 ? total : 1));
  if (arena == NULL) return qv_error_set(ev->err, ENOMEM, "expression: out of memory");
  char *p = arena;
  for (int64_t i = 0; i < v->n_rows; i++) {
    if (!v->valid[i]) continue;
    if (v->strs[i].size_bytes > 0) memcpy(p, v->strs[i].data, (size_t)v->strs[i].size_bytes);
    v->strs[i].data = p;
    p += v->strs[i].size_bytes;
  }
  free(v->arena);
  v->arena = arena;
  return QV_OK;
}

static int eval_if(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask, qv_vec_ *v) {
  int64_t rows = v->n_rows;
  qv_vec_ cond, a, b;
  int rc = eval_node(ev, n->args[0], mask, &cond);
  if (rc != QV_OK) return rc;
  uint8_t *take = malloc((size_t)(rows > 0 ? rows : 1));
  uint8_t *skip = malloc((size_t)(rows > 0 ? rows : 1));
  if (take == NULL || skip == NULL) {
    rc = qv_error_set(ev->err, ENOMEM, "expression: out of memory");
  } else {
    for (int64_t i = 0; i < rows; i++) {
      take[i] = mask[i] && cond.valid[i] && cond.bools[i];
      skip[i] = mask[i] && !take[i];
    }
    rc = eval_node(ev, n->args[1], take, &a);
    if (rc == QV_OK) {
      rc = eval_node(ev, n->args[2], skip, &b);
      if (rc == QV_OK) {
        for (int64_t i = 0; i < rows; i++) {
          const qv_vec_ *src = take[i] ? &a : &b;
          v->valid[i] = src->valid[i];
          if (v->ints) v->ints[i] = src->ints[i];
          if (v->floats) v->floats[i] = src->floats[i];
          if (v->bools) v->bools[i] = src->bools[i];
          if (v->strs) v->strs[i] = src->strs[i];
        }
        /* String views may point into a's or b's arenas, which are freed below. */
        if (v->strs) rc = own_strings(ev, v);
        vec_free(&b);
      }
      vec_free(&a);
    }
  }
  free(take);
  free(skip);
  vec_free(&cond);
  return rc;
}

static int eval_coalesce(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask,
                         qv_vec_ *v) {
  int64_t rows = v->n_rows;
  uint8_t *todo = malloc((size_t)(rows > 0 ? rows : 1));
  if (todo == NULL) return qv_error_set(ev->err, ENOMEM, "expression: out of memory");
  memcpy(todo, mask, (size_t)rows);
  int rc = QV_OK;
  for (int32_t k = 0; k < n->n_args && rc == QV_OK; k++) {
    qv_vec_ a;
    rc = eval_node(ev, n->args[k], todo, &a);
    if (rc != QV_OK) break;
    for (int64_t i = 0; i < rows; i++) {
      if (!todo[i] || !a.valid[i]) continue;
      todo[i] = 0;
      v->valid[i] = 1;
      if (v->ints) v->ints[i] = a.ints[i];
      if (v->floats) v->floats[i] = a.floats[i];
      if (v->bools) v->bools[i] = a.bools[i];
      if (v->strs) v->strs[i] = a.strs[i];
    }
    if (v->strs) {
      /* Keep the bytes chosen so far before `a` goes away: copy into v's arena. */
      rc = own_strings(ev, v);
    }
    vec_free(&a);
  }
  free(todo);
  return rc;
}

/* Row loop over rows in the mask where both arguments are valid (validity and mask are 0/1
 * bytes, so & combines them). */
#define QV_FAST_LOOP_(STMT)                                                                 \
  for (int64_t i = 0; i < rows; i++) {                                                      \
    if (mask[i] & va[i] & vb[i]) {                                                          \
      v->valid[i] = 1;                                                                      \
      STMT;                                                                                 \
    }                                                                                       \
  }                                                                                         \
  return true

/**
 * Fast paths of `kernel` for the commonest operations (comparisons of int64 and float64,
 * float64 + - * /): the same results, with the operation chosen once instead of per row.
 * Returns false for anything else.
 */
static bool fast_kernel(qv_expr_op_ op, qv_expr_type type, qv_expr_type at, const qv_vec_ *a,
                        const uint8_t *mask, qv_vec_ *v) {
  const uint8_t *va = a[0].valid, *vb = a[1].valid;
  int64_t rows = v->n_rows;
  if (type == QV_EXPR_BOOL && at == QV_EXPR_INT64) {
    const int64_t *x = a[0].ints, *y = a[1].ints;
    switch (op) {
    case QV_OP_EQ_: QV_FAST_LOOP_(v->bools[i] = x[i] == y[i]);
    case QV_OP_NE_: QV_FAST_LOOP_(v->bools[i] = x[i] != y[i]);
    case QV_OP_LT_: QV_FAST_LOOP_(v->bools[i] = x[i] < y[i]);
    case QV_OP_LE_: QV_FAST_LOOP_(v->bools[i] = x[i] <= y[i]);
    case QV_OP_GT_: QV_FAST_LOOP_(v->bools[i] = x[i] > y[i]);
    case QV_OP_GE_: QV_FAST_LOOP_(v->bools[i] = x[i] >= y[i]);
    default: return false;
    }
  }
  if (type == QV_EXPR_BOOL && at == QV_EXPR_FLOAT64) {
    const double *x = a[0].floats, *y = a[1].floats;
    switch (op) {
    case QV_OP_EQ_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) == 0);
    case QV_OP_NE_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) != 0);
    case QV_OP_LT_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) < 0);
    case QV_OP_LE_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) <= 0);
    case QV_OP_GT_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) > 0);
    case QV_OP_GE_: QV_FAST_LOOP_(v->bools[i] = cmp_double(x[i], y[i]) >= 0);
    default: return false;
    }
  }
  if (type == QV_EXPR_FLOAT64 && at == QV_EXPR_FLOAT64) {
    const double *x = a[0].floats, *y = a[1].floats;
    switch (op) {
    case QV_OP_ADD_: QV_FAST_LOOP_(v->floats[i] = x[i] + y[i]);
    case QV_OP_SUB_: QV_FAST_LOOP_(v->floats[i] = x[i] - y[i]);
    case QV_OP_MUL_: QV_FAST_LOOP_(v->floats[i] = x[i] * y[i]);
    case QV_OP_DIV_: QV_FAST_LOOP_(v->floats[i] = x[i] / y[i]);
    default: return false;
    }
  }
  return false;
}

#undef QV_FAST_LOOP_

/**
 * Computes `op` (of result `type`, first argument of type `at`) row by row from the argument
 * vectors `a[0..n_args)` (n_args ≤ 2 here: chains are folded pairwise by the caller) into `v`
 * on the rows of `mask`.
 */
static int kernel(evaluator *ev, qv_expr_op_ op, qv_expr_type type, qv_expr_type at,
                  int32_t n_args, const qv_vec_ *a, const uint8_t *mask, qv_vec_ *v) {
  int64_t rows = v->n_rows;
  int rc = QV_OK;
  if (n_args == 2 && fast_kernel(op, type, at, a, mask, v)) return QV_OK;
  for (int64_t i = 0; i < rows && rc == QV_OK; i++) {
    if (!mask[i]) continue;
    bool va = a[0].valid[i], vb = n_args > 1 ? a[1].valid[i] : true;
    switch (op) {
    case QV_OP_IS_NULL_:
    case QV_OP_IS_NOT_NULL_:
      v->valid[i] = 1;
      v->bools[i] = (op == QV_OP_IS_NULL_) != va;
      continue;
    case QV_OP_AND_: {
      bool fa = va && !a[0].bools[i], fb = vb && !a[1].bools[i];
      if (fa || fb) {
        v->valid[i] = 1;
      } else if (va && vb) {
        v->valid[i] = 1;
        v->bools[i] = 1;
      }
      continue;
    }
    case QV_OP_OR_: {
      bool ta = va && a[0].bools[i], tb = vb && a[1].bools[i];
      if (ta || tb) {
        v->valid[i] = 1;
        v->bools[i] = 1;
      } else if (va && vb) {
        v->valid[i] = 1;
      }
      continue;
    }
    default:
      break;
    }
    if (!va || !vb) continue;
    v->valid[i] = 1;
    switch (op) {
    case QV_OP_ADD_:
    case QV_OP_SUB_:
    case QV_OP_MUL_:
    case QV_OP_MOD_:
      if (type == QV_EXPR_INT64) {
        bool is_null = false;
        rc = arith_int(ev, op, a[0].ints[i], a[1].ints[i], i, &v->ints[i], &is_null);
        if (is_null) v->valid[i] = 0;
      } else {
        double x = a[0].floats[i], y = a[1].floats[i];
        v->floats[i] = op == QV_OP_ADD_   ? x + y
                       : op == QV_OP_SUB_ ? x - y
                       : op == QV_OP_MUL_ ? x * y
                                             : fmod(x, y);
      }
      break;
    case QV_OP_DIV_:
      v->floats[i] = a[0].floats[i] / a[1].floats[i];
      break;
    case QV_OP_POW_:
      v->floats[i] = pow(a[0].floats[i], a[1].floats[i]);
      break;
    case QV_OP_NEG_:
      if (type == QV_EXPR_FLOAT64) {
        v->floats[i] = -a[0].floats[i];
      } else if (a[0].ints[i] == INT64_MIN) {
        rc = fault(ev, "int64 overflow in negation", &a[0], QV_EXPR_INT64, i);
      } else {
        v->ints[i] = -a[0].ints[i];
      }
      break;
    case QV_OP_ABS_:
      if (type == QV_EXPR_FLOAT64) {
        v->floats[i] = fabs(a[0].floats[i]);
      } else if (a[0].ints[i] == INT64_MIN) {
        rc = fault(ev, "int64 overflow in abs", &a[0], QV_EXPR_INT64, i);
      } else {
        v->ints[i] = a[0].ints[i] < 0 ? -a[0].ints[i] : a[0].ints[i];
      }
      break;
    case QV_OP_FLOOR_:
    case QV_OP_CEIL_:
    case QV_OP_ROUND_:
      if (type == QV_EXPR_INT64) {
        v->ints[i] = a[0].ints[i];
      } else if (n_args == 2) {
        v->floats[i] = round_digits(a[0].floats[i], a[1].ints[i]);
      } else {
        double x = a[0].floats[i];
        v->floats[i] = op == QV_OP_FLOOR_ ? floor(x) : op == QV_OP_CEIL_ ? ceil(x) : round(x);
      }
      break;
    case QV_OP_SQRT_:
      if (a[0].floats[i] < 0) rc = fault(ev, "sqrt of a negative number", &a[0], QV_EXPR_FLOAT64, i);
      v->floats[i] = sqrt(a[0].floats[i]);
      break;
    case QV_OP_LN_:
      if (a[0].floats[i] <= 0) rc = fault(ev, "ln of zero or a negative number", &a[0], QV_EXPR_FLOAT64, i);
      v->floats[i] = log(a[0].floats[i]);
      break;
    case QV_OP_EXP_:
      v->floats[i] = exp(a[0].floats[i]);
      break;
    case QV_OP_CAST_:
      if (type == QV_EXPR_FLOAT64) {
        v->floats[i] = (double)a[0].ints[i];
      } else if (__builtin_mul_overflow(a[0].ints[i], US_PER_DAY, &v->ints[i])) {
        rc = fault(ev, "date out of the timestamp range", &a[0], QV_EXPR_DATE32, i);
      }
      break;
    case QV_OP_EQ_:
    case QV_OP_NE_:
    case QV_OP_LT_:
    case QV_OP_LE_:
    case QV_OP_GT_:
    case QV_OP_GE_: {
      int c;
      if (at == QV_EXPR_FLOAT64) {
        c = cmp_double(a[0].floats[i], a[1].floats[i]);
      } else if (at == QV_EXPR_UTF8) {
        c = cmp_str(a[0].strs[i], a[1].strs[i]);
      } else if (at == QV_EXPR_BOOL) {
        c = (int)a[0].bools[i] - (int)a[1].bools[i];
      } else {
        c = a[0].ints[i] < a[1].ints[i] ? -1 : (a[0].ints[i] > a[1].ints[i] ? 1 : 0);
      }
      v->bools[i] = cmp_holds(op, c);
      break;
    }
    case QV_OP_NOT_:
      v->bools[i] = !a[0].bools[i];
      break;
    case QV_OP_LENGTH_:
      v->ints[i] = utf8_length(a[0].strs[i]);
      break;
    case QV_OP_CONTAINS_:
      v->bools[i] = str_contains(a[0].strs[i], a[1].strs[i]);
      break;
    case QV_OP_STARTS_WITH_:
      v->bools[i] = a[1].strs[i].size_bytes <= a[0].strs[i].size_bytes &&
                    (a[1].strs[i].size_bytes == 0 ||
                     memcmp(a[0].strs[i].data, a[1].strs[i].data,
                            (size_t)a[1].strs[i].size_bytes) == 0);
      break;
    case QV_OP_YEAR_:
    case QV_OP_MONTH_:
    case QV_OP_DAY_:
    case QV_OP_HOUR_:
      v->ints[i] = date_part(op, at, a[0].ints[i]);
      break;
    default:
      rc = qv_error_set(ev->err, EINVAL, "expression: unexpected operation");
    }
  }
  return rc;
}

static bool is_chain(qv_expr_op_ op) {
  return op == QV_OP_ADD_ || op == QV_OP_SUB_ || op == QV_OP_MUL_ || op == QV_OP_DIV_ ||
         op == QV_OP_AND_ || op == QV_OP_OR_;
}

/** A chain `op(x0, x1, ..., xk)` = ((x0 op x1) op x2) ..., folded left with two live vectors. */
static int eval_chain(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask, qv_vec_ *v) {
  qv_vec_ pair[2];
  int rc = eval_node(ev, n->args[0], mask, &pair[0]);
  for (int32_t k = 1; k < n->n_args && rc == QV_OK; k++) {
    rc = eval_node(ev, n->args[k], mask, &pair[1]);
    if (rc != QV_OK) break;
    qv_vec_ next;
    rc = vec_init(ev, &next, n->type, v->n_rows);
    if (rc == QV_OK) {
      rc = kernel(ev, n->op, n->type, n->type, 2, pair, mask, &next);
      if (rc != QV_OK) vec_free(&next);
    }
    vec_free(&pair[1]);
    vec_free(&pair[0]);
    if (rc == QV_OK) pair[0] = next;
    else memset(&pair[0], 0, sizeof pair[0]);
  }
  if (rc != QV_OK) {
    vec_free(&pair[0]);
    return rc;
  }
  /* Hand the accumulated vector's buffers to v (v was allocated empty by the caller). */
  vec_free(v);
  *v = pair[0];
  return QV_OK;
}

/** The evaluator of an operation implemented outside this file, or NULL. */
static int (*outside_eval(qv_expr_op_ op))(const qv_call_ *, qv_vec_ *) {
  switch (op) {
  case QV_OP_LOWER_:
  case QV_OP_UPPER_:
  case QV_OP_REPLACE_:
  case QV_OP_TRIM_:
  case QV_OP_LTRIM_:
  case QV_OP_RTRIM_:
  case QV_OP_SUBSTR_:
  case QV_OP_SPLIT_PART_:
  case QV_OP_CONCAT_:
  case QV_OP_CONCAT_STRICT_:
    return qv_expr_eval_text_;
  case QV_OP_REGEXP_MATCHES_:
  case QV_OP_REGEXP_REPLACE_:
  case QV_OP_REGEXP_EXTRACT_:
    return qv_expr_eval_regexp_;
  case QV_OP_MINUTE_:
  case QV_OP_SECOND_:
  case QV_OP_WEEK_:
  case QV_OP_DAYOFWEEK_:
  case QV_OP_QUARTER_:
  case QV_OP_DATE_TRUNC_:
  case QV_OP_DATE_DIFF_:
  case QV_OP_DATE_ADD_:
  case QV_OP_STRFTIME_:
  case QV_OP_STRPTIME_:
    return qv_expr_eval_time_;
  default:
    return NULL;
  }
}

/** Evaluates every argument of `n`, then `fn` over them. */
static int eval_outside(evaluator *ev, const qv_expr_node_ *n, const uint8_t *mask,
                        int (*fn)(const qv_call_ *, qv_vec_ *), qv_vec_ *v) {
  qv_vec_ *a = calloc((size_t)n->n_args, sizeof *a);
  if (a == NULL) return qv_error_set(ev->err, ENOMEM, "expression: out of memory");
  int rc = QV_OK;
  int32_t done = 0;
  for (; done < n->n_args && rc == QV_OK; done++) rc = eval_node(ev, n->args[done], mask, &a[done]);
  if (rc == QV_OK) {
    qv_call_ call = {.node = n, .nodes = ev->expr->nodes, .args = a, .mask = mask, .err = ev->err};
    rc = fn(&call, v);
  } else {
    done--; /* the failed argument freed itself */
  }
  for (int32_t k = 0; k < done; k++) vec_free(&a[k]);
  free(a);
  return rc;
}

/** Evaluates node `index` on the rows where mask[i] is set into `*v` (owned by the caller). */
static int eval_node(evaluator *ev, int32_t index, const uint8_t *mask, qv_vec_ *v) {
  const qv_expr_node_ *n = &ev->expr->nodes[index];
  int rc = vec_init(ev, v, n->type, ev->batch->n_rows);
  if (rc != QV_OK) return rc;
  if (n->op == QV_OP_COLUMN_) {
    rc = load_column(ev, n, mask, v);
  } else if (n->op == QV_OP_LITERAL_) {
    rc = load_literal(n, mask, v);
  } else if (n->op == QV_OP_IF_) {
    rc = eval_if(ev, n, mask, v);
  } else if (n->op == QV_OP_COALESCE_) {
    rc = eval_coalesce(ev, n, mask, v);
  } else if (is_chain(n->op)) {
    rc = eval_chain(ev, n, mask, v);
  } else if (outside_eval(n->op) != NULL) {
    rc = eval_outside(ev, n, mask, outside_eval(n->op), v);
  } else {
    qv_vec_ a[2];
    memset(a, 0, sizeof a);
    rc = eval_args(ev, n, mask, a);
    if (rc == QV_OK) {
      rc = kernel(ev, n->op, n->type, ev->expr->nodes[n->args[0]].type, n->n_args, a, mask, v);
      vec_free(&a[0]);
      vec_free(&a[1]);
    }
  }
  if (rc != QV_OK) vec_free(v);
  return rc;
}

/** Evaluates the root on every row. */
static int eval_root(const qv_expr *expr, const qv_batch *batch, qv_vec_ *v, qv_error *err) {
  if (batch->n_columns != expr->schema.n_fields) {
    return qv_error_set(err, EINVAL, "expression: batch has %lld columns, schema %lld",
                        (long long)batch->n_columns, (long long)expr->schema.n_fields);
  }
  int64_t rows = batch->n_rows;
  uint8_t *all = malloc((size_t)(rows > 0 ? rows : 1));
  if (all == NULL) return qv_error_set(err, ENOMEM, "expression: out of memory");
  memset(all, 1, (size_t)(rows > 0 ? rows : 1));
  evaluator ev = {.expr = expr, .batch = batch, .err = err};
  int rc = eval_node(&ev, expr->n_nodes - 1, all, v);
  free(all);
  return rc;
}

int qv_expr_eval(const qv_expr *expr, const qv_batch *batch, qv_column *out, qv_error *err) {
  memset(out, 0, sizeof *out);
  qv_vec_ v;
  int rc = eval_root(expr, batch, &v, err);
  if (rc != QV_OK) return rc;
  qv_expr_type t = qv_expr_result_type(expr);
  qv_builder *b = NULL;
  rc = qv_builder_new(qv_expr_column_type(t), v.n_rows, &b, err);
  for (int64_t i = 0; i < v.n_rows && rc == QV_OK; i++) {
    if (!v.valid[i]) {
      rc = qv_builder_append_null(b, err);
    } else if (t == QV_EXPR_FLOAT64) {
      rc = qv_builder_append_double(b, v.floats[i], err);
    } else if (t == QV_EXPR_BOOL) {
      rc = qv_builder_append_bool(b, v.bools[i], err);
    } else if (t == QV_EXPR_UTF8) {
      rc = qv_builder_append_bytes(b, v.strs[i].data, v.strs[i].size_bytes, err);
    } else {
      rc = qv_builder_append_int64(b, v.ints[i], err);
    }
  }
  if (rc == QV_OK) {
    rc = qv_builder_finish(b, out, err);
  } else {
    qv_builder_free(b);
  }
  vec_free(&v);
  return rc;
}

int qv_expr_select_rows(const qv_expr *expr, const qv_batch *batch, int64_t **out_rows,
                        int64_t *out_n_rows, qv_error *err) {
  *out_rows = NULL;
  *out_n_rows = 0;
  if (qv_expr_result_type(expr) != QV_EXPR_BOOL) {
    return qv_error_set(err, EINVAL, "expression: a filter needs a boolean expression, not %s",
                        qv_expr_type_name(qv_expr_result_type(expr)));
  }
  qv_vec_ v;
  int rc = eval_root(expr, batch, &v, err);
  if (rc != QV_OK) return rc;
  int64_t n = 0;
  for (int64_t i = 0; i < v.n_rows; i++) n += v.valid[i] && v.bools[i];
  if (n > 0) {
    *out_rows = malloc((size_t)n * sizeof **out_rows);
    if (*out_rows == NULL) {
      vec_free(&v);
      return qv_error_set(err, ENOMEM, "expression: out of memory");
    }
    int64_t k = 0;
    for (int64_t i = 0; i < v.n_rows; i++) {
      if (v.valid[i] && v.bools[i]) (*out_rows)[k++] = i;
    }
  }
  *out_n_rows = n;
  vec_free(&v);
  return QV_OK;
}
