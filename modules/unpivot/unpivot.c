/*
 * unpivot — wide to long: each input row becomes one output row per listed column, holding the
 * other (identifier) columns, the listed column's name and its value (SQL `UNPIVOT t ON
 * columns INTO NAME name VALUE value`).
 *
 * Params (see unpivot.json): {"columns": ["Europe", "Japan", "USA"], "nameColumn": "origin",
 * "valueColumn": "count", "includeNulls": false}.
 *
 * Output: the identifier columns in input order, then the name (utf8) and the value. Rows come
 * in input order, and for each input row in the listed columns' order. Null values are left
 * out unless `includeNulls` (as DuckDB's UNPIVOT, which leaves them out unless INCLUDE NULLS).
 * The value type: int64 when every listed column is an integer, float64 when all are numbers
 * and one is a float, else the listed columns must share one type (dictionaries decoded); any
 * other mix is refused, naming the column.
 *
 * Row-local and stateless: streamable, each record batch unpivoted on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"
#include "quiver.h"

#define MODULE "unpivot"

static const qv_schema *schema;
static int64_t *listed;
static int n_listed;
static bool *is_listed;
static bool include_nulls;
static qv_type value_type;

/** The common value type of the listed columns (see the file comment). */
static qv_type common_type(void) {
  bool all_int = true, all_numeric = true;
  for (int i = 0; i < n_listed; i++) {
    qv_type_id id = schema->fields[listed[i]].type.id;
    all_int = all_int && qv_type_id_is_integer(id);
    all_numeric = all_numeric && qv_type_id_is_numeric(id);
  }
  if (all_int) return qv_type_make(QV_TYPE_INT64);
  if (all_numeric) return qv_type_make(QV_TYPE_FLOAT64);
  qv_type t = schema->fields[listed[0]].type;
  t.dictionary = false;
  for (int i = 1; i < n_listed; i++) {
    qv_type u = schema->fields[listed[i]].type;
    u.dictionary = false;
    if (!qv_type_equals(&t, &u))
      qv_fail("unpivot: parameter columns[%d]: column \"%s\" is %s, but \"%s\" is %s; list columns "
              "of one type (or numbers only)", i, schema->fields[listed[i]].name,
              qv_type_id_name(u.id), schema->fields[listed[0]].name, qv_type_id_name(t.id));
  }
  return t;
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const top[] = {"columns", "nameColumn", "valueColumn", "includeNulls"};
  const char *name_column, *value_column;
  if (params->kind != QV_JSON_OBJECT) qv_fail("unpivot: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 4);
  schema = qv_step_input_schema(step, 0);
  n_listed = rs_column_list(params, "columns", schema, MODULE, &listed);
  if (n_listed == 0) qv_fail("unpivot: parameter 'columns' needs at least one column");
  if (qv_json_get_string_or(params, "nameColumn", "name", &name_column, err) != QV_OK ||
      qv_json_get_string_or(params, "valueColumn", "value", &value_column, err) != QV_OK ||
      qv_json_get_bool_or(params, "includeNulls", false, &include_nulls, err) != QV_OK)
    return qv_error_set(err, EINVAL, "unpivot: %s", err->message);
  is_listed = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *is_listed);
  for (int i = 0; i < n_listed; i++) {
    if (is_listed[listed[i]]) qv_fail("unpivot: parameter columns[%d]: \"%s\" is listed twice", i, schema->fields[listed[i]].name);
    is_listed[listed[i]] = true;
  }
  value_type = common_type();
  qv_schema out;
  int64_t n_out = schema->n_fields - n_listed + 2, j = 0;
  int rc = qv_schema_init(&out, n_out, err);
  for (int64_t c = 0; rc == QV_OK && c < schema->n_fields; c++)
    if (!is_listed[c]) rc = qv_schema_set_field(&out, j++, schema->fields[c].name, schema->fields[c].type, schema->fields[c].nullable, err);
  if (rc == QV_OK) rc = qv_schema_set_field(&out, j, name_column, qv_type_make(QV_TYPE_UTF8), false, err);
  if (rc == QV_OK) rc = qv_schema_set_field(&out, j + 1, value_column, value_type, include_nulls, err);
  for (int64_t k = 0; rc == QV_OK && k < n_out; k++)
    for (int64_t m = 0; m < k; m++)
      if (strcmp(out.fields[k].name, out.fields[m].name) == 0)
        qv_fail("unpivot: output column \"%s\" appears twice; choose another name or value column name", out.fields[k].name);
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "unpivot: %s", err->message) : QV_OK;
}

/** Appends row `i` of listed column `col` to the value builder, converting numbers. */
static int append_value(qv_builder *b, const qv_column *col, int64_t i, qv_error *err) {
  if (qv_column_is_null(col, i)) return qv_builder_append_null(b, err);
  if (value_type.id == QV_TYPE_INT64) {
    if (col->type.id == QV_TYPE_UINT64 && qv_column_uint64_at(col, i) > (uint64_t)INT64_MAX)
      return qv_error_set(err, ERANGE, "value %llu does not fit int64", (unsigned long long)qv_column_uint64_at(col, i));
    return qv_builder_append_int64(b, qv_column_int64_at(col, i), err);
  }
  if (value_type.id == QV_TYPE_FLOAT64 && col->type.id != QV_TYPE_FLOAT64)
    return qv_builder_append_double(b, qv_column_double_at(col, i), err);
  return qv_builder_append_from(b, col, i, err);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  int64_t *source = qv_calloc_or_fail(MODULE, (size_t)(in->n_rows * n_listed), sizeof *source), n = 0;
  qv_builder *names = NULL, *vals = NULL;
  int rc = qv_builder_new(qv_type_make(QV_TYPE_UTF8), in->n_rows * n_listed, &names, err);
  if (rc == QV_OK) rc = qv_builder_new(value_type, in->n_rows * n_listed, &vals, err);
  for (int64_t i = 0; rc == QV_OK && i < in->n_rows; i++) {
    for (int k = 0; rc == QV_OK && k < n_listed; k++) {
      const qv_column *col = &in->columns[listed[k]];
      if (!include_nulls && qv_column_is_null(col, i)) continue;
      source[n++] = i;
      rc = qv_builder_append_str(names, schema->fields[listed[k]].name, err);
      if (rc == QV_OK) rc = append_value(vals, col, i, err);
    }
  }
  qv_batch out;
  memset(&out, 0, sizeof out);
  int64_t n_out = schema->n_fields - n_listed + 2, j = 0;
  if (rc == QV_OK) rc = qv_batch_init(&out, n_out, n, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++)
    if (!is_listed[c]) rc = qv_column_take(&in->columns[c], source, n, &out.columns[j++], err);
  if (rc == QV_OK) rc = qv_builder_finish(names, &out.columns[j], err), names = NULL;
  if (rc == QV_OK) rc = qv_builder_finish(vals, &out.columns[j + 1], err), vals = NULL;
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  qv_builder_free(names);
  qv_builder_free(vals);
  free(source);
  return rc != QV_OK ? qv_error_set(err, rc, "unpivot: %s", err->message) : QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "unpivot", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch)
