/*
 * window_ops.c — the window functions, one pass per partition over the sorted positions.
 * Results are stored at each row's input position, so the step can write its input order.
 */
#include "window_ops.h"

#include <stdlib.h>
#include <string.h>

static const char *const OP_NAMES[W_OP_COUNT_] = {
    "row_number",   "rank",          "dense_rank",    "lag",
    "lead",         "first_value",   "last_value",    "running_sum",
    "running_mean", "running_count", "moving_mean",
};

w_op w_op_from_name(const char *name) {
  for (int op = 0; op < W_OP_COUNT_; op++)
    if (strcmp(name, OP_NAMES[op]) == 0) return (w_op)op;
  return W_OP_COUNT_;
}

const char *w_op_name(w_op op) { return op < W_OP_COUNT_ ? OP_NAMES[op] : "?"; }

bool w_op_needs_column(w_op op) {
  return op != W_ROW_NUMBER && op != W_RANK && op != W_DENSE_RANK && op != W_RUNNING_COUNT;
}

static void *w_alloc(int64_t n, size_t size) {
  void *p = calloc(n > 0 ? (size_t)n : 1, size);
  if (p == NULL) qv_fail("window: out of memory (%lld x %zu bytes)", (long long)n, size);
  return p;
}

/** row_number, rank, dense_rank over one partition [lo, hi). */
static void numbering(w_op op, const uint32_t *perm, int64_t lo, int64_t hi,
                      const uint8_t *peer_start, int64_t *ints) {
  int64_t rank = 0, dense = 0;
  for (int64_t k = lo; k < hi; k++) {
    if (k == lo || peer_start[k]) {
      rank = k - lo + 1;
      dense++;
    }
    ints[perm[k]] = op == W_ROW_NUMBER ? k - lo + 1 : op == W_RANK ? rank : dense;
  }
}

/** lag, lead, first_value, last_value over one partition: the source row of each row. */
static void shifted(const w_spec *s, const uint32_t *perm, int64_t lo, int64_t hi,
                    int64_t *rows) {
  for (int64_t k = lo; k < hi; k++) {
    int64_t from;
    switch (s->op) {
      case W_LAG: from = k - s->offset >= lo ? k - s->offset : -1; break;
      case W_LEAD: from = k + s->offset < hi ? k + s->offset : -1; break;
      case W_FIRST_VALUE: from = lo; break;
      default: from = hi - 1; break; /* W_LAST_VALUE */
    }
    rows[perm[k]] = from < 0 ? -1 : (int64_t)perm[from];
  }
}

/** running_sum of an integer column: exact int64, overflow fails the step. */
static void running_int_sum(const uint32_t *perm, int64_t lo, int64_t hi, const qv_column *v,
                            w_result *out) {
  int64_t sum = 0;
  bool any = false;
  for (int64_t k = lo; k < hi; k++) {
    uint32_t r = perm[k];
    if (!qv_column_is_null(v, r)) {
      if (__builtin_add_overflow(sum, qv_column_int64_at(v, r), &sum))
        qv_fail("window: running_sum overflows int64 at input row %u", r);
      any = true;
    }
    out->ints[r] = sum;
    out->valid[r] = any;
  }
}

/** running_sum (floats), running_mean and running_count over one partition. Nulls are skipped;
 * a sum or mean with no value yet is null, a count is 0. */
static void running(w_op op, const uint32_t *perm, int64_t lo, int64_t hi, const qv_column *v,
                    w_result *out) {
  double sum = 0;
  int64_t count = 0;
  for (int64_t k = lo; k < hi; k++) {
    uint32_t r = perm[k];
    if (v == NULL || !qv_column_is_null(v, r)) {
      if (v != NULL) sum += qv_column_double_at(v, r);
      count++;
    }
    if (op == W_RUNNING_COUNT) {
      out->ints[r] = count;
      out->valid[r] = 1;
    } else {
      out->doubles[r] = op == W_RUNNING_SUM ? sum : sum / (double)count;
      out->valid[r] = count > 0;
    }
  }
}

/** moving_mean over the last `rows` rows (this one included) of one partition, nulls skipped.
 * Each window is summed afresh: a sliding sum that subtracts the leaving value would carry
 * rounding error from large values into small means. */
static void moving_mean(const w_spec *s, const uint32_t *perm, int64_t lo, int64_t hi,
                        const qv_column *v, w_result *out) {
  for (int64_t k = lo; k < hi; k++) {
    int64_t from = k - s->rows + 1 > lo ? k - s->rows + 1 : lo, count = 0;
    double sum = 0;
    for (int64_t j = from; j <= k; j++) {
      if (qv_column_is_null(v, perm[j])) continue;
      sum += qv_column_double_at(v, perm[j]);
      count++;
    }
    out->doubles[perm[k]] = count > 0 ? sum / (double)count : 0;
    out->valid[perm[k]] = count > 0;
  }
}

void w_compute(const w_spec *spec, const uint32_t *perm, int64_t n, const uint8_t *part_start,
               const uint8_t *peer_start, const qv_column *value, w_result *out) {
  memset(out, 0, sizeof *out);
  if (spec->kind == W_DOUBLE) out->doubles = w_alloc(n, sizeof *out->doubles);
  else out->ints = w_alloc(n, sizeof *out->ints);
  out->valid = w_alloc(n, 1);
  for (int64_t lo = 0, hi; lo < n; lo = hi) {
    for (hi = lo + 1; hi < n && !part_start[hi];) hi++;
    switch (spec->op) {
      case W_ROW_NUMBER:
      case W_RANK:
      case W_DENSE_RANK:
        numbering(spec->op, perm, lo, hi, peer_start, out->ints);
        for (int64_t k = lo; k < hi; k++) out->valid[perm[k]] = 1;
        break;
      case W_LAG:
      case W_LEAD:
      case W_FIRST_VALUE:
      case W_LAST_VALUE: shifted(spec, perm, lo, hi, out->ints); break;
      case W_MOVING_MEAN: moving_mean(spec, perm, lo, hi, value, out); break;
      case W_RUNNING_SUM:
        if (spec->kind == W_INT64) {
          running_int_sum(perm, lo, hi, value, out);
          break;
        }
        /* fall through: a float sum */
      default: running(spec->op, perm, lo, hi, value, out); break;
    }
  }
}

void w_result_free(w_result *r) {
  free(r->ints);
  free(r->doubles);
  free(r->valid);
  memset(r, 0, sizeof *r);
}
