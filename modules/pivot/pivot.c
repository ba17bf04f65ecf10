/*
 * pivot — long to wide: one output row per group of `index` values, one output column per
 * listed value of the pivot column, each cell an aggregate of `value` over the group's rows
 * with that pivot value (SQL `PIVOT t ON column IN (values) USING op(value) GROUP BY index`).
 *
 * Params (see pivot.json): {"index": ["Year"], "column": "Origin", "values": ["USA", "Europe",
 * "Japan"], "value": "Horsepower", "op": "mean"}.
 *
 * Why the values are listed: a pivot's output columns are the pivot column's values, which
 * only a run would reveal; with them in the params the output schema is known before the run
 * (so later steps are checked as the user types) and stays the same from run to run. The
 * inspector fills the list from the step's cached input preview on request. Rows whose pivot
 * value is not listed (or null) are left out, as SQL's `IN (...)` does. Listed values match
 * strings by their bytes, integers and booleans by their text ("1970", "true").
 *
 * Output: the index columns (dictionary columns decoded), then the value columns named after
 * the listed values; groups in order of their first row (nulls form a group, as in GROUP BY).
 * count gives int64; sum gives int64 for integers, float64 for floats; mean float64; min, max
 * and first the value column's type. The step holds its input (`holds_input`): groups and min,
 * max, first refer to the rows they came from rather than copying them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"
#include "pivot_cells.h"
#include "quiver.h"

#define MODULE "pivot"

static const qv_schema *schema;
static int64_t *index_columns, pivot_column, value_column;
static int n_index, n_values;
static const char **values; /* listed pivot values, borrowed from the params */
static pv_op op;
static bool integer_sum;
static rs_set groups;
static pv_cell *cells; /* n_values per group */
static int64_t capacity_groups;
/** Per held batch: its index views, then its pivot and value views (kept for the set). */
static ck_view **views;
static int64_t n_batches, capacity_batches;

static void read_params(const qv_json *params) {
  static const char *const top[] = {"index", "column", "values", "value", "op"};
  qv_error err;
  const char *column, *value, *op_name;
  const qv_json *list;
  if (params->kind != QV_JSON_OBJECT) qv_fail("pivot: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 5);
  n_index = rs_column_list(params, "index", schema, MODULE, &index_columns);
  if (qv_json_get_string(params, "column", &column, &err) != QV_OK ||
      qv_json_get_array(params, "values", &list, &err) != QV_OK ||
      qv_json_get_string_or(params, "value", NULL, &value, &err) != QV_OK ||
      qv_json_get_string_or(params, "op", "sum", &op_name, &err) != QV_OK)
    qv_fail("pivot: %s", err.message);
  pivot_column = qv_require_column(schema, MODULE, "column", column);
  value_column = value == NULL ? -1 : qv_require_column(schema, MODULE, "value", value);
  if ((op = pv_op_from_name(op_name)) == PV_OP_COUNT_)
    qv_fail("pivot: parameter 'op': unknown aggregate \"%s\"", op_name);
  if (value_column < 0 && op != PV_COUNT) qv_fail("pivot: parameter 'value': %s needs a column", op_name);
  qv_type_id vid = value_column < 0 ? QV_TYPE_NULL : schema->fields[value_column].type.id;
  if ((op == PV_SUM || op == PV_MEAN) && !qv_type_id_is_numeric(vid))
    qv_fail("pivot: parameter 'value': %s needs a numeric column, \"%s\" is %s", op_name, value,
            qv_type_id_name(vid));
  integer_sum = op == PV_SUM && qv_type_id_is_integer(vid);
  qv_type_id pid = schema->fields[pivot_column].type.id;
  if (!qv_type_id_is_binary_like(pid) && !qv_type_id_is_integer(pid) && pid != QV_TYPE_BOOL)
    qv_fail("pivot: parameter 'column': \"%s\" is %s; pivot on text, integers or booleans", column,
            qv_type_id_name(pid));
  n_values = (int)list->n_children;
  values = qv_calloc_or_fail(MODULE, (size_t)n_values, sizeof *values);
  for (int i = 0; i < n_values; i++) {
    if (list->children[i].kind != QV_JSON_STRING)
      qv_fail("pivot: parameter values[%d] must be a string", i);
    values[i] = list->children[i].string_value;
  }
}

/** The output type of the value columns. */
static qv_type cell_type(void) {
  if (op == PV_COUNT || integer_sum) return qv_type_make(QV_TYPE_INT64);
  if (op == PV_SUM || op == PV_MEAN) return qv_type_make(QV_TYPE_FLOAT64);
  qv_type t = schema->fields[value_column].type;
  t.dictionary = false;
  return t;
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  schema = qv_step_input_schema(step, 0);
  read_params(params);
  rs_init(&groups, n_index, MODULE);
  qv_schema out;
  int rc = qv_schema_init(&out, n_index + n_values, err);
  for (int k = 0; rc == QV_OK && k < n_index; k++) {
    qv_type t = schema->fields[index_columns[k]].type;
    t.dictionary = false;
    rc = qv_schema_set_field(&out, k, schema->fields[index_columns[k]].name, t, true, err);
  }
  for (int i = 0; rc == QV_OK && i < n_values; i++) {
    if (qv_schema_find(&out, values[i]) >= 0)
      qv_fail("pivot: parameter values[%d]: output column \"%s\" already exists", i, values[i]);
    rc = qv_schema_set_field(&out, n_index + i, values[i], cell_type(), op != PV_COUNT, err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "pivot: %s", err->message) : QV_OK;
}

/** Which listed value row `i` of the pivot column is (-1: none). */
static int match_value(const qv_column *col, int64_t i) {
  if (qv_column_is_null(col, i)) return -1;
  char text[32];
  qv_str s;
  if (qv_type_id_is_binary_like(col->type.id)) {
    s = qv_column_str_at(col, i);
  } else {
    if (col->type.id == QV_TYPE_BOOL) snprintf(text, sizeof text, "%s", qv_column_bool_at(col, i) ? "true" : "false");
    else if (col->type.id == QV_TYPE_UINT64) snprintf(text, sizeof text, "%llu", (unsigned long long)qv_column_uint64_at(col, i));
    else snprintf(text, sizeof text, "%lld", (long long)qv_column_int64_at(col, i));
    s = (qv_str){text, (int64_t)strlen(text)};
  }
  for (int v = 0; v < n_values; v++)
    if ((int64_t)strlen(values[v]) == s.size_bytes && memcmp(values[v], s.data, (size_t)s.size_bytes) == 0)
      return v;
  return -1;
}

/** Views of a held batch: index columns, then the value column (if any). */
static const ck_view *hold_views(const qv_batch *in) {
  if (n_batches == capacity_batches) {
    capacity_batches = capacity_batches ? capacity_batches * 2 : 64;
    views = realloc(views, (size_t)capacity_batches * sizeof *views);
    if (views == NULL) qv_fail("pivot: out of memory (%lld batches)", (long long)capacity_batches);
  }
  ck_view *v = qv_calloc_or_fail(MODULE, (size_t)n_index + 1, sizeof *v);
  for (int k = 0; k < n_index; k++) v[k] = ck_view_make(&in->columns[index_columns[k]]);
  if (value_column >= 0) v[n_index] = ck_view_make(&in->columns[value_column]);
  return views[n_batches++] = v;
}

/** The cells of group `g`, growing the table when `g` is new. */
static pv_cell *group_cells(int64_t g) {
  if (n_values == 0) return NULL; /* no listed value: no cells, only the groups */
  if (g >= capacity_groups) {
    int64_t cap = capacity_groups ? capacity_groups * 2 : 256;
    cells = realloc(cells, (size_t)cap * (size_t)n_values * sizeof *cells);
    if (cells == NULL) qv_fail("pivot: out of memory (%lld groups)", (long long)cap);
    memset(cells + capacity_groups * n_values, 0, (size_t)(cap - capacity_groups) * (size_t)n_values * sizeof *cells);
    capacity_groups = cap;
  }
  return cells + g * n_values;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)step, (void)port, (void)err;
  if (in->n_rows == 0) return QV_OK;
  const ck_view *v = hold_views(in);
  const ck_view *value = value_column >= 0 ? &v[n_index] : NULL;
  const char *value_name = value_column >= 0 ? schema->fields[value_column].name : "";
  for (int64_t i = 0; i < in->n_rows; i++) {
    bool added;
    int64_t g = rs_find_or_add(&groups, v, i, &added);
    pv_cell *row_cells = group_cells(g);
    int p = match_value(&in->columns[pivot_column], i);
    if (p >= 0) pv_cell_add(&row_cells[p], op, integer_sum, value, i, value_name);
  }
  return QV_OK;
}

/** Writes one row per group. */
static int finish(qv_step *step, qv_error *err) {
  int64_t n = groups.n_entries;
  qv_batch out;
  int rc = qv_batch_init(&out, n_index + n_values, n, err);
  for (int c = 0; rc == QV_OK && c < n_index + n_values; c++) {
    qv_builder *b;
    qv_type t = c < n_index ? schema->fields[index_columns[c]].type : cell_type();
    t.dictionary = false;
    rc = qv_builder_new(t, n, &b, err);
    for (int64_t g = 0; rc == QV_OK && g < n; g++) {
      const rs_ref *r = &groups.refs[g];
      rc = c < n_index ? qv_builder_append_from(b, r->views[c].col, r->row, err)
                       : pv_cell_append(&cells[g * n_values + (c - n_index)], op, integer_sum, b, err);
    }
    if (rc == QV_OK) rc = qv_builder_finish(b, &out.columns[c], err);
    else qv_builder_free(b);
  }
  if (rc == QV_OK && n > 0) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  rs_free(&groups);
  for (int64_t b = 0; b < n_batches; b++) free(views[b]);
  free(views), free(cells), free(values), free(index_columns);
  return rc != QV_OK ? qv_error_set(err, rc, "pivot: %s", err->message) : QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "pivot", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .holds_input = true, .begin = begin, .batch = batch, .finish = finish)
