/*
 * derive — writes input `in` to `out` with one column computed by an expression: appended
 * last under the name `column`, or, if the input has a column of that name, in its place.
 * Other columns keep their types. The new column's type is the expression's: int64, float64,
 * bool, utf8, date32 or timestamp (microseconds, no time zone).
 *
 * Params (see derive.json): {"column": "...", "expression": "<source>", "compiled": {...}};
 * the host fills `compiled` (src/pipeline/expression, compileExpressionParams). Streamable.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "quiver.h"

/** The expression's text (borrowed from the parameters) and compiled form. */
static const char *source;
static qv_expr *expr;
/** Index of the computed column in the output, and the output's column count. */
static int64_t target, n_out;
/** Record batches seen so far, for messages. */
static int64_t batch_no;

/** The output schema: the input's, with `column` replaced in place or appended. */
static int open_output(qv_step *step, const char *column, qv_error *err) {
  const qv_schema *in_schema = qv_step_input_schema(step, 0);
  target = qv_schema_find(in_schema, column);
  n_out = target >= 0 ? in_schema->n_fields : in_schema->n_fields + 1;
  if (target < 0) target = in_schema->n_fields;
  qv_schema schema = {0};
  int rc = qv_schema_init(&schema, n_out, err);
  for (int64_t c = 0; rc == QV_OK && c < n_out; c++) {
    const qv_field *f = &in_schema->fields[c < in_schema->n_fields ? c : 0];
    rc = c == target
             ? qv_schema_set_field(&schema, c, column,
                                   qv_expr_column_type(qv_expr_result_type(expr)), true, err)
             : qv_schema_set_field(&schema, c, f->name, f->type, f->nullable, err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &schema, err);
  qv_schema_release(&schema);
  return rc != QV_OK ? qv_error_set(err, rc, "derive: %s", err->message) : QV_OK;
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  const char *column;
  if (params->kind != QV_JSON_OBJECT)
    return qv_error_set(err, EINVAL, "derive: parameters must be a JSON object");
  int rc = qv_json_get_string(params, "expression", &source, err);
  if (rc == QV_OK) rc = qv_json_get_string(params, "column", &column, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "derive: %s", err->message);
  if (column[0] == '\0')
    return qv_error_set(err, EINVAL, "derive: parameter 'column' must not be empty");
  const qv_json *compiled = qv_json_get(params, "compiled");
  if (compiled == NULL)
    return qv_error_set(err, EINVAL,
                        "derive: parameter 'compiled' is missing: the host compiles 'expression' "
                        "when it validates the pipeline (compileExpressionParams)");
  rc = qv_expr_compile(compiled, qv_step_input_schema(step, 0), &expr, err);
  if (rc != QV_OK)
    return qv_error_set(err, rc, "derive: expression \"%s\": %s", source, err->message);
  return open_output(step, column, err);
}

/** Writes `in` with the computed column. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  qv_batch out;
  int rc = qv_batch_init(&out, n_out, in->n_rows, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "derive: %s", err->message);
  rc = qv_expr_eval(expr, in, &out.columns[target], err);
  if (rc != QV_OK) {
    rc = qv_error_set(err, rc, "derive: expression \"%s\", batch %lld: %s", source,
                      (long long)batch_no, err->message);
  }
  batch_no++;
  for (int64_t c = 0; c < in->n_columns; c++) {
    if (c != target) qv_column_borrow(&in->columns[c], &out.columns[c]);
  }
  if (rc == QV_OK && (rc = qv_step_write(step, 0, &out, err)) != QV_OK)
    rc = qv_error_set(err, rc, "derive: %s", err->message);
  qv_batch_release(&out);
  return rc;
}

static int finish(qv_step *step, qv_error *err) {
  (void)step;
  (void)err;
  qv_expr_free(expr);
  expr = NULL;
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "derive", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
