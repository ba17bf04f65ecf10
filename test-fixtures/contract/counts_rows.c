/*
 * Contract-test fixture: claims to be streamable but numbers its rows across batches (state
 * kept between batches, which ABI.md §7 forbids). Run on one worker it looks right; with its
 * batches dealt over two instances the numbers restart, so `quiver module test` must see the
 * two runs differ on inputs with several batches.
 */
#include "quiver.h"

static int64_t next_row; /* the bug: state that outlives a batch */

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)params;
  const qv_schema *in = qv_step_input_schema(step, 0);
  qv_schema out;
  int rc = qv_schema_init(&out, 1, err);
  if (rc == QV_OK) rc = qv_schema_set_field(&out, 0, "row", qv_type_make(QV_TYPE_INT64), false, err);
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  (void)in;
  return rc;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  qv_batch out;
  int rc = qv_batch_init(&out, 1, in->n_rows, err);
  qv_builder *b = NULL;
  if (rc == QV_OK) rc = qv_builder_new(qv_type_make(QV_TYPE_INT64), in->n_rows, &b, err);
  for (int64_t i = 0; rc == QV_OK && i < in->n_rows; i++)
    rc = qv_builder_append_int64(b, next_row++, err);
  if (rc == QV_OK) rc = qv_builder_finish(b, &out.columns[0], err);
  else qv_builder_free(b);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  return rc;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "counts_rows", .inputs = inputs, .n_inputs = 1, .outputs = outputs,
          .n_outputs = 1, .begin = begin, .batch = batch)
