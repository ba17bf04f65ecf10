/*
 * Contract-test fixture: a pass-through module with a bug a real module could have — it fails
 * on a record batch of zero rows. `quiver module test` must fail it on its `zero-length` input
 * and pass it on the others.
 */
#include "quiver.h"

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)params;
  return qv_step_open_output(step, 0, qv_step_input_schema(step, 0), err);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (in->n_rows == 0) return qv_error_set(err, EINVAL, "skips_empty: a batch without rows");
  return qv_step_write(step, 0, in, err);
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "skips_empty", .inputs = inputs, .n_inputs = 1, .outputs = outputs,
          .n_outputs = 1, .begin = begin, .batch = batch)
