/*
 * The ABI v1 driver of a QV_MODULE module (ABI.md section 11.5): a WASI command whose `main`
 * reads /params.json and every input file, calls `begin`, `batch` per record batch (input
 * ports in manifest order, those the module holds first) or `bytes` once per bytes input, then `finish`, and ends each
 * /out/<port>.arrow stream. Linked only into modules built with -DQV_ABI=1.
 */
#include <stdio.h>

#include "step.h"

/** Reads the parameters and opens every arrow input. */
static int open_inputs(qv_step *step, qv_error *err) {
  const qv_module *m = step->module;
  int rc = qv_read_params(&step->params, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "%s: %s", m->id, err->message);
  for (int p = 0; p < m->n_inputs; p++) {
    if (qv_step_is_bytes_port_(step, p)) continue;
    rc = qv_read_input(m->inputs[p], &step->readers[p], err);
    if (rc != QV_OK) return qv_error_set(err, rc, "%s: input '%s': %s", m->id, m->inputs[p],
                                         err->message);
  }
  return QV_OK;
}

/** Passes the whole of bytes input `port` in one chunk. */
static int read_bytes_port(qv_step *step, int port, qv_error *err) {
  const qv_module *m = step->module;
  uint8_t *data;
  int64_t size;
  int rc = qv_read_input_bytes(m->inputs[port], &data, &size, err);
  if (rc != QV_OK) {
    return qv_error_set(err, rc, "%s: input '%s': %s", m->id, m->inputs[port], err->message);
  }
  rc = qv_step_deliver_bytes_(step, port, data, size, err);
  if (qv_step_holds_port_(step, port)) {
    int held = qv_step_hold_block_(step, data, err);
    if (rc == QV_OK) rc = held;
  } else {
    free(data);
  }
  return rc;
}

/** The whole step; the writers are ended by the caller. */
static int run(qv_step *step, qv_error *err) {
  int rc = open_inputs(step, err);
  if (rc == QV_OK) rc = qv_step_begin_(step, err);
  /* Ports whose input the module holds come first, as an ABI 2 host delivers them (11.2). */
  for (int held = 1; held >= 0; held--) {
    for (int p = 0; rc == QV_OK && !step->done && p < step->module->n_inputs; p++) {
      if (qv_step_holds_port_(step, p) != (held == 1)) continue;
      rc = qv_step_is_bytes_port_(step, p) ? read_bytes_port(step, p, err)
                                           : qv_step_read_port_(step, p, err);
    }
  }
  if (rc == QV_OK) rc = qv_step_finish_(step, err);
  return rc;
}

int main(void) {
  qv_step step;
  qv_error err;
  int rc = qv_step_init_(&step, qv_module_definition_(), true, &err);
  if (rc == QV_OK) rc = run(&step, &err);
  for (int p = 0; step.writers != NULL && p < step.module->n_outputs; p++) {
    int closed = qv_writer_close(step.writers[p], &err); /* ends the stream */
    if (rc == QV_OK && closed != QV_OK) {
      rc = qv_error_set(&err, closed, "%s: output '%s': %s", step.module->id,
                        step.module->outputs[p], err.message);
    }
  }
  if (rc != QV_OK) qv_fail("%s", err.message);
  qv_step_release_inputs_(&step);
  free(step.readers);
  free(step.writers);
  return 0;
}
