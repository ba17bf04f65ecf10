/* scale: the ABI.md example module. Copies its input and adds a float64 column
 * "<column>_scaled" = <column> * factor, for a numeric input column named by the params
 * {"column": "...", "factor": 2.5}. Nulls stay null. */
#include <stdio.h>

#include "quiver.h"

int main(void) {
  qv_error err;
  qv_json *params;
  const char *column;
  double factor;
  if (qv_read_params(&params, &err) != QV_OK ||
      qv_json_get_string(params, "column", &column, &err) != QV_OK ||
      qv_json_get_double_or(params, "factor", 2.0, &factor, &err) != QV_OK) {
    qv_fail("%s", err.message);
  }

  qv_reader *reader;
  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("%s", err.message);
  const qv_schema *in_schema = qv_reader_schema(reader);
  int64_t src = qv_schema_find(in_schema, column);
  if (src < 0) qv_fail("no column named '%s' in the input", column);
  if (!qv_type_id_is_numeric(in_schema->fields[src].type.id)) {
    qv_fail("column '%s' is %s, not a number", column,
            qv_type_id_name(in_schema->fields[src].type.id));
  }

  /* Output schema: the input's fields plus one float64 field. */
  qv_schema out_schema;
  char name[256];
  snprintf(name, sizeof name, "%s_scaled", column);
  int64_t n = in_schema->n_fields;
  if (qv_schema_init(&out_schema, n + 1, &err) != QV_OK) qv_fail("%s", err.message);
  for (int64_t f = 0; f < n; f++) {
    const qv_field *field = &in_schema->fields[f];
    if (qv_schema_set_field(&out_schema, f, field->name, field->type, field->nullable, &err)) {
      qv_fail("%s", err.message);
    }
  }
  if (qv_schema_set_field(&out_schema, n, name, qv_type_make(QV_TYPE_FLOAT64), true, &err)) {
    qv_fail("%s", err.message);
  }

  qv_writer *writer;
  if (qv_write_output("out", &out_schema, &writer, &err) != QV_OK) qv_fail("%s", err.message);
  for (;;) {
    qv_batch in, out;
    bool end;
    if (qv_reader_next(reader, &in, &end, &err) != QV_OK) qv_fail("%s", err.message);
    if (end) break;
    if (qv_batch_init(&out, n + 1, in.n_rows, &err) != QV_OK) qv_fail("%s", err.message);
    for (int64_t f = 0; f < n; f++) qv_column_borrow(&in.columns[f], &out.columns[f]);
    qv_builder *b;
    if (qv_builder_new(qv_type_make(QV_TYPE_FLOAT64), in.n_rows, &b, &err) != QV_OK) {
      qv_fail("%s", err.message);
    }
    const qv_column *x = &in.columns[src];
    for (int64_t i = 0; i < in.n_rows; i++) {
      int rc = qv_column_is_null(x, i) ? qv_builder_append_null(b, &err)
                                       : qv_builder_append_double(
                                             b, qv_column_double_at(x, i) * factor, &err);
      if (rc != QV_OK) qv_fail("%s", err.message);
    }
    if (qv_builder_finish(b, &out.columns[n], &err) != QV_OK) qv_fail("%s", err.message);
    if (qv_writer_write(writer, &out, &err) != QV_OK) qv_fail("%s", err.message);
    qv_batch_release(&out); /* frees the new column; the borrowed ones stay with `in` */
    qv_batch_release(&in);
  }
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("%s", err.message);
  qv_reader_close(reader);
  qv_schema_release(&out_schema);
  qv_json_free(params);
  fprintf(stderr, "scaled %s by %g\n", column, factor);
  return 0;
}
