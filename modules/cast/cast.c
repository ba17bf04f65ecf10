/*
 * cast — changes the types of some columns (SQL `CAST(x AS type)`, or `TRY_CAST` with
 * "onError": "null").
 *
 * Params (see cast.json): {"columns": [{"column": "Year", "to": "date"}], "onError": "fail"}.
 * Targets: bool, int32, int64, float64, string, date, timestamp (microseconds, no time zone).
 * A value that does not convert (text that is not a number, a float out of range of the
 * integer type, an impossible date) becomes null with "onError": "null", or fails the step
 * with "onError": "fail", naming the column, the input row (counted from 0 over the whole
 * input) and the value. A pair of types that never converts (a date to an integer) is refused
 * before any row is read. Conversions follow DuckDB's (cast_value.c): floats to integers round
 * halves to even; text to integers accepts spaces around, a sign, 0x hex and decimals
 * (rounded, halves away from zero); text to bool accepts true/false, t/f, yes/no, y/n, 1/0
 * in any case.
 *
 * Not streamable per batch, on purpose: the step counts rows across batches so that an error
 * names the input row. It does not hold its input: each batch is converted and written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cast_value.h"
#include "quiver.h"

#define MODULE "cast"

/** Per input column: its target (CV_TO_COUNT_: unchanged) and how its values are read. */
static cv_target *target;
static cv_kind *source;
static bool null_on_error;
static const qv_schema *schema;
static int64_t rows_before; /* input rows in earlier batches */

/** Reads columns[i] into target[] / source[]; refuses pairs that never convert. */
static void read_column(const qv_json *entry, int64_t i) {
  static const char *const members[] = {"column", "to"};
  char where[64];
  qv_error err;
  const char *column, *to;
  snprintf(where, sizeof where, "columns[%lld]", (long long)i);
  if (entry->kind != QV_JSON_OBJECT) qv_fail("cast: parameter %s must be an object", where);
  qv_require_members(entry, MODULE, where, members, 2);
  if (qv_json_get_string(entry, "column", &column, &err) != QV_OK ||
      qv_json_get_string(entry, "to", &to, &err) != QV_OK)
    qv_fail("cast: %s: %s", where, err.message);
  strncat(where, ".column", sizeof where - strlen(where) - 1);
  int64_t c = qv_require_column(schema, MODULE, where, column);
  if (target[c] != CV_TO_COUNT_) qv_fail("cast: parameter %s: \"%s\" is cast twice", where, column);
  if ((target[c] = cv_target_from_name(to)) == CV_TO_COUNT_)
    qv_fail("cast: parameter columns[%lld].to: unknown type \"%s\"", (long long)i, to);
  const qv_type *type = &schema->fields[c].type;
  int kind = cv_source_kind(type);
  if (kind < 0 || !cv_castable((cv_kind)kind, target[c]))
    qv_fail("cast: parameter columns[%lld].to: column \"%s\" (%s) cannot be cast to %s",
            (long long)i, column, qv_type_id_name(type->id), to);
  source[c] = (cv_kind)kind;
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const top[] = {"columns", "onError"};
  const qv_json *columns;
  const char *on_error;
  if (params->kind != QV_JSON_OBJECT) qv_fail("cast: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 2);
  schema = qv_step_input_schema(step, 0);
  if (qv_json_get_array(params, "columns", &columns, err) != QV_OK ||
      qv_json_get_string_or(params, "onError", "fail", &on_error, err) != QV_OK)
    return qv_error_set(err, EINVAL, "cast: %s", err->message);
  if (strcmp(on_error, "null") != 0 && strcmp(on_error, "fail") != 0)
    qv_fail("cast: parameter 'onError' must be \"null\" or \"fail\", found \"%s\"", on_error);
  null_on_error = strcmp(on_error, "null") == 0;
  target = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *target);
  source = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *source);
  for (int64_t c = 0; c < schema->n_fields; c++) target[c] = CV_TO_COUNT_;
  for (int64_t i = 0; i < columns->n_children; i++) read_column(&columns->children[i], i);
  qv_schema out;
  int rc = qv_schema_copy(schema, &out, err);
  for (int64_t c = 0; rc == QV_OK && c < schema->n_fields; c++) {
    if (target[c] == CV_TO_COUNT_) continue;
    out.fields[c].type = cv_target_type(target[c]);
    out.fields[c].nullable = true;
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "cast: %s", err->message) : QV_OK;
}

/** Converts column `c` of a batch into `out` (owned by the caller). */
static int convert(const qv_column *in, int64_t c, qv_column *out, qv_error *err) {
  qv_builder *b;
  int rc = qv_builder_new(cv_target_type(target[c]), in->length, &b, err);
  for (int64_t i = 0; rc == QV_OK && i < in->length; i++) {
    if (qv_column_is_null(in, i)) {
      rc = qv_builder_append_null(b, err);
      continue;
    }
    cv_value v = cv_read(in, i, source[c]);
    rc = cv_append(&v, target[c], b, err);
    if (rc != EINVAL) continue;
    if (null_on_error) {
      rc = qv_builder_append_null(b, err);
      continue;
    }
    char text[256];
    cv_format(&v, text, sizeof text);
    qv_builder_free(b);
    return qv_error_set(err, EINVAL, "cast: column \"%s\" row %lld: cannot cast %s%s%s to %s",
                        schema->fields[c].name, (long long)(rows_before + i),
                        v.kind == CV_STR ? "\"" : "", text, v.kind == CV_STR ? "\"" : "",
                        qv_type_id_name(cv_target_type(target[c]).id));
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return qv_error_set(err, rc, "cast: column \"%s\": %s", schema->fields[c].name, err->message);
  }
  return qv_builder_finish(b, out, err);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, in->n_rows, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++) {
    if (target[c] == CV_TO_COUNT_) qv_column_borrow(&in->columns[c], &out.columns[c]);
    else rc = convert(&in->columns[c], c, &out.columns[c], err);
  }
  if (rc == QV_OK && (rc = qv_step_write(step, 0, &out, err)) != QV_OK)
    rc = qv_error_set(err, rc, "cast: %s", err->message);
  qv_batch_release(&out);
  rows_before += in->n_rows;
  return rc;
}

static int finish(qv_step *step, qv_error *err) {
  (void)step, (void)err;
  free(target);
  free(source);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "cast", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
