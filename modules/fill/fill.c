/*
 * fill — replaces nulls in some columns (all when none are listed): by a constant, by the
 * previous non-null value ("down", as pandas ffill / SQL LAST_VALUE(x IGNORE NULLS) over the
 * rows so far), or by the next non-null value ("up", bfill), optionally within groups of rows
 * with equal `groupBy` values. Nulls before the first (down) or after the last (up) value of
 * their group stay null.
 *
 * Params (see fill.json): {"columns": ["temp"], "mode": "down", "groupBy": ["station"]} or
 * {"columns": ["temp"], "mode": "constant", "value": "0"} (the constant as text, read as each
 * column's type).
 *
 * Streaming: constant and down-fill without groups write each batch as it comes and keep only
 * the last value of each column (one row); the step sees its batches in order (not streamable
 * per batch, since the last value crosses batches). Up-fill must see a later value before it
 * can write a null, and per-group fill must remember every group's last value, so those keep a
 * copy of the whole input and write it at the end (fill_held.c): their memory limit must allow
 * for the input.
 */
#include "fill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"

fill_plan plan;
/** Down-fill: per input column, a one-row copy of its last non-null value (length 0: none). */
static qv_column *carry;

qv_type fill_output_type(int64_t c) {
  qv_type t = plan.schema->fields[c].type;
  if (plan.filled[c]) t.dictionary = false;
  return t;
}

/** The constant, read once per filled column (constant mode). */
typedef struct fill_constant {
  int64_t i;
  double f;
  bool b;
} fill_constant;
static fill_constant *constant;

/**
 * Reads the constant (text, as the inspector's field gives it) as the value of each filled
 * column: whole numbers for integer columns, numbers for float columns, true/false for booleans,
 * the text itself for strings. Fails naming the column when it does not fit.
 */
static void read_constant(void) {
  const qv_json *v = plan.value;
  if (v == NULL || v->kind != QV_JSON_STRING)
    qv_fail("fill: parameter 'value' (text) is needed for mode \"constant\"");
  constant = qv_calloc_or_fail(MODULE, (size_t)plan.schema->n_fields, sizeof *constant);
  const char *text = v->string_value;
  for (int64_t c = 0; c < plan.schema->n_fields; c++) {
    if (!plan.filled[c]) continue;
    qv_type_id id = plan.schema->fields[c].type.id;
    char *end = NULL;
    bool fits = id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8;
    if (qv_type_id_is_integer(id)) {
      errno = 0;
      constant[c].i = strtoll(text, &end, 10);
      fits = *text != 0 && *end == 0 && errno == 0;
    } else if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) {
      constant[c].f = strtod(text, &end);
      fits = *text != 0 && *end == 0;
    } else if (id == QV_TYPE_BOOL) {
      constant[c].b = strcmp(text, "true") == 0;
      fits = constant[c].b || strcmp(text, "false") == 0;
    }
    if (!fits)
      qv_fail("fill: parameter 'value' \"%s\" does not fit column \"%s\" (%s)", text,
              plan.schema->fields[c].name, qv_type_id_name(id));
  }
}

static void read_params(const qv_json *params) {
  static const char *const top[] = {"columns", "mode", "value", "groupBy"};
  qv_error err;
  const char *mode;
  int64_t *columns;
  if (params->kind != QV_JSON_OBJECT) qv_fail("fill: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 4);
  if (qv_json_get_string_or(params, "mode", "down", &mode, &err) != QV_OK)
    qv_fail("fill: %s", err.message);
  if (strcmp(mode, "constant") == 0) plan.mode = FILL_CONSTANT;
  else if (strcmp(mode, "down") == 0) plan.mode = FILL_DOWN;
  else if (strcmp(mode, "up") == 0) plan.mode = FILL_UP;
  else qv_fail("fill: parameter 'mode' must be \"constant\", \"down\" or \"up\", found \"%s\"", mode);
  int n = rs_column_list(params, "columns", plan.schema, MODULE, &columns);
  plan.filled = qv_calloc_or_fail(MODULE, (size_t)plan.schema->n_fields, sizeof *plan.filled);
  for (int64_t c = 0; c < plan.schema->n_fields; c++) plan.filled[c] = n == 0;
  for (int i = 0; i < n; i++) plan.filled[columns[i]] = true;
  free(columns);
  plan.n_group_by = rs_column_list(params, "groupBy", plan.schema, MODULE, &plan.group_by);
  if (plan.mode == FILL_CONSTANT && plan.n_group_by > 0)
    qv_fail("fill: parameter 'groupBy' does not apply to mode \"constant\"");
  plan.value = qv_json_get(params, "value");
  if (plan.mode == FILL_CONSTANT) read_constant();
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  plan.schema = qv_step_input_schema(step, 0);
  read_params(params);
  carry = qv_calloc_or_fail(MODULE, (size_t)plan.schema->n_fields, sizeof *carry);
  qv_schema out;
  int rc = qv_schema_copy(plan.schema, &out, err);
  for (int64_t c = 0; rc == QV_OK && c < out.n_fields; c++) {
    out.fields[c].type = fill_output_type(c);
    if (plan.filled[c] && plan.mode == FILL_CONSTANT) out.fields[c].nullable = false;
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "fill: %s", err->message) : QV_OK;
}

/** Appends the constant, as read for column `c`, to `b`. */
static int append_constant(qv_builder *b, int64_t c, qv_type_id id, qv_error *err) {
  if (qv_type_id_is_integer(id)) return qv_builder_append_int64(b, constant[c].i, err);
  if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) return qv_builder_append_double(b, constant[c].f, err);
  if (id == QV_TYPE_BOOL) return qv_builder_append_bool(b, constant[c].b, err);
  return qv_builder_append_bytes(b, plan.value->string_value, plan.value->string_size_bytes, err);
}

/** Column `c` of a batch with its nulls filled (constant, or down from the carry). */
static int fill_streaming(const qv_column *in, int64_t c, qv_column *out, qv_error *err) {
  qv_builder *b;
  qv_type type = fill_output_type(c);
  int rc = qv_builder_new(type, in->length, &b, err);
  int64_t last = -1;
  for (int64_t i = 0; rc == QV_OK && i < in->length; i++) {
    if (!qv_column_is_null(in, i)) rc = qv_builder_append_from(b, in, last = i, err);
    else if (plan.mode == FILL_CONSTANT) rc = append_constant(b, c, type.id, err);
    else if (last >= 0) rc = qv_builder_append_from(b, in, last, err);
    else if (carry[c].length > 0) rc = qv_builder_append_from(b, &carry[c], 0, err);
    else rc = qv_builder_append_null(b, err);
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return rc;
  }
  if (last >= 0 && plan.mode == FILL_DOWN) { /* the new carry: a copy of row `last` */
    qv_builder *one;
    qv_column_release(&carry[c]);
    rc = qv_builder_new(type, 1, &one, err);
    if (rc == QV_OK) rc = qv_builder_append_from(one, in, last, err);
    if (rc == QV_OK) rc = qv_builder_finish(one, &carry[c], err);
    else qv_builder_free(one);
  }
  if (rc == QV_OK) rc = qv_builder_finish(b, out, err);
  else qv_builder_free(b);
  return rc;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (plan.mode == FILL_UP || plan.n_group_by > 0) {
    fill_held_keep(in);
    return QV_OK;
  }
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, in->n_rows, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++) {
    if (!plan.filled[c]) qv_column_borrow(&in->columns[c], &out.columns[c]);
    else if ((rc = fill_streaming(&in->columns[c], c, &out.columns[c], err)) != QV_OK)
      rc = qv_error_set(err, rc, "fill: column \"%s\": %s", plan.schema->fields[c].name, err->message);
  }
  if (rc == QV_OK && (rc = qv_step_write(step, 0, &out, err)) != QV_OK)
    rc = qv_error_set(err, rc, "fill: %s", err->message);
  qv_batch_release(&out);
  return rc;
}

static int finish(qv_step *step, qv_error *err) {
  (void)err;
  if (plan.mode == FILL_UP || plan.n_group_by > 0) fill_held_finish(step);
  for (int64_t c = 0; c < plan.schema->n_fields; c++) qv_column_release(&carry[c]);
  free(carry), free(constant), free(plan.filled), free(plan.group_by);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "fill", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
