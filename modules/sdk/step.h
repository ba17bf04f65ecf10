/*
 * The running step behind the one-source module API of quiver.h (qv_module, qv_step_*), shared
 * by the two drivers: step_v1.c (a WASI command reading files, ABI v1) and step_v2.c (a
 * reactor fed by the host, ABI v2). Internal to the SDK; see ABI.md section 11.5.
 */
#ifndef QUIVER_STEP_H
#define QUIVER_STEP_H

#include "internal.h"

/** Most input ports a module may declare (one bit each in qv_module.bytes_inputs). */
#define QV_STEP_MAX_PORTS 32

struct qv_step {
  const qv_module *module;
  /** The parameters (owned), NULL until read. */
  qv_json *params;
  /** Per input port: its reader (owned); NULL for `bytes` ports, and in v2 until the port's
   * schema has been pushed. */
  qv_reader **readers;
  /** Per output port: its writer (owned), NULL until qv_step_open_output. */
  qv_writer **writers;
  /** v1: outputs are /out/<port>.arrow files; v2: memory writers the host drains. */
  bool to_files;
  /** holds_input: the batches passed to `batch` (heap, owned), released after `finish`. */
  qv_batch **held;
  int64_t n_held;
  int64_t cap_held;
  /** holds_input: the input blocks (heap, owned) the held batches point into. */
  void **blocks;
  int64_t n_blocks;
  int64_t cap_blocks;
  /** Input ports whose batches stay valid until `finish` (bit i = port i): every port for a
   * holds_input module, or those named by qv_step_hold_input. */
  uint32_t held_ports;
  /** `begin` has run; an input callback returned QV_DONE. */
  bool begun;
  bool done;
};

/** Sets up `step` for `module`: zeroes it and allocates the per-port arrays. EINVAL for an
 * unusable definition (no begin, too many ports), ENOMEM. */
int qv_step_init_(qv_step *step, const qv_module *module, bool to_files, qv_error *err);

/** True if input `port` is a `bytes` port. */
bool qv_step_is_bytes_port_(const qv_step *step, int port);

/** True if the batches of input `port` are kept until `finish`. */
bool qv_step_holds_port_(const qv_step *step, int port);

/** Calls the module's `begin` (once). QV_DONE from it ends the input. */
int qv_step_begin_(qv_step *step, qv_error *err);

/** Passes every batch input `port`'s reader can give now to `batch`, in order, until the
 * reader's data ends or a callback returns QV_DONE (then step->done is set). Reader errors
 * are prefixed "<id>: input '<port>': ". */
int qv_step_read_port_(qv_step *step, int port, qv_error *err);

/** Passes a chunk of `bytes` input `port` to the `bytes` callback. */
int qv_step_deliver_bytes_(qv_step *step, int port, const uint8_t *data, int64_t size_bytes,
                           qv_error *err);

/** Keeps input block `block` (heap) until the step ends (holds_input). ENOMEM. */
int qv_step_hold_block_(qv_step *step, void *block, qv_error *err);

/** Calls `finish` (if any), checks that every output was opened, and releases the held
 * batches. The writers stay open (the caller ends them). */
int qv_step_finish_(qv_step *step, qv_error *err);

/** Frees everything the step owns except the writers (pending output stays readable). */
void qv_step_release_inputs_(qv_step *step);

#endif /* QUIVER_STEP_H */
