/* The step logic both drivers share (step.h): calling the module's callbacks, keeping the
 * input of a holds_input module, and the qv_step_* functions of quiver.h. */
#include <stdio.h>

#include "step.h"

int qv_step_init_(qv_step *step, const qv_module *module, bool to_files, qv_error *err) {
  memset(step, 0, sizeof *step);
  step->module = module;
  step->to_files = to_files;
  const char *id = module->id != NULL ? module->id : "module";
  if (module->begin == NULL) {
    return qv_error_set(err, EINVAL, "%s: the module definition has no begin callback", id);
  }
  if (module->n_inputs < 0 || module->n_inputs > QV_STEP_MAX_PORTS || module->n_outputs < 0 ||
      module->n_outputs > QV_STEP_MAX_PORTS) {
    return qv_error_set(err, EINVAL, "%s: at most %d input and %d output ports", id,
                        QV_STEP_MAX_PORTS, QV_STEP_MAX_PORTS);
  }
  step->held_ports = module->holds_input ? UINT32_MAX : 0;
  step->readers = calloc((size_t)module->n_inputs + 1, sizeof *step->readers);
  step->writers = calloc((size_t)module->n_outputs + 1, sizeof *step->writers);
  if (step->readers == NULL || step->writers == NULL) {
    return qv_error_set(err, ENOMEM, "%s: out of memory", id);
  }
  return QV_OK;
}

bool qv_step_is_bytes_port_(const qv_step *step, int port) {
  return (step->module->bytes_inputs >> port) & 1u;
}

bool qv_step_holds_port_(const qv_step *step, int port) {
  return (step->held_ports >> port) & 1u;
}

int qv_step_begin_(qv_step *step, qv_error *err) {
  step->begun = true;
  int rc = step->module->begin(step, step->params, err);
  if (rc == QV_DONE) {
    step->done = true;
    return QV_OK;
  }
  return rc;
}

/** Grows `*items` (of `item_size` bytes, `*cap` of them) to hold one more. */
static bool grow(void **items, int64_t *cap, int64_t n, size_t item_size) {
  if (n < *cap) return true;
  int64_t next = *cap < 16 ? 16 : *cap * 2;
  void *p = realloc(*items, (size_t)next * item_size);
  if (p == NULL) return false;
  *items = p;
  *cap = next;
  return true;
}

/** Gives `batch` (owned) to the module, then releases it; or, for a module that holds its
 * input, first moves it to the heap so that the pointer the module gets stays valid until
 * `finish`. */
static int deliver(qv_step *step, int port, qv_batch *batch, qv_error *err) {
  if (!qv_step_holds_port_(step, port)) {
    int rc = step->module->batch(step, port, batch, err);
    qv_batch_release(batch);
    return rc;
  }
  qv_batch *kept = malloc(sizeof *kept);
  if (kept == NULL ||
      !grow((void **)&step->held, &step->cap_held, step->n_held, sizeof *step->held)) {
    free(kept);
    qv_batch_release(batch);
    return qv_error_set(err, ENOMEM, "%s: out of memory keeping the input", step->module->id);
  }
  *kept = *batch;
  step->held[step->n_held++] = kept;
  return step->module->batch(step, port, kept, err);
}

int qv_step_read_port_(qv_step *step, int port, qv_error *err) {
  const char *id = step->module->id;
  const char *name = step->module->inputs[port];
  if (step->module->batch == NULL) {
    return qv_error_set(err, EINVAL, "%s: input '%s' is arrow but the module has no batch "
                        "callback", id, name);
  }
  while (!step->done) {
    qv_batch batch;
    bool end;
    int rc = qv_reader_next(step->readers[port], &batch, &end, err);
    if (rc != QV_OK) return qv_error_set(err, rc, "%s: input '%s': %s", id, name, err->message);
    if (end) break;
    rc = deliver(step, port, &batch, err);
    if (rc == QV_DONE) step->done = true;
    else if (rc != QV_OK) return rc;
  }
  return QV_OK;
}

int qv_step_deliver_bytes_(qv_step *step, int port, const uint8_t *data, int64_t size_bytes,
                           qv_error *err) {
  if (step->module->bytes == NULL) {
    return qv_error_set(err, EINVAL, "%s: input '%s' is bytes but the module has no bytes "
                        "callback", step->module->id, step->module->inputs[port]);
  }
  int rc = step->module->bytes(step, port, data, size_bytes, err);
  if (rc == QV_DONE) {
    step->done = true;
    return QV_OK;
  }
  return rc;
}

int qv_step_hold_block_(qv_step *step, void *block, qv_error *err) {
  if (!grow((void **)&step->blocks, &step->cap_blocks, step->n_blocks, sizeof *step->blocks)) {
    free(block);
    return qv_error_set(err, ENOMEM, "%s: out of memory keeping the input", step->module->id);
  }
  step->blocks[step->n_blocks++] = block;
  return QV_OK;
}

/** Releases the batches kept for a module that holds its input. */
static void release_held(qv_step *step) {
  for (int64_t k = 0; k < step->n_held; k++) {
    qv_batch_release(step->held[k]);
    free(step->held[k]);
  }
  step->n_held = 0;
}

int qv_step_finish_(qv_step *step, qv_error *err) {
  int rc = step->module->finish != NULL ? step->module->finish(step, err) : QV_OK;
  release_held(step);
  if (rc != QV_OK) return rc;
  for (int p = 0; p < step->module->n_outputs; p++) {
    if (step->writers[p] == NULL) {
      return qv_error_set(err, EINVAL, "%s: output '%s' was never opened (qv_step_open_output)",
                          step->module->id, step->module->outputs[p]);
    }
  }
  return QV_OK;
}

void qv_step_release_inputs_(qv_step *step) {
  release_held(step);
  free(step->held);
  step->held = NULL;
  for (int p = 0; step->readers != NULL && p < step->module->n_inputs; p++) {
    qv_reader_close(step->readers[p]);
    step->readers[p] = NULL;
  }
  for (int64_t k = 0; k < step->n_blocks; k++) free(step->blocks[k]);
  free(step->blocks);
  step->blocks = NULL;
  step->n_blocks = 0;
  qv_json_free(step->params);
  step->params = NULL;
}

/* --- public API (quiver.h) ------------------------------------------------------------- */

const qv_schema *qv_step_input_schema(const qv_step *step, int port) {
  if (port < 0 || port >= step->module->n_inputs || step->readers[port] == NULL) return NULL;
  return qv_reader_schema(step->readers[port]);
}

int qv_step_open_output(qv_step *step, int port, const qv_schema *schema, qv_error *err) {
  if (port < 0 || port >= step->module->n_outputs) {
    return qv_error_set(err, EINVAL, "output port %d does not exist (%d outputs)", port,
                        step->module->n_outputs);
  }
  const char *name = step->module->outputs[port];
  if (step->writers[port] != NULL) {
    return qv_error_set(err, EINVAL, "output '%s' is already open", name);
  }
  int rc = step->to_files ? qv_write_output(name, schema, &step->writers[port], err)
                          : qv_writer_open_memory(schema, &step->writers[port], err);
  if (rc != QV_OK) return qv_error_set(err, rc, "output '%s': %s", name, err->message);
  return QV_OK;
}

int qv_step_hold_input(qv_step *step, int port, qv_error *err) {
  if (port < 0 || port >= step->module->n_inputs) {
    return qv_error_set(err, EINVAL, "input port %d does not exist (%d inputs)", port,
                        step->module->n_inputs);
  }
  step->held_ports |= UINT32_C(1) << port;
  return QV_OK;
}

int qv_step_write(qv_step *step, int port, const qv_batch *batch, qv_error *err) {
  if (port < 0 || port >= step->module->n_outputs || step->writers[port] == NULL) {
    return qv_error_set(err, EINVAL, "output port %d is not open", port);
  }
  int rc = qv_writer_write(step->writers[port], batch, err);
  if (rc != QV_OK) {
    return qv_error_set(err, rc, "output '%s': %s", step->module->outputs[port], err->message);
  }
  return QV_OK;
}
