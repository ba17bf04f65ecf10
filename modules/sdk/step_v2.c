/*
 * The ABI v2 driver of a QV_MODULE module (ABI.md section 11): the exports of a WASI reactor
 * through which the host pushes parameters and input blocks into module memory and drains
 * the output. Linked only into modules built with -DQV_ABI=2 -mexec-model=reactor.
 *
 * Memory: every block from qv_alloc that the host passes on (qv_begin, qv_push) is the
 * module's; it is freed once processed, or kept until the step ends when the module holds its
 * input. A dictionary read from a block that is about to be freed is copied first. Each
 * output is a memory writer whose buffer the host copies and clears after every call, so the
 * buffer is reused and every batch is copied into it once.
 */
#include <stdio.h>

#include "step.h"

/* The exports' names in the wasm module. A native build (the sanitizer test step_v2_test.c)
 * calls the same functions directly. */
#ifdef __wasm__
#define QV_EXPORT(name) __attribute__((export_name(name)))
#else
#define QV_EXPORT(name)
#endif

/** Status results of qv_begin, qv_push and qv_finish (ABI.md 11.1). */
enum { STATUS_CONTINUE = 0, STATUS_DONE = 1, STATUS_FAILED = 2 };

/** The one step this instance runs. */
static qv_step the_step;
/** An earlier call failed: every later call fails too. */
static bool failed;

/** Turns a callback result into a status; a failure prints its message to stderr. */
static int32_t status(int rc, const qv_error *err) {
  fflush(stdout);
  if (rc != QV_OK) {
    failed = true;
    fprintf(stderr, "error: %s\n", err->message);
    return STATUS_FAILED;
  }
  return the_step.done ? STATUS_DONE : STATUS_CONTINUE;
}

/** True when every arrow input has its schema. */
static bool schemas_known(const qv_step *step) {
  for (int p = 0; p < step->module->n_inputs; p++) {
    if (!qv_step_is_bytes_port_(step, p) && step->readers[p] == NULL) return false;
  }
  return true;
}

/** The first block of arrow input `port`: its Schema message. Runs `begin` after the last. */
static int push_schema(qv_step *step, int port, uint8_t *data, int64_t size, qv_error *err) {
  int rc = qv_reader_open_block_(data, size, &step->readers[port], err);
  free(data);
  if (rc != QV_OK) {
    return qv_error_set(err, rc, "%s: input '%s': %s", step->module->id,
                        step->module->inputs[port], err->message);
  }
  return schemas_known(step) ? qv_step_begin_(step, err) : QV_OK;
}

/** A block of whole IPC messages of arrow input `port`. */
static int push_messages(qv_step *step, int port, uint8_t *data, int64_t size, qv_error *err) {
  qv_reader *reader = step->readers[port];
  qv_reader_feed_(reader, data, size);
  int rc = qv_step_read_port_(step, port, err);
  if (qv_step_holds_port_(step, port)) {
    int held = qv_step_hold_block_(step, data, err);
    return rc != QV_OK ? rc : held;
  }
  int detached = qv_reader_detach_(reader, false, err);
  free(data);
  return rc != QV_OK ? rc : detached;
}

/** A chunk of bytes input `port`. */
static int push_bytes(qv_step *step, int port, uint8_t *data, int64_t size, qv_error *err) {
  int rc = qv_step_deliver_bytes_(step, port, data, size, err);
  if (qv_step_holds_port_(step, port)) {
    int held = qv_step_hold_block_(step, data, err);
    return rc != QV_OK ? rc : held;
  }
  free(data);
  return rc;
}

/** Routes one pushed block (owned) by port type and by what the port has had so far. */
static int push(qv_step *step, int32_t port, uint8_t *data, int64_t size, qv_error *err) {
  const qv_module *m = step->module;
  if (port < 0 || port >= m->n_inputs) {
    free(data);
    return qv_error_set(err, EINVAL, "%s: qv_push to input port %d, which does not exist (%d "
                        "inputs)", m->id, (int)port, m->n_inputs);
  }
  bool bytes = qv_step_is_bytes_port_(step, port);
  if (!bytes && step->readers[port] == NULL) return push_schema(step, port, data, size, err);
  if (!step->begun) {
    free(data);
    return qv_error_set(err, EINVAL, "%s: data for input '%s' before the schema of every arrow "
                        "input", m->id, m->inputs[port]);
  }
  return bytes ? push_bytes(step, port, data, size, err)
               : push_messages(step, port, data, size, err);
}

QV_EXPORT("qv_alloc") void *qv_alloc(uint32_t size_bytes) {
  return malloc(size_bytes > 0 ? size_bytes : 1); /* malloc aligns to at least 8 */
}

QV_EXPORT("qv_free") void qv_free(void *ptr) {
  free(ptr);
}

QV_EXPORT("qv_begin") int32_t qv_begin(uint8_t *ptr, uint32_t size_bytes) {
  qv_error err;
  int rc = qv_step_init_(&the_step, qv_module_definition_(), false, &err);
  if (rc == QV_OK) {
    rc = qv_json_parse((const char *)ptr, size_bytes, &the_step.params, &err);
    if (rc != QV_OK) {
      rc = qv_error_set(&err, rc, "%s: parameters: %s", the_step.module->id, err.message);
    }
  }
  free(ptr);
  if (rc == QV_OK && schemas_known(&the_step)) rc = qv_step_begin_(&the_step, &err);
  return status(rc, &err);
}

QV_EXPORT("qv_push") int32_t qv_push(int32_t port, uint8_t *ptr,
                                                        uint32_t size_bytes) {
  if (failed || the_step.done) {
    free(ptr);
    return failed ? STATUS_FAILED : STATUS_DONE;
  }
  qv_error err;
  if (the_step.module == NULL) {
    free(ptr);
    return status(qv_error_set(&err, EINVAL, "qv_push before qv_begin"), &err);
  }
  return status(push(&the_step, port, ptr, size_bytes, &err), &err);
}

QV_EXPORT("qv_finish") int32_t qv_finish(void) {
  if (failed) return STATUS_FAILED;
  qv_error err;
  if (the_step.module == NULL) {
    return status(qv_error_set(&err, EINVAL, "qv_finish before qv_begin"), &err);
  }
  int rc = QV_OK;
  for (int p = 0; p < the_step.module->n_inputs && !the_step.begun; p++) {
    if (!qv_step_is_bytes_port_(&the_step, p) && the_step.readers[p] == NULL) {
      rc = qv_error_set(&err, EINVAL, "%s: input '%s' got no schema", the_step.module->id,
                        the_step.module->inputs[p]);
    }
  }
  if (rc == QV_OK) rc = qv_step_finish_(&the_step, &err);
  qv_step_release_inputs_(&the_step);
  int32_t st = status(rc, &err);
  return st == STATUS_FAILED ? st : STATUS_CONTINUE;
}

/** The writer of output `port`, or NULL. */
static qv_writer *output(int32_t port) {
  if (the_step.writers == NULL || port < 0 || port >= the_step.module->n_outputs) return NULL;
  return the_step.writers[port];
}

QV_EXPORT("qv_output_ptr") const uint8_t *qv_output_ptr(int32_t port) {
  const uint8_t *data = NULL;
  int64_t size = 0;
  if (output(port) != NULL) qv_writer_pending_(output(port), &data, &size);
  return size > 0 ? data : NULL;
}

QV_EXPORT("qv_output_size") uint32_t qv_output_size(int32_t port) {
  const uint8_t *data = NULL;
  int64_t size = 0;
  if (output(port) != NULL) qv_writer_pending_(output(port), &data, &size);
  return (uint32_t)size;
}

QV_EXPORT("qv_output_clear") void qv_output_clear(int32_t port) {
  if (output(port) != NULL) qv_writer_clear_pending_(output(port));
}
