#include <stdio.h>

#include "quiver.h"

/* The step's state: one instance runs one step. */
static const char *column; /* borrowed from the parameters, valid until finish */
static double factor;
static int64_t src;        /* index of `column` in the input */

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  int rc = qv_json_get_string(params, "column", &column, err);
  if (rc == QV_OK) rc = qv_json_get_double_or(params, "factor", 2.0, &factor, err);
  if (rc != QV_OK) return rc;
  const qv_schema *in = qv_step_input_schema(step, 0);
  src = qv_schema_find(in, column);
  if (src < 0) return qv_error_set(err, EINVAL, "no column named '%s' in the input", column);
  if (!qv_type_id_is_numeric(in->fields[src].type.id)) {
    return qv_error_set(err, EINVAL, "column '%s' is %s, not a number", column,
                        qv_type_id_name(in->fields[src].type.id));
  }
  /* Output schema: the input's fields plus one float64 field. */
  qv_schema out;
  char name[256];
  snprintf(name, sizeof name, "%s_scaled", column);
  int64_t n = in->n_fields;
  rc = qv_schema_init(&out, n + 1, err);
  for (int64_t f = 0; rc == QV_OK && f < n; f++) {
    const qv_field *field = &in->fields[f];
    rc = qv_schema_set_field(&out, f, field->name, field->type, field->nullable, err);
  }
  if (rc == QV_OK) rc = qv_schema_set_field(&out, n, name, qv_type_make(QV_TYPE_FLOAT64), true, err);
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  int64_t n = in->n_columns;
  qv_batch out;
  int rc = qv_batch_init(&out, n + 1, in->n_rows, err);
  if (rc != QV_OK) return rc;
  for (int64_t f = 0; f < n; f++) qv_column_borrow(&in->columns[f], &out.columns[f]);
  qv_builder *b;
  rc = qv_builder_new(qv_type_make(QV_TYPE_FLOAT64), in->n_rows, &b, err);
  const qv_column *x = &in->columns[src];
  for (int64_t i = 0; rc == QV_OK && i < in->n_rows; i++) {
    rc = qv_column_is_null(x, i)
             ? qv_builder_append_null(b, err)
             : qv_builder_append_double(b, qv_column_double_at(x, i) * factor, err);
  }
  if (rc == QV_OK) rc = qv_builder_finish(b, &out.columns[n], err);
  else qv_builder_free(b);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out); /* frees the new column; the borrowed ones stay with `in` */
  return rc;
}

static int finish(qv_step *step, qv_error *err) {
  (void)step;
  (void)err;
  fprintf(stderr, "scaled %s by %g\n", column, factor);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "scale", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
