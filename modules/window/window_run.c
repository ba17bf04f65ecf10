/*
 * window_run.c — the `finish` half of the window step (see window.c for the semantics and the
 * algorithm): concatenate the columns the window reads, sort, compute, write.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/column_concat.h"
#include "../common/column_keys.h"
#include "quiver.h"
#include "window_plan.h"

/** Position of input column `c` in `plan->used`, adding it when new. */
static int64_t use_column(w_plan *plan, int64_t c) {
  for (int i = 0; i < plan->n_used; i++)
    if (plan->used[i] == c) return i;
  plan->used[plan->n_used] = c;
  return plan->n_used++;
}

/** The concatenated columns the window reads, as one batch (`all`), and the sort's order. */
typedef struct w_sorted {
  cc_column *columns;
  qv_batch all;
  uint32_t *perm;
  uint8_t *part_start, *peer_start;
  int64_t n_rows;
} w_sorted;

/** Concatenates the used columns of the held batches into `s->all`. */
static void concat_used(w_plan *plan, w_sorted *s, const qv_batch *held, int64_t n_held) {
  qv_error err;
  for (int i = 0; i < plan->n_partition; i++) use_column(plan, plan->partition[i]);
  for (int i = 0; i < plan->n_order; i++) use_column(plan, plan->order[i].column);
  for (int i = 0; i < plan->n_specs; i++)
    if (plan->specs[i].input_column >= 0) plan->specs[i].column = use_column(plan, plan->specs[i].input_column);
  s->n_rows = 0;
  for (int64_t b = 0; b < n_held; b++) s->n_rows += held[b].n_rows;
  if (s->n_rows > (int64_t)UINT32_MAX) qv_fail("window: more than 2^32 - 1 rows");
  s->columns = qv_calloc_or_fail(MODULE, (size_t)plan->n_used, sizeof *s->columns);
  if (qv_batch_init(&s->all, plan->n_used, s->n_rows, &err) != QV_OK)
    qv_fail("window: %s", err.message);
  for (int i = 0; i < plan->n_used; i++) {
    int64_t c = plan->used[i];
    cc_concat(held, n_held, c, &plan->schema->fields[c].type, &s->columns[i]);
    s->all.columns[i] = s->columns[i].column; /* a view; `columns` owns the buffers */
  }
}

/** True if sorted positions k-1 and k differ on any of the `n` columns `cols` of `all`. */
static bool differs(const w_sorted *s, const ck_view *views, int n, int64_t k) {
  for (int i = 0; i < n; i++)
    if (!ck_rows_equal(&views[i], s->perm[k - 1], &views[i], s->perm[k])) return true;
  return false;
}

/** Sorts by partition then order keys and marks partition and peer boundaries. */
static void sort_rows(w_plan *plan, w_sorted *s) {
  int n_keys = plan->n_partition + plan->n_order;
  sort_key *keys = qv_calloc_or_fail(MODULE, (size_t)n_keys + 1, sizeof *keys);
  ck_view *views = qv_calloc_or_fail(MODULE, (size_t)n_keys + 1, sizeof *views);
  for (int i = 0; i < n_keys; i++) {
    keys[i] = i < plan->n_partition ? (sort_key){plan->partition[i], false, false}
                                    : plan->order[i - plan->n_partition];
    keys[i].column = use_column(plan, keys[i].column); /* already used: its position in `all` */
    views[i] = ck_view_make(&s->all.columns[keys[i].column]);
  }
  s->perm = qv_calloc_or_fail(MODULE, (size_t)s->n_rows, sizeof *s->perm);
  if (n_keys > 0) {
    sort_permutation(&s->all, keys, n_keys, s->perm);
  } else {
    for (int64_t i = 0; i < s->n_rows; i++) s->perm[i] = (uint32_t)i;
  }
  s->part_start = qv_calloc_or_fail(MODULE, (size_t)s->n_rows, 1);
  s->peer_start = qv_calloc_or_fail(MODULE, (size_t)s->n_rows, 1);
  for (int64_t k = 1; k < s->n_rows; k++) {
    s->part_start[k] = differs(s, views, plan->n_partition, k);
    s->peer_start[k] = s->part_start[k] || differs(s, views + plan->n_partition, plan->n_order, k);
  }
  free(keys);
  free(views);
}

/** Builds rows [at, at+n) of a W_INT64 / W_DOUBLE result as a column of type `type`. */
static void build_column(const w_spec *spec, const w_result *r, int64_t at, int64_t n,
                         qv_column *out) {
  qv_error err;
  qv_builder *b;
  qv_type type = qv_type_make(spec->kind == W_DOUBLE ? QV_TYPE_FLOAT64 : QV_TYPE_INT64);
  int rc = qv_builder_new(type, n, &b, &err);
  for (int64_t i = at; rc == QV_OK && i < at + n; i++) {
    if (!r->valid[i]) rc = qv_builder_append_null(b, &err);
    else if (spec->kind == W_DOUBLE) rc = qv_builder_append_double(b, r->doubles[i], &err);
    else rc = qv_builder_append_int64(b, r->ints[i], &err);
  }
  if (rc == QV_OK) rc = qv_builder_finish(b, out, &err);
  else qv_builder_free(b);
  if (rc != QV_OK) qv_fail("window: column \"%s\": %s", spec->name, err.message);
}

/** Writes each held batch with the window columns beside its own (borrowed) columns. */
static void write_held(qv_step *step, const w_plan *plan, const qv_batch *held, int64_t n_held,
                       const w_result *results, const qv_column *decoded) {
  qv_error err;
  int64_t n_in = plan->schema->n_fields, at = 0;
  for (int64_t b = 0; b < n_held; b++) {
    const qv_batch *in = &held[b];
    qv_batch out;
    if (qv_batch_init(&out, n_in + plan->n_specs, in->n_rows, &err) != QV_OK)
      qv_fail("window: %s", err.message);
    for (int64_t c = 0; c < n_in; c++) qv_column_borrow(&in->columns[c], &out.columns[c]);
    for (int i = 0; i < plan->n_specs; i++) {
      const w_spec *spec = &plan->specs[i];
      if (spec->kind != W_ROWS) {
        build_column(spec, &results[i], at, in->n_rows, &out.columns[n_in + i]);
      } else if (qv_column_take(&decoded[spec->column], results[i].ints + at, in->n_rows,
                                &out.columns[n_in + i], &err) != QV_OK) {
        qv_fail("window: column \"%s\": %s", spec->name, err.message);
      }
    }
    if (qv_step_write(step, 0, &out, &err) != QV_OK) qv_fail("window: %s", err.message);
    qv_batch_release(&out);
    at += in->n_rows;
  }
}

void window_run(qv_step *step, w_plan *plan, const qv_batch *held, int64_t n_held) {
  qv_error err;
  w_sorted s;
  memset(&s, 0, sizeof s);
  concat_used(plan, &s, held, n_held);
  sort_rows(plan, &s);
  w_result *results = qv_calloc_or_fail(MODULE, (size_t)plan->n_specs, sizeof *results);
  /* Gathered values come from plain copies, so every output batch has the declared type. */
  qv_column *decoded = qv_calloc_or_fail(MODULE, (size_t)plan->n_used, sizeof *decoded);
  for (int i = 0; i < plan->n_specs; i++) {
    const w_spec *spec = &plan->specs[i];
    const qv_column *value = spec->column >= 0 ? &s.all.columns[spec->column] : NULL;
    w_compute(spec, s.perm, s.n_rows, s.part_start, s.peer_start, value, &results[i]);
    if (spec->kind == W_ROWS && decoded[spec->column].length == 0 && s.n_rows > 0 &&
        qv_column_decode_dictionary(value, &decoded[spec->column], &err) != QV_OK)
      qv_fail("window: %s", err.message);
  }
  write_held(step, plan, held, n_held, results, decoded);
  for (int i = 0; i < plan->n_specs; i++) w_result_free(&results[i]);
  for (int i = 0; i < plan->n_used; i++) {
    qv_column_release(&decoded[i]);
    cc_column_free(&s.columns[i]);
  }
  free(results), free(decoded), free(s.columns), free(s.perm), free(s.part_start);
  free(s.peer_start);
  qv_batch_release(&s.all);
}

