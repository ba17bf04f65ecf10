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

int main(void) {
  qv_error err;
  qv_json *params;
  const char *source, *column;
  if (qv_read_params(&params, &err) != QV_OK) qv_fail("derive: %s", err.message);
  if (params->kind != QV_JSON_OBJECT) qv_fail("derive: parameters must be a JSON object");
  if (qv_json_get_string(params, "expression", &source, &err) != QV_OK ||
      qv_json_get_string(params, "column", &column, &err) != QV_OK)
    qv_fail("derive: %s", err.message);
  if (column[0] == '\0') qv_fail("derive: parameter 'column' must not be empty");
  const qv_json *compiled = qv_json_get(params, "compiled");
  if (compiled == NULL)
    qv_fail("derive: parameter 'compiled' is missing: the host compiles 'expression' when it "
            "validates the pipeline (compileExpressionParams)");

  qv_reader *reader;
  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("derive: input 'in': %s", err.message);
  const qv_schema *in_schema = qv_reader_schema(reader);
  qv_expr *expr;
  if (qv_expr_compile(compiled, in_schema, &expr, &err) != QV_OK)
    qv_fail("derive: expression \"%s\": %s", source, err.message);

  /* Output schema: the input's, with `column` replaced in place or appended. */
  int64_t target = qv_schema_find(in_schema, column);
  int64_t n_out = target >= 0 ? in_schema->n_fields : in_schema->n_fields + 1;
  if (target < 0) target = in_schema->n_fields;
  qv_schema schema = {0};
  if (qv_schema_init(&schema, n_out, &err) != QV_OK) qv_fail("derive: %s", err.message);
  for (int64_t c = 0; c < n_out; c++) {
    const qv_field *f = &in_schema->fields[c < in_schema->n_fields ? c : 0];
    int rc = c == target
                 ? qv_schema_set_field(&schema, c, column,
                                       qv_expr_column_type(qv_expr_result_type(expr)), true, &err)
                 : qv_schema_set_field(&schema, c, f->name, f->type, f->nullable, &err);
    if (rc != QV_OK) qv_fail("derive: %s", err.message);
  }
  qv_writer *writer;
  if (qv_write_output("out", &schema, &writer, &err) != QV_OK)
    qv_fail("derive: output 'out': %s", err.message);

  for (int64_t batch_no = 0;; batch_no++) {
    qv_batch in, out;
    bool end;
    if (qv_reader_next(reader, &in, &end, &err) != QV_OK)
      qv_fail("derive: input 'in': %s", err.message);
    if (end) break;
    if (qv_batch_init(&out, n_out, in.n_rows, &err) != QV_OK) qv_fail("derive: %s", err.message);
    if (qv_expr_eval(expr, &in, &out.columns[target], &err) != QV_OK)
      qv_fail("derive: expression \"%s\", batch %lld: %s", source, (long long)batch_no,
              err.message);
    for (int64_t c = 0; c < in.n_columns; c++) {
      if (c != target) qv_column_borrow(&in.columns[c], &out.columns[c]);
    }
    if (qv_writer_write(writer, &out, &err) != QV_OK)
      qv_fail("derive: output 'out': %s", err.message);
    qv_batch_release(&out);
    qv_batch_release(&in);
  }
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("derive: output 'out': %s", err.message);
  qv_schema_release(&schema);
  qv_expr_free(expr);
  qv_reader_close(reader);
  qv_json_free(params);
  return 0;
}
