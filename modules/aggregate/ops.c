/*
 * ops.c — count, count_distinct, sum, mean, min, max, first and last per group.
 *
 * Semantics (SQL's, as DuckDB implements them):
 * - count(*) counts rows; count(x) and count_distinct(x) count non-null values (distinct
 *   ones for the latter, with the equality of column_keys.h: -0.0 = 0.0, NaN = NaN).
 * - sum, mean, min and max skip nulls; a group with no non-null value gives null.
 * - Integer sums are exact (128-bit accumulators); a sum outside int64 fails the step.
 *   Float sums use Neumaier's compensated summation (Neumaier 1974, "Rundungsfehleranalyse
 *   einiger Verfahren zur Summation endlicher Summen"), falling back to the plain sum when
 *   it is not finite (inf/NaN inputs). Means divide that sum by the non-null count.
 * - min and max order values as column_keys.h does (NaN is the largest float); the first
 *   row holding the extreme value is taken, so the output keeps the input's exact value and
 *   type (dictionary columns stay encoded).
 * - first and last take the value of the group's first or last row, null or not.
 */
#include "ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/column_keys.h"

/** Module id: the prefix of every error message. */
#define MODULE "aggregate"

const char *const AGG_OP_NAMES[AGG_OP_COUNT_] = {"count", "count_distinct", "sum", "mean",
                                                 "min",   "max",            "first", "last"};

static bool is_float(qv_type_id id) { return id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64; }

qv_type agg_output_type(const agg_spec *spec, const qv_field *field) {
  switch (spec->op) {
    case AGG_COUNT:
    case AGG_COUNT_DISTINCT: return qv_type_make(QV_TYPE_INT64);
    case AGG_SUM:
    case AGG_MEAN:
      if (qv_type_id_is_integer(field->type.id))
        return qv_type_make(spec->op == AGG_SUM ? QV_TYPE_INT64 : QV_TYPE_FLOAT64);
      if (is_float(field->type.id)) return qv_type_make(QV_TYPE_FLOAT64);
      qv_fail("aggregate: parameter aggregates[%lld] (\"%s\"): %s needs a numeric column, "
              "but \"%s\" is %s",
              (long long)spec->index, spec->name, AGG_OP_NAMES[spec->op], field->name,
              qv_type_id_name(field->type.id));
    default: return field->type;
  }
}

/** Builds an int64 column of `n` values; `valid` (NULL: all valid) marks non-null ones. */
static void build_int64(const int64_t *values, const uint8_t *valid, int64_t n, qv_column *out) {
  qv_error err;
  qv_builder *b;
  if (qv_builder_new(qv_type_make(QV_TYPE_INT64), n, &b, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  for (int64_t g = 0; g < n; g++) {
    int rc = valid == NULL || valid[g] ? qv_builder_append_int64(b, values[g], &err)
                                       : qv_builder_append_null(b, &err);
    if (rc != QV_OK) qv_fail("aggregate: %s", err.message);
  }
  if (qv_builder_finish(b, out, &err) != QV_OK) qv_fail("aggregate: %s", err.message);
}

/** Builds a float64 column of `n` values; `valid` marks the non-null ones. */
static void build_float64(const double *values, const uint8_t *valid, int64_t n,
                          qv_column *out) {
  qv_error err;
  qv_builder *b;
  if (qv_builder_new(qv_type_make(QV_TYPE_FLOAT64), n, &b, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  for (int64_t g = 0; g < n; g++) {
    int rc = valid[g] ? qv_builder_append_double(b, values[g], &err)
                      : qv_builder_append_null(b, &err);
    if (rc != QV_OK) qv_fail("aggregate: %s", err.message);
  }
  if (qv_builder_finish(b, out, &err) != QV_OK) qv_fail("aggregate: %s", err.message);
}

/** Gathers the rows `rows[g]` (-1: null) of column `c` of `all`, keeping its type. */
static void take_rows(const qv_batch *all, int64_t c, const int64_t *rows, int64_t n,
                      qv_column *out) {
  qv_error err;
  if (qv_column_take(&all->columns[c], rows, n, out, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
}

static void compute_count(const qv_batch *all, const agg_spec *spec, const agg_groups *gr,
                          qv_column *out) {
  int64_t *count = qv_calloc_or_fail(MODULE, (size_t)gr->n_groups, sizeof *count);
  if (spec->column < 0) {
    for (int64_t i = 0; i < gr->n_rows; i++) count[gr->gid[i]]++;
  } else {
    ck_view v = ck_view_make(&all->columns[spec->column]);
    for (int64_t i = 0; i < gr->n_rows; i++) count[gr->gid[i]] += !ck_is_null(&v, i);
  }
  build_int64(count, NULL, gr->n_groups, out);
  free(count);
}

/** count_distinct: a hash set of (group, value) pairs; each new pair counts once. */
static void compute_count_distinct(const qv_batch *all, const agg_spec *spec,
                                   const agg_groups *gr, qv_column *out) {
  ck_view v = ck_view_make(&all->columns[spec->column]);
  int64_t *count = qv_calloc_or_fail(MODULE, (size_t)gr->n_groups, sizeof *count);
  uint64_t n_slots = 1024;
  while (n_slots < (uint64_t)gr->n_rows * 2) n_slots *= 2;
  uint64_t mask = n_slots - 1;
  /* Slot: the row (+1) that brought the pair in, 0 if empty; its hash beside it. */
  uint32_t *slot_row = qv_calloc_or_fail(MODULE, n_slots, sizeof *slot_row);
  uint64_t *slot_hash = qv_calloc_or_fail(MODULE, n_slots, sizeof *slot_hash);
  for (int64_t i = 0; i < gr->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gr->gid[i];
    uint64_t h = ck_mix64(ck_hash(&v, i) ^ ((uint64_t)g * UINT64_C(0x9e3779b97f4a7c15)));
    uint64_t s = h & mask;
    for (;;) {
      uint32_t r = slot_row[s];
      if (r == 0) {
        slot_row[s] = (uint32_t)i + 1;
        slot_hash[s] = h;
        count[g]++;
        break;
      }
      if (slot_hash[s] == h && gr->gid[r - 1] == g && ck_rows_equal(&v, r - 1, &v, i)) break;
      s = (s + 1) & mask;
    }
  }
  build_int64(count, NULL, gr->n_groups, out);
  free(slot_row);
  free(slot_hash);
  free(count);
}

/** Value of base row `r` of an integer view, widened exactly. */
static __int128 int_value(const ck_view *v, int64_t r) {
  const void *p = v->base->values;
  switch (v->id) {
    case QV_TYPE_INT8: return ((const int8_t *)p)[r];
    case QV_TYPE_INT16: return ((const int16_t *)p)[r];
    case QV_TYPE_INT32: return ((const int32_t *)p)[r];
    case QV_TYPE_UINT8: return ((const uint8_t *)p)[r];
    case QV_TYPE_UINT16: return ((const uint16_t *)p)[r];
    case QV_TYPE_UINT32: return ((const uint32_t *)p)[r];
    case QV_TYPE_UINT64: return ((const uint64_t *)p)[r];
    default: return ((const int64_t *)p)[r];
  }
}

static void compute_sum_int(const qv_batch *all, const agg_spec *spec, const agg_groups *gr,
                            qv_column *out) {
  ck_view v = ck_view_make(&all->columns[spec->column]);
  int64_t n_groups = gr->n_groups;
  __int128 *sum = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *sum);
  int64_t *count = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *count);
  for (int64_t i = 0; i < gr->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gr->gid[i];
    sum[g] += int_value(&v, ck_base_row(&v, i));
    count[g]++;
  }
  uint8_t *valid = qv_calloc_or_fail(MODULE, (size_t)n_groups, 1);
  if (spec->op == AGG_SUM) {
    int64_t *result = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *result);
    for (int64_t g = 0; g < n_groups; g++) {
      if (sum[g] > INT64_MAX || sum[g] < INT64_MIN)
        qv_fail("aggregate: parameter aggregates[%lld] (\"%s\"): the sum of \"%s\" overflows "
                "int64 in output row %lld",
                (long long)spec->index, spec->name, spec->column_name, (long long)g);
      result[g] = (int64_t)sum[g];
      valid[g] = count[g] > 0;
    }
    build_int64(result, valid, n_groups, out);
    free(result);
  } else {
    double *result = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *result);
    for (int64_t g = 0; g < n_groups; g++) {
      valid[g] = count[g] > 0;
      result[g] = valid[g] ? (double)sum[g] / (double)count[g] : 0.0;
    }
    build_float64(result, valid, n_groups, out);
    free(result);
  }
  free(valid);
  free(sum);
  free(count);
}

static void compute_sum_float(const qv_batch *all, const agg_spec *spec, const agg_groups *gr,
                              qv_column *out) {
  ck_view v = ck_view_make(&all->columns[spec->column]);
  int64_t n_groups = gr->n_groups;
  double *sum = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *sum);
  double *comp = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *comp);
  int64_t *count = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *count);
  bool f32 = v.id == QV_TYPE_FLOAT32;
  for (int64_t i = 0; i < gr->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    int64_t r = ck_base_row(&v, i);
    double x = f32 ? (double)((const float *)v.base->values)[r]
                   : ((const double *)v.base->values)[r];
    uint32_t g = gr->gid[i];
    double s = sum[g], t = s + x;
    comp[g] += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
    sum[g] = t;
    count[g]++;
  }
  uint8_t *valid = qv_calloc_or_fail(MODULE, (size_t)n_groups, 1);
  for (int64_t g = 0; g < n_groups; g++) {
    valid[g] = count[g] > 0;
    double total = isfinite(sum[g]) ? sum[g] + comp[g] : sum[g];
    sum[g] = spec->op == AGG_MEAN && valid[g] ? total / (double)count[g] : total;
  }
  build_float64(sum, valid, n_groups, out);
  free(valid);
  free(sum);
  free(comp);
  free(count);
}

/** min or max: the first row of each group holding the group's extreme non-null value. */
static void compute_extreme(const qv_batch *all, const agg_spec *spec, const agg_groups *gr,
                            qv_column *out) {
  ck_view v = ck_view_make(&all->columns[spec->column]);
  int64_t n_groups = gr->n_groups;
  int64_t *best = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *best);
  uint64_t *best_key = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *best_key);
  for (int64_t g = 0; g < n_groups; g++) best[g] = -1;
  bool want_max = spec->op == AGG_MAX;
  for (int64_t i = 0; i < gr->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gr->gid[i];
    int64_t r = ck_base_row(&v, i);
    if (v.is_string) {
      int c = best[g] < 0 ? 0 : ck_str_cmp(ck_base_str(&v, r), ck_base_str(&v, ck_base_row(&v, best[g])));
      if (best[g] < 0 || (want_max ? c > 0 : c < 0)) best[g] = i;
    } else {
      uint64_t k = ck_base_key(&v, r);
      if (best[g] < 0 || (want_max ? k > best_key[g] : k < best_key[g])) {
        best[g] = i;
        best_key[g] = k;
      }
    }
  }
  take_rows(all, spec->column, best, n_groups, out);
  free(best);
  free(best_key);
}

void agg_compute(const qv_batch *all, const agg_spec *spec, const agg_groups *groups,
                 qv_column *out) {
  switch (spec->op) {
    case AGG_COUNT: compute_count(all, spec, groups, out); return;
    case AGG_COUNT_DISTINCT: compute_count_distinct(all, spec, groups, out); return;
    case AGG_SUM:
    case AGG_MEAN:
      if (is_float(all->columns[spec->column].type.id))
        compute_sum_float(all, spec, groups, out);
      else
        compute_sum_int(all, spec, groups, out);
      return;
    case AGG_MIN:
    case AGG_MAX: compute_extreme(all, spec, groups, out); return;
    case AGG_FIRST: take_rows(all, spec->column, groups->first_row, groups->n_groups, out); return;
    case AGG_LAST: {
      int64_t *last = qv_calloc_or_fail(MODULE, (size_t)groups->n_groups, sizeof *last);
      for (int64_t g = 0; g < groups->n_groups; g++) last[g] = -1;
      for (int64_t i = 0; i < groups->n_rows; i++) last[groups->gid[i]] = i;
      take_rows(all, spec->column, last, groups->n_groups, out);
      free(last);
      return;
    }
    default: qv_fail("aggregate: unknown operation %d", (int)spec->op);
  }
}
