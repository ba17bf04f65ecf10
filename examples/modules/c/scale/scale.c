/*
 * scale — replaces numeric column `column` by `column * factor` as float64 (nulls stay null)
 * and keeps every other column as it is, borrowed (no copy). Params: {"column": "distance",
 * "factor": 2}. Written once against the C SDK's QV_MODULE callbacks (modules/sdk/ABI.md
 * §11.5); built as an ABI 2 reactor by build.sh.
 * Every kit's example implements this same transform (scripts/kits.test.ts compares them).
 */
#include "quiver.h"

static const char *column; /* borrowed from the parameters, valid until finish */
static double factor;
static int64_t target; /* index of `column` in the input */

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  int rc = qv_json_get_string(params, "column", &column, err);
  if (rc == QV_OK) rc = qv_json_get_double_or(params, "factor", 2.0, &factor, err);
  if (rc != QV_OK) return rc;
  const qv_schema *in = qv_step_input_schema(step, 0);
  target = qv_schema_find(in, column);
  if (target < 0) return qv_error_set(err, EINVAL, "scale: no column '%s' in the input", column);
  const qv_type *type = &in->fields[target].type;
  if (!qv_type_id_is_numeric(type->id) || type->dictionary)
    return qv_error_set(err, EINVAL, "scale: column '%s' is %s%s, not a number", column,
                        type->dictionary ? "a dictionary of " : "", qv_type_id_name(type->id));
  qv_schema out;
  rc = qv_schema_copy(in, &out, err);
  if (rc == QV_OK) out.fields[target].type = qv_type_make(QV_TYPE_FLOAT64);
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc;
}

/** `x * factor` for every row of `x` as a new float64 column `out` (owned by the caller). */
static int scaled(const qv_column *x, qv_column *out, qv_error *err) {
  qv_builder *b;
  int rc = qv_builder_new(qv_type_make(QV_TYPE_FLOAT64), x->length, &b, err);
  if (rc != QV_OK) return rc;
  for (int64_t i = 0; rc == QV_OK && i < x->length; i++) {
    rc = qv_column_is_null(x, i) ? qv_builder_append_null(b, err)
                                 : qv_builder_append_double(b, qv_column_double_at(x, i) * factor, err);
  }
  if (rc == QV_OK) return qv_builder_finish(b, out, err);
  qv_builder_free(b);
  return rc;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, in->n_rows, err);
  if (rc != QV_OK) return rc;
  for (int64_t c = 0; c < in->n_columns; c++)
    if (c != target) qv_column_borrow(&in->columns[c], &out.columns[c]);
  rc = scaled(&in->columns[target], &out.columns[target], err);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out); /* frees the scaled column; the borrowed ones stay with `in` */
  return rc;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "scale", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch)
