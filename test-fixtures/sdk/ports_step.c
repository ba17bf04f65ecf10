/* Test module for the drivers' port handling (QV_MODULE, either ABI): inputs `left` (arrow),
 * `text` (bytes) and `right` (arrow); for every callback it writes one row to `out`:
 * (port, rows, bytes) — the input port index, the batch's rows (arrow) or -1, the chunk's size
 * (bytes) or -1. `begin` checks that both arrow schemas are known. */
#include "quiver.h"

static qv_schema out_schema;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)params;
  if (qv_step_input_schema(step, 0) == NULL || qv_step_input_schema(step, 2) == NULL ||
      qv_step_input_schema(step, 1) != NULL) {
    return qv_error_set(err, EINVAL, "begin: wrong input schemas");
  }
  static const char *const names[] = {"port", "rows", "bytes"};
  int rc = qv_schema_init(&out_schema, 3, err);
  for (int i = 0; rc == QV_OK && i < 3; i++) {
    rc = qv_schema_set_field(&out_schema, i, names[i], qv_type_make(QV_TYPE_INT64), false, err);
  }
  return rc == QV_OK ? qv_step_open_output(step, 0, &out_schema, err) : rc;
}

/** Writes the row (port, rows, bytes). */
static int row(qv_step *step, int64_t port, int64_t rows, int64_t bytes, qv_error *err) {
  int64_t values[3] = {port, rows, bytes};
  qv_batch out;
  int rc = qv_batch_init(&out, 3, 1, err);
  for (int i = 0; rc == QV_OK && i < 3; i++) {
    qv_builder *b;
    rc = qv_builder_new(qv_type_make(QV_TYPE_INT64), 1, &b, err);
    if (rc == QV_OK) rc = qv_builder_append_int64(b, values[i], err);
    if (rc == QV_OK) rc = qv_builder_finish(b, &out.columns[i], err);
    else qv_builder_free(b);
  }
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  return rc;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  return row(step, port, in->n_rows, -1, err);
}

static int bytes(qv_step *step, int port, const uint8_t *data, int64_t size_bytes,
                 qv_error *err) {
  (void)data;
  return row(step, port, -1, size_bytes, err);
}

static int finish(qv_step *step, qv_error *err) {
  (void)step;
  (void)err;
  qv_schema_release(&out_schema);
  return QV_OK;
}

static const char *const inputs[] = {"left", "text", "right"}, *const outputs[] = {"out"};
QV_MODULE(.id = "ports", .inputs = inputs, .n_inputs = 3, .bytes_inputs = 1u << 1,
          .outputs = outputs, .n_outputs = 1, .begin = begin, .batch = batch, .bytes = bytes,
          .finish = finish)
