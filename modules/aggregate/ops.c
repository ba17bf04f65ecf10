/*
 * ops.c — count, count_distinct, sum, mean, min, max, first and last per group, each kept as
 * a running state that every record batch updates (so the input is never held).
 *
 * Semantics (SQL's, as DuckDB implements them):
 * - count(*) counts rows; count(x) and count_distinct(x) count non-null values (distinct
 *   ones for the latter, with the equality of column_keys.h: -0.0 = 0.0, NaN = NaN).
 * - sum, mean, min and max skip nulls; a group with no non-null value gives null.
 * - Integer sums are exact (128-bit accumulators); a sum outside int64 fails the step.
 *   Float sums use Neumaier's compensated summation (Neumaier 1974, "Rundungsfehleranalyse
 *   einiger Verfahren zur Summation endlicher Summen"), falling back to the plain sum when
 *   it is not finite (inf/NaN inputs). Means divide that sum by the non-null count. Rows are
 *   added in input order, batch after batch, as if the input were one batch.
 * - min and max order values as column_keys.h does (NaN is the largest float); the first
 *   row holding the extreme value is kept (a copy of its value), so the output keeps the
 *   input's exact value and type (dictionary columns stay encoded while every batch has the
 *   same dictionary, store.h).
 * - first and last take the value of the group's first or last row, null or not.
 *
 * Memory per group: 8 bytes for count; 16 + 8 for integer sums and means; 16 + 8 for float
 * ones; min/max/first/last one stored value (store.h), plus a 4-byte stamp for last;
 * count_distinct holds every distinct (group, value) pair it has seen (agg_distinct).
 */
#include "ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/column_keys.h"

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

void agg_state_init(agg_state *st, const agg_spec *spec, const qv_field *field) {
  memset(st, 0, sizeof *st);
  st->spec = spec;
  if (field != NULL) {
    st->float_input = is_float(field->type.id);
    store_init(&st->values, &field->type);
  }
}

/** Grows the per-group arrays this op uses to `n_groups` groups (new groups zeroed). */
static void ensure_groups(agg_state *st, int64_t n_groups) {
  if (n_groups <= st->capacity_groups) return;
  int64_t cap = st->capacity_groups ? st->capacity_groups : 1024;
  while (cap < n_groups) cap *= 2;
  int64_t old = st->capacity_groups;
  switch (st->spec->op) {
    case AGG_SUM:
    case AGG_MEAN:
      if (st->float_input) {
        st->float_sum = agg_grow(st->float_sum, old, cap, sizeof *st->float_sum);
        st->compensation = agg_grow(st->compensation, old, cap, sizeof *st->compensation);
      } else {
        st->int_sum = agg_grow(st->int_sum, old, cap, sizeof *st->int_sum);
      }
      /* fall through: sums and means count their non-null values */
    case AGG_COUNT:
    case AGG_COUNT_DISTINCT: st->count = agg_grow(st->count, old, cap, sizeof *st->count); break;
    case AGG_LAST: st->stamp = agg_grow(st->stamp, old, cap, sizeof *st->stamp); break;
    default: break;
  }
  st->capacity_groups = cap;
}

/* --- updates --------------------------------------------------------------------------- */

static void update_count(agg_state *st, const qv_batch *batch, const uint32_t *gid) {
  if (st->spec->column < 0) {
    for (int64_t i = 0; i < batch->n_rows; i++) st->count[gid[i]]++;
    return;
  }
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  for (int64_t i = 0; i < batch->n_rows; i++) st->count[gid[i]] += !ck_is_null(&v, i);
}

static void distinct_rehash(agg_distinct *d, uint64_t n_slots) {
  free(d->slots);
  d->slots = agg_grow(NULL, 0, (int64_t)n_slots, sizeof *d->slots);
  d->mask = n_slots - 1;
  for (int64_t p = 0; p < d->n_pairs; p++) {
    uint64_t s = d->hash[p] & d->mask;
    while (d->slots[s] != 0) s = (s + 1) & d->mask;
    d->slots[s] = (uint32_t)p + 1;
  }
}

/** Adds the pair (g, value of base row r of `v`) with hash `h` in empty slot `s`. */
static void distinct_add(agg_distinct *d, uint64_t s, uint64_t h, uint32_t g, const ck_view *v,
                         int64_t r) {
  if (d->n_pairs == (int64_t)UINT32_MAX - 1)
    qv_fail("aggregate: count_distinct: more than 2^32 - 2 distinct values");
  if (d->n_pairs == d->capacity_pairs) {
    int64_t cap = d->capacity_pairs ? d->capacity_pairs * 2 : 1024;
    d->hash = agg_grow(d->hash, d->capacity_pairs, cap, sizeof *d->hash);
    d->group = agg_grow(d->group, d->capacity_pairs, cap, sizeof *d->group);
    d->key = agg_grow(d->key, d->capacity_pairs, cap, sizeof *d->key);
    if (v->is_string) d->size = agg_grow(d->size, d->capacity_pairs, cap, sizeof *d->size);
    d->capacity_pairs = cap;
  }
  int64_t p = d->n_pairs++;
  d->hash[p] = h;
  d->group[p] = g;
  if (v->is_string) {
    qv_str str = ck_base_str(v, r);
    if (d->arena_bytes + str.size_bytes > d->arena_capacity_bytes) {
      int64_t cap = d->arena_capacity_bytes ? d->arena_capacity_bytes : 4096;
      while (cap < d->arena_bytes + str.size_bytes) cap *= 2;
      d->arena = agg_grow(d->arena, d->arena_capacity_bytes, cap, 1);
      d->arena_capacity_bytes = cap;
    }
    if (str.size_bytes > 0) memcpy(d->arena + d->arena_bytes, str.data, (size_t)str.size_bytes);
    d->key[p] = (uint64_t)d->arena_bytes;
    d->size[p] = str.size_bytes;
    d->arena_bytes += str.size_bytes;
  } else {
    d->key[p] = ck_base_key(v, r);
  }
  d->slots[s] = (uint32_t)p + 1;
  if ((uint64_t)d->n_pairs * 2 > d->mask + 1) distinct_rehash(d, (d->mask + 1) * 2);
}

/** True if pair p holds the value at base row r of `v`. */
static bool distinct_equal(const agg_distinct *d, int64_t p, const ck_view *v, int64_t r) {
  if (!v->is_string) return d->key[p] == ck_base_key(v, r);
  qv_str stored = {d->arena != NULL ? d->arena + d->key[p] : "", d->size[p]};
  return ck_str_eq(stored, ck_base_str(v, r));
}

/** count_distinct: each (group, value) pair not seen before counts once. */
static void update_count_distinct(agg_state *st, const qv_batch *batch, const uint32_t *gid) {
  agg_distinct *d = &st->distinct;
  if (d->slots == NULL) distinct_rehash(d, 1024);
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  for (int64_t i = 0; i < batch->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gid[i];
    int64_t r = ck_base_row(&v, i);
    uint64_t h = ck_mix64(ck_base_hash(&v, r) ^ ((uint64_t)g * UINT64_C(0x9e3779b97f4a7c15)));
    uint64_t s = h & d->mask;
    for (;;) {
      uint32_t slot = d->slots[s];
      if (slot == 0) {
        distinct_add(d, s, h, g, &v, r);
        st->count[g]++;
        break;
      }
      int64_t p = slot - 1;
      if (d->hash[p] == h && d->group[p] == g && distinct_equal(d, p, &v, r)) break;
      s = (s + 1) & d->mask;
    }
  }
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

/** sum and mean; a final-mode mean adds each row's partial count (`count_column`) instead of
 * one per value, so that the mean divides by the total count of the merged partitions. */
static void update_sum(agg_state *st, const qv_batch *batch, const uint32_t *gid) {
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  bool merge = st->spec->count_column >= 0;
  ck_view counts = ck_view_make(&batch->columns[merge ? st->spec->count_column : st->spec->column]);
  bool f32 = v.id == QV_TYPE_FLOAT32;
  for (int64_t i = 0; i < batch->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gid[i];
    int64_t r = ck_base_row(&v, i);
    st->count[g] += merge ? (int64_t)int_value(&counts, ck_base_row(&counts, i)) : 1;
    if (!st->float_input) {
      st->int_sum[g] += int_value(&v, r);
      continue;
    }
    double x = f32 ? (double)((const float *)v.base->values)[r]
                   : ((const double *)v.base->values)[r];
    double s = st->float_sum[g], t = s + x;
    st->compensation[g] += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
    st->float_sum[g] = t;
  }
}

/** min or max: keeps a copy of the first row holding each group's extreme non-null value. */
static void update_extreme(agg_state *st, const qv_batch *batch, const uint32_t *gid) {
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  agg_store *best = &st->values;
  bool want_max = st->spec->op == AGG_MAX;
  for (int64_t i = 0; i < batch->n_rows; i++) {
    if (ck_is_null(&v, i)) continue;
    uint32_t g = gid[i];
    bool better = store_is_null(best, g);
    if (!better) {
      int64_t r = ck_base_row(&v, i);
      int c;
      if (v.is_string) {
        c = ck_str_cmp(ck_base_str(&v, r), store_str(best, g));
      } else {
        uint64_t k = ck_base_key(&v, r), b = store_key(best, g);
        c = (k > b) - (k < b);
      }
      better = want_max ? c > 0 : c < 0;
    }
    if (better) store_set(best, g, &v, i);
  }
}

/** first: a group's first row is the first row of the batch where its number is new. */
static void update_first(agg_state *st, const qv_batch *batch, const uint32_t *gid) {
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  for (int64_t i = 0; i < batch->n_rows; i++)
    if (gid[i] == st->values.n) store_set(&st->values, gid[i], &v, i);
}

/** last: scanning the batch backwards, a group's first hit is its last row in the batch;
 * the stamp makes it the only one copied. */
static void update_last(agg_state *st, const qv_batch *batch, const uint32_t *gid,
                        uint32_t batch_number) {
  ck_view v = ck_view_make(&batch->columns[st->spec->column]);
  uint32_t stamp = batch_number + 1;
  for (int64_t i = batch->n_rows - 1; i >= 0; i--) {
    uint32_t g = gid[i];
    if (st->stamp[g] == stamp) continue;
    st->stamp[g] = stamp;
    store_set(&st->values, g, &v, i);
  }
}

void agg_update(agg_state *st, const qv_batch *batch, const uint32_t *gid, int64_t n_groups,
                uint32_t batch_number) {
  ensure_groups(st, n_groups);
  switch (st->spec->op) {
    case AGG_COUNT: update_count(st, batch, gid); return;
    case AGG_COUNT_DISTINCT: update_count_distinct(st, batch, gid); return;
    case AGG_SUM:
    case AGG_MEAN: update_sum(st, batch, gid); return;
    case AGG_MIN:
    case AGG_MAX: update_extreme(st, batch, gid); return;
    case AGG_FIRST: update_first(st, batch, gid); return;
    case AGG_LAST: update_last(st, batch, gid, batch_number); return;
    default: qv_fail("aggregate: unknown operation %d", (int)st->spec->op);
  }
}

/* --- outputs --------------------------------------------------------------------------- */

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

static void output_sum_int(agg_state *st, int64_t n_groups, uint8_t *valid, qv_column *out) {
  const agg_spec *spec = st->spec;
  if (spec->op == AGG_SUM) {
    int64_t *result = agg_grow(NULL, 0, n_groups, sizeof *result);
    for (int64_t g = 0; g < n_groups; g++) {
      if (st->int_sum[g] > INT64_MAX || st->int_sum[g] < INT64_MIN)
        qv_fail("aggregate: parameter aggregates[%lld] (\"%s\"): the sum of \"%s\" overflows "
                "int64 in output row %lld",
                (long long)spec->index, spec->name, spec->column_name, (long long)g);
      result[g] = (int64_t)st->int_sum[g];
    }
    build_int64(result, valid, n_groups, out);
    free(result);
    return;
  }
  double *result = agg_grow(NULL, 0, n_groups, sizeof *result);
  for (int64_t g = 0; g < n_groups; g++)
    result[g] = valid[g] ? (double)st->int_sum[g] / (double)st->count[g] : 0.0;
  build_float64(result, valid, n_groups, out);
  free(result);
}

static void output_sum_float(agg_state *st, int64_t n_groups, const uint8_t *valid,
                             qv_column *out) {
  double *result = agg_grow(NULL, 0, n_groups, sizeof *result);
  for (int64_t g = 0; g < n_groups; g++) {
    double sum = st->float_sum[g];
    double total = isfinite(sum) ? sum + st->compensation[g] : sum;
    result[g] = st->spec->op == AGG_MEAN && valid[g] ? total / (double)st->count[g] : total;
  }
  build_float64(result, valid, n_groups, out);
  free(result);
}

static void output_sum(agg_state *st, int64_t n_groups, qv_column *out) {
  uint8_t *valid = agg_grow(NULL, 0, n_groups, 1);
  for (int64_t g = 0; g < n_groups; g++) valid[g] = st->count[g] > 0;
  if (st->float_input) output_sum_float(st, n_groups, valid, out);
  else output_sum_int(st, n_groups, valid, out);
  free(valid);
}

void agg_output(agg_state *st, int64_t n_groups, const agg_dict *dict, qv_column *out) {
  ensure_groups(st, n_groups);
  switch (st->spec->op) {
    case AGG_COUNT:
    case AGG_COUNT_DISTINCT: build_int64(st->count, NULL, n_groups, out); return;
    case AGG_SUM:
    case AGG_MEAN: output_sum(st, n_groups, out); return;
    default:
      store_resize(&st->values, n_groups);
      store_output(&st->values, dict, out);
      return;
  }
}

void agg_state_free(agg_state *st) {
  agg_distinct *d = &st->distinct;
  free(d->slots);
  free(d->hash);
  free(d->group);
  free(d->key);
  free(d->size);
  free(d->arena);
  free(st->count);
  free(st->int_sum);
  free(st->float_sum);
  free(st->compensation);
  free(st->stamp);
  store_free(&st->values);
  memset(st, 0, sizeof *st);
}
