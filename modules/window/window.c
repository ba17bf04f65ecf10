/*
 * window — adds window-function columns to its input (SQL `f(...) OVER (PARTITION BY ...
 * ORDER BY ...)`), several in one step over one partitioning and ordering.
 *
 * Params (see window.json):
 *   {"partitionBy": ["symbol"], "orderBy": [{"column": "date", "descending": false,
 *    "nulls": "last"}], "columns": [{"name": "rn", "op": "row_number"},
 *    {"name": "prev", "op": "lag", "column": "price", "offset": 1},
 *    {"name": "ma5", "op": "moving_mean", "column": "price", "rows": 5}]}
 *
 * Semantics (checked against DuckDB in window.test.ts):
 * - Rows are ordered within each partition by `orderBy`, ties (and everything, when there is no
 *   `orderBy`) in input order: the sort is stable. row_number numbers rows in that order.
 * - rank / dense_rank: rows equal on every order key are peers and share a rank (SQL).
 * - lag / lead: the value `offset` rows back / ahead in the partition (null past its edge).
 * - first_value / last_value: the partition's first / last row's value. Deliberately over the
 *   whole partition (SQL's `ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING`), not SQL's
 *   default frame, whose last_value is the current row's last peer and surprises everyone.
 * - running_sum / running_mean / running_count: over the partition's rows up to this one
 *   (`ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`, so ties do not share a total), nulls
 *   skipped; sum and mean are null before the first value; running_count without a column
 *   counts rows. running_sum of integers is an exact int64 (overflow fails the step), of
 *   floats a float64.
 * - moving_mean: the mean of the non-null values among the last `rows` rows, this one
 *   included (`ROWS BETWEEN rows-1 PRECEDING AND CURRENT ROW`).
 * Output: the input's columns unchanged, then the window columns, in input order.
 *
 * Algorithm: the step holds its input (`holds_input`; the SDK keeps every batch until
 * `finish`). At `finish` (window_run.c) the partition, order and value columns (only those)
 * are concatenated, the rows are sorted by partition keys then order keys with the sort
 * module's stable sort (window_sort.c), partition and peer boundaries are marked, and each
 * window column is computed at its rows' input positions (window_ops.c). The held batches are then written
 * again, their columns borrowed, with the window columns beside them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"
#include "quiver.h"
#include "window_plan.h"

static w_plan plan;
static qv_batch *held;
static int64_t n_held, capacity_held;

static void read_order(const qv_json *params) {
  static const char *const members[] = {"column", "descending", "nulls"};
  const qv_json *list = qv_json_get(params, "orderBy");
  if (list == NULL || list->kind == QV_JSON_NULL) return;
  if (list->kind != QV_JSON_ARRAY) qv_fail("window: parameter 'orderBy' must be an array");
  plan.order = qv_calloc_or_fail(MODULE, (size_t)list->n_children, sizeof *plan.order);
  for (int64_t i = 0; i < list->n_children; i++) {
    const qv_json *key = &list->children[i];
    char where[64];
    qv_error err;
    snprintf(where, sizeof where, "orderBy[%lld]", (long long)i);
    if (key->kind != QV_JSON_OBJECT) qv_fail("window: parameter %s must be an object", where);
    qv_require_members(key, MODULE, where, members, 3);
    const char *column, *nulls;
    bool descending;
    if (qv_json_get_string(key, "column", &column, &err) != QV_OK ||
        qv_json_get_bool_or(key, "descending", false, &descending, &err) != QV_OK ||
        qv_json_get_string_or(key, "nulls", "last", &nulls, &err) != QV_OK)
      qv_fail("window: %s: %s", where, err.message);
    if (strcmp(nulls, "first") != 0 && strcmp(nulls, "last") != 0)
      qv_fail("window: parameter %s.nulls must be \"first\" or \"last\"", where);
    strncat(where, ".column", sizeof where - strlen(where) - 1);
    plan.order[i] = (sort_key){qv_require_column(plan.schema, MODULE, where, column), descending,
                               strcmp(nulls, "first") == 0};
  }
  plan.n_order = (int)list->n_children;
}

/** Reads window column `i` into plan.specs[i]. */
static void read_spec(const qv_json *entry, int64_t i) {
  static const char *const members[] = {"name", "op", "column", "offset", "rows"};
  char where[64];
  qv_error err;
  snprintf(where, sizeof where, "columns[%lld]", (long long)i);
  if (entry->kind != QV_JSON_OBJECT) qv_fail("window: parameter %s must be an object", where);
  qv_require_members(entry, MODULE, where, members, 5);
  w_spec *s = &plan.specs[i];
  const char *op, *column;
  if (qv_json_get_string(entry, "name", &s->name, &err) != QV_OK ||
      qv_json_get_string(entry, "op", &op, &err) != QV_OK ||
      qv_json_get_string_or(entry, "column", NULL, &column, &err) != QV_OK ||
      qv_json_get_int64_or(entry, "offset", 1, &s->offset, &err) != QV_OK ||
      qv_json_get_int64_or(entry, "rows", 3, &s->rows, &err) != QV_OK)
    qv_fail("window: %s: %s", where, err.message);
  if ((s->op = w_op_from_name(op)) == W_OP_COUNT_)
    qv_fail("window: parameter %s.op: unknown function \"%s\"", where, op);
  if (s->offset < 0) qv_fail("window: parameter %s.offset must be 0 or more", where);
  if (s->rows < 1) qv_fail("window: parameter %s.rows must be 1 or more", where);
  if (column == NULL && w_op_needs_column(s->op))
    qv_fail("window: parameter %s.column: %s needs a column", where, w_op_name(s->op));
  s->input_column = s->column = -1;
  if (column != NULL) {
    strncat(where, ".column", sizeof where - strlen(where) - 1);
    s->input_column = qv_require_column(plan.schema, MODULE, where, column);
  }
}

/** The result kind of `s` and its output type; fails when a numeric op gets another type. */
static qv_type spec_type(w_spec *s, int64_t i) {
  const qv_type *in = s->input_column >= 0 ? &plan.schema->fields[s->input_column].type : NULL;
  bool numeric_op = s->op == W_RUNNING_SUM || s->op == W_RUNNING_MEAN || s->op == W_MOVING_MEAN;
  if (numeric_op && !qv_type_id_is_numeric(in->id))
    qv_fail("window: parameter columns[%lld].column: %s needs a numeric column, \"%s\" is %s",
            (long long)i, w_op_name(s->op), plan.schema->fields[s->input_column].name,
            qv_type_id_name(in->id));
  switch (s->op) {
    case W_LAG:
    case W_LEAD:
    case W_FIRST_VALUE:
    case W_LAST_VALUE: {
      s->kind = W_ROWS;
      qv_type t = *in;
      t.dictionary = false; /* values are gathered from a decoded copy */
      return t;
    }
    case W_RUNNING_SUM:
      s->kind = qv_type_id_is_integer(in->id) ? W_INT64 : W_DOUBLE;
      return qv_type_make(s->kind == W_INT64 ? QV_TYPE_INT64 : QV_TYPE_FLOAT64);
    case W_RUNNING_MEAN:
    case W_MOVING_MEAN: s->kind = W_DOUBLE; return qv_type_make(QV_TYPE_FLOAT64);
    default: s->kind = W_INT64; return qv_type_make(QV_TYPE_INT64);
  }
}

/** Reads the params and opens the output: the input's fields, then the window columns. */
static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const top[] = {"partitionBy", "orderBy", "columns"};
  const qv_json *columns;
  if (params->kind != QV_JSON_OBJECT) qv_fail("window: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 3);
  plan.schema = qv_step_input_schema(step, 0);
  plan.n_partition = rs_column_list(params, "partitionBy", plan.schema, MODULE, &plan.partition);
  read_order(params);
  if (qv_json_get_array(params, "columns", &columns, err) != QV_OK)
    return qv_error_set(err, EINVAL, "window: %s", err->message);
  if (columns->n_children == 0) qv_fail("window: parameter 'columns' needs at least one column");
  plan.n_specs = (int)columns->n_children;
  plan.specs = qv_calloc_or_fail(MODULE, (size_t)plan.n_specs, sizeof *plan.specs);
  plan.used = qv_calloc_or_fail(MODULE, (size_t)(plan.n_partition + plan.n_order + plan.n_specs),
                                sizeof *plan.used);
  qv_schema out;
  int64_t n_in = plan.schema->n_fields;
  int rc = qv_schema_init(&out, n_in + plan.n_specs, err);
  for (int64_t c = 0; rc == QV_OK && c < n_in; c++) {
    const qv_field *f = &plan.schema->fields[c];
    rc = qv_schema_set_field(&out, c, f->name, f->type, f->nullable, err);
  }
  for (int i = 0; rc == QV_OK && i < plan.n_specs; i++) {
    read_spec(&columns->children[i], i);
    if (qv_schema_find(&out, plan.specs[i].name) >= 0)
      qv_fail("window: parameter columns[%d].name: output column \"%s\" already exists", i,
              plan.specs[i].name);
    qv_type t = spec_type(&plan.specs[i], i);
    bool nullable = plan.specs[i].kind != W_INT64 || plan.specs[i].op == W_RUNNING_SUM;
    rc = qv_schema_set_field(&out, n_in + i, plan.specs[i].name, t, nullable, err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "window: %s", err->message) : QV_OK;
}

/** Holds a batch (a shallow copy: the SDK keeps its buffers until `finish` returns). */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)step, (void)port, (void)err;
  if (n_held == capacity_held) {
    capacity_held = capacity_held ? capacity_held * 2 : 16;
    held = realloc(held, (size_t)capacity_held * sizeof *held);
    if (held == NULL) qv_fail("window: out of memory (%lld batches)", (long long)capacity_held);
  }
  held[n_held++] = *in;
  return QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  (void)err;
  window_run(step, &plan, held, n_held);
  free(held), free(plan.specs), free(plan.used), free(plan.order), free(plan.partition);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "window", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .holds_input = true, .begin = begin, .batch = batch, .finish = finish)
