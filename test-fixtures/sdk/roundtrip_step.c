/* Round-trip test module written once for both ABIs (QV_MODULE): writes every batch of input
 * `in` back to `out` unchanged. Built with -DROUNDTRIP_HOLDS=1 it holds its input instead
 * (`.holds_input`) and writes every batch only in `finish`, which exercises the input the SDK
 * keeps alive (blocks, dictionaries) until the end. */
#include <stdlib.h>

#include "quiver.h"

#ifndef ROUNDTRIP_HOLDS
#define ROUNDTRIP_HOLDS 0
#endif

/** ROUNDTRIP_HOLDS: the batches received, borrowed until `finish` returns. */
static const qv_batch **held;
static int64_t n_held;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)params;
  return qv_step_open_output(step, 0, qv_step_input_schema(step, 0), err);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (!ROUNDTRIP_HOLDS) return qv_step_write(step, 0, in, err);
  const qv_batch **grown = realloc(held, (size_t)(n_held + 1) * sizeof *held);
  if (grown == NULL) return qv_error_set(err, ENOMEM, "out of memory");
  held = grown;
  held[n_held++] = in;
  return QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  int rc = QV_OK;
  for (int64_t k = 0; rc == QV_OK && k < n_held; k++) rc = qv_step_write(step, 0, held[k], err);
  free(held);
  return rc;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "roundtrip", .inputs = inputs, .n_inputs = 1, .outputs = outputs,
          .n_outputs = 1, .holds_input = ROUNDTRIP_HOLDS, .begin = begin, .batch = batch,
          .finish = finish)
