/*
 * distinct — drops rows whose key repeats an earlier row's (SQL `SELECT DISTINCT *`, or
 * `DISTINCT ON (keys)` when key columns are given).
 *
 * Params (see distinct.json): {"columns": ["city", "state"]}; absent or empty = every column.
 * With some columns, the row kept for each key is its *first occurrence* in input order, and
 * every column of that row is output. Output rows keep input order. Nulls equal each other and
 * dictionary columns compare by value (modules/common/column_keys.h).
 *
 * Algorithm: a hash set of (batch, row) references (modules/common/row_set.h). A row whose key
 * is new is written at once, so output streams; but the set refers to earlier rows' values
 * instead of copying them, so the step holds its input (`holds_input`, manifest
 * `"holdsInput": true`) until the end.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"
#include "quiver.h"

#define MODULE "distinct"

static const qv_schema *schema;
static int64_t *key_columns;
static int n_keys;
static rs_set seen;
/** Key views of each held batch (kept for the set: entries point into them). */
static ck_view **views;
static int64_t n_views, capacity_views;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const members[] = {"columns"};
  if (params->kind != QV_JSON_OBJECT) qv_fail("distinct: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", members, 1);
  schema = qv_step_input_schema(step, 0);
  n_keys = rs_column_list(params, "columns", schema, MODULE, &key_columns);
  if (n_keys == 0) { /* every column */
    free(key_columns);
    n_keys = (int)schema->n_fields;
    key_columns = qv_calloc_or_fail(MODULE, (size_t)n_keys, sizeof *key_columns);
    for (int k = 0; k < n_keys; k++) key_columns[k] = k;
  }
  rs_init(&seen, n_keys, MODULE);
  int rc = qv_step_open_output(step, 0, schema, err);
  return rc != QV_OK ? qv_error_set(err, rc, "distinct: %s", err->message) : QV_OK;
}

/** Key views of `in`, kept until finish. */
static const ck_view *hold_views(const qv_batch *in) {
  if (n_views == capacity_views) {
    capacity_views = capacity_views ? capacity_views * 2 : 64;
    views = realloc(views, (size_t)capacity_views * sizeof *views);
    if (views == NULL) qv_fail("distinct: out of memory (%lld batches)", (long long)n_views);
  }
  ck_view *v = qv_calloc_or_fail(MODULE, (size_t)n_keys, sizeof *v);
  for (int k = 0; k < n_keys; k++) v[k] = ck_view_make(&in->columns[key_columns[k]]);
  views[n_views++] = v;
  return v;
}

/** Writes rows `rows[0..n)` of `in`. */
static int write_rows(qv_step *step, const qv_batch *in, const int64_t *rows, int64_t n,
                      qv_error *err) {
  if (n == in->n_rows) return qv_step_write(step, 0, in, err); /* nothing dropped */
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, n, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++)
    rc = qv_column_take(&in->columns[c], rows, n, &out.columns[c], err);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  return rc;
}

/** Writes the rows of `in` whose key was not seen before. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (in->n_rows == 0) return QV_OK;
  const ck_view *v = hold_views(in);
  int64_t *rows = qv_calloc_or_fail(MODULE, (size_t)in->n_rows, sizeof *rows);
  int64_t n = 0;
  for (int64_t i = 0; i < in->n_rows; i++) {
    bool added;
    rs_find_or_add(&seen, v, i, &added);
    if (added) rows[n++] = i;
  }
  int rc = n > 0 ? write_rows(step, in, rows, n, err) : QV_OK;
  free(rows);
  return rc != QV_OK ? qv_error_set(err, rc, "distinct: %s", err->message) : QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  (void)step, (void)err;
  rs_free(&seen);
  for (int64_t b = 0; b < n_views; b++) free(views[b]);
  free(views);
  free(key_columns);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "distinct", .inputs = inputs, .n_inputs = 1, .outputs = outputs,
          .n_outputs = 1, .holds_input = true, .begin = begin, .batch = batch, .finish = finish)
