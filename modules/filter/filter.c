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

int main(void) {
  qv_error err;
  qv_json *params;
  const char *source;
  const qv_json *compiled;
  if (qv_read_params(&params, &err) != QV_OK) qv_fail("filter: %s", err.message);
  if (params->kind != QV_JSON_OBJECT) qv_fail("filter: parameters must be a JSON object");
  if (qv_json_get_string(params, "expression", &source, &err) != QV_OK)
    qv_fail("filter: %s", err.message);
  compiled = qv_json_get(params, "compiled");
  if (compiled == NULL)
    qv_fail("filter: parameter 'compiled' is missing: the host compiles 'expression' when it "
            "validates the pipeline (compileExpressionParams)");

  qv_reader *reader;
  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("filter: input 'in': %s", err.message);
  const qv_schema *schema = qv_reader_schema(reader);
  qv_expr *expr;
  if (qv_expr_compile(compiled, schema, &expr, &err) != QV_OK)
    qv_fail("filter: expression \"%s\": %s", source, err.message);
  if (qv_expr_result_type(expr) != QV_EXPR_BOOL)
    qv_fail("filter: expression \"%s\" is %s, not a boolean", source,
            qv_expr_type_name(qv_expr_result_type(expr)));
  qv_writer *writer;
  if (qv_write_output("out", schema, &writer, &err) != QV_OK)
    qv_fail("filter: output 'out': %s", err.message);

  for (int64_t batch_no = 0;; batch_no++) {
    qv_batch in, out;
    bool end;
    if (qv_reader_next(reader, &in, &end, &err) != QV_OK)
      qv_fail("filter: input 'in': %s", err.message);
    if (end) break;
    int64_t *rows, n_rows;
    if (qv_expr_select_rows(expr, &in, &rows, &n_rows, &err) != QV_OK)
      qv_fail("filter: expression \"%s\", batch %lld: %s", source, (long long)batch_no,
              err.message);
    if (qv_batch_init(&out, in.n_columns, n_rows, &err) != QV_OK)
      qv_fail("filter: %s", err.message);
    for (int64_t c = 0; c < in.n_columns; c++) {
      if (n_rows == in.n_rows) {
        qv_column_borrow(&in.columns[c], &out.columns[c]); /* every row kept */
      } else if (qv_column_take(&in.columns[c], rows, n_rows, &out.columns[c], &err) != QV_OK) {
        qv_fail("filter: column '%s': %s", schema->fields[c].name, err.message);
      }
    }
    if (qv_writer_write(writer, &out, &err) != QV_OK)
      qv_fail("filter: output 'out': %s", err.message);
    free(rows);
    qv_batch_release(&out);
    qv_batch_release(&in);
  }
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("filter: output 'out': %s", err.message);
  qv_expr_free(expr);
  qv_reader_close(reader);
  qv_json_free(params);
  return 0;
}
