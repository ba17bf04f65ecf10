/*
 * filter — writes the rows of input `in` where a boolean expression is TRUE (SQL WHERE:
 * FALSE and NULL rows are dropped) to `out`, with the input's schema unchanged (dictionary
 * columns stay dictionary-encoded).
 *
 * Params (see filter.json): {"expression": "<source>", "compiled": {...}}. The host compiles
 * `expression` against the input schema and fills `compiled` (src/pipeline/expression,
 * compileExpressionParams); this module evaluates `compiled` (modules/sdk/expr.h) and uses
 * `expression` only in messages. Streamable: each record batch is filtered on its own.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "quiver.h"

/** The expression's text (borrowed from the parameters) and compiled form. */
static const char *source;
static qv_expr *expr;
/** Record batches seen so far, for messages. */
static int64_t batch_no;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  const qv_schema *schema = qv_step_input_schema(step, 0);
  if (params->kind != QV_JSON_OBJECT)
    return qv_error_set(err, EINVAL, "filter: parameters must be a JSON object");
  int rc = qv_json_get_string(params, "expression", &source, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "filter: %s", err->message);
  const qv_json *compiled = qv_json_get(params, "compiled");
  if (compiled == NULL)
    return qv_error_set(err, EINVAL,
                        "filter: parameter 'compiled' is missing: the host compiles 'expression' "
                        "when it validates the pipeline (compileExpressionParams)");
  rc = qv_expr_compile(compiled, schema, &expr, err);
  if (rc != QV_OK)
    return qv_error_set(err, rc, "filter: expression \"%s\": %s", source, err->message);
  if (qv_expr_result_type(expr) != QV_EXPR_BOOL)
    return qv_error_set(err, EINVAL, "filter: expression \"%s\" is %s, not a boolean", source,
                        qv_expr_type_name(qv_expr_result_type(expr)));
  rc = qv_step_open_output(step, 0, schema, err);
  return rc != QV_OK ? qv_error_set(err, rc, "filter: %s", err->message) : QV_OK;
}

/** Writes the rows of `in` the expression keeps. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  const qv_schema *schema = qv_step_input_schema(step, 0);
  int64_t *rows, n_rows;
  int rc = qv_expr_select_rows(expr, in, &rows, &n_rows, err);
  if (rc != QV_OK)
    return qv_error_set(err, rc, "filter: expression \"%s\", batch %lld: %s", source,
                        (long long)batch_no, err->message);
  batch_no++;
  qv_batch out;
  rc = qv_batch_init(&out, in->n_columns, n_rows, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++) {
    if (n_rows == in->n_rows) {
      qv_column_borrow(&in->columns[c], &out.columns[c]); /* every row kept */
    } else if ((rc = qv_column_take(&in->columns[c], rows, n_rows, &out.columns[c], err)) !=
               QV_OK) {
      rc = qv_error_set(err, rc, "filter: column '%s': %s", schema->fields[c].name,
                        err->message);
    }
  }
  if (rc == QV_OK && (rc = qv_step_write(step, 0, &out, err)) != QV_OK)
    rc = qv_error_set(err, rc, "filter: %s", err->message);
  free(rows);
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
QV_MODULE(.id = "filter", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
