/*
 * Native test of the ABI v2 driver (step_v2.c) under AddressSanitizer: plays the host for a
 * round-trip module (every batch written back, or, with argv[1] = "holds", kept until finish)
 * on the Arrow IPC stream file argv[2]: qv_begin, one qv_push per message (each block filled
 * from a fresh qv_alloc, owned by the module once pushed), qv_finish, draining the output
 * after every call. A module reading a block after freeing it is reported by the sanitizer.
 *
 * Prints "ok <pushes> <output bytes>" when the drained output equals, byte for byte, what a
 * memory writer makes of the same stream read whole (the v1 path), or "error <message>". One
 * step per process: the driver's state is the process's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flatbuf.h"
#include "internal.h"

void *qv_alloc(uint32_t size_bytes);
int32_t qv_begin(uint8_t *ptr, uint32_t size_bytes);
int32_t qv_push(int32_t port, uint8_t *ptr, uint32_t size_bytes);
int32_t qv_finish(void);
const uint8_t *qv_output_ptr(int32_t port);
uint32_t qv_output_size(int32_t port);
void qv_output_clear(int32_t port);

static bool holds;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)params;
  return qv_step_open_output(step, 0, qv_step_input_schema(step, 0), err);
}

static const qv_batch *held[4096];
static int n_held;

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (!holds) return qv_step_write(step, 0, in, err);
  if (n_held == 4096) return qv_error_set(err, ENOMEM, "too many batches for the test");
  held[n_held++] = in;
  return QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  int rc = QV_OK;
  for (int k = 0; rc == QV_OK && k < n_held; k++) rc = qv_step_write(step, 0, held[k], err);
  return rc;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
static qv_module definition = {.id = "roundtrip", .inputs = inputs, .n_inputs = 1,
                               .outputs = outputs, .n_outputs = 1, .begin = begin,
                               .batch = batch, .finish = finish};

const qv_module *qv_module_definition_(void) {
  return &definition;
}

/** Size of the encapsulated message at `p` (`left` bytes): 0 at the end-of-stream marker. */
static int64_t message_size(const uint8_t *p, int64_t left) {
  if (left < 8) return 0;
  int32_t meta_size;
  memcpy(&meta_size, p + 4, 4);
  if (meta_size <= 0 || meta_size > left - 8) return 0;
  fb_buf meta = {p + 8, meta_size};
  fb_table msg;
  int64_t body = 0;
  if (!fb_root(&meta, &msg) || !fb_scalar(&msg, 3, 8, true, 0, &body)) return 0;
  return 8 + meta_size + body <= left ? 8 + meta_size + body : 0;
}

/** What the v1 path writes for the stream: read whole, every batch to a memory writer (no
 * end-of-stream marker, which v2 output leaves out). */
static int v1_bytes(const uint8_t *data, int64_t size, uint8_t **out, int64_t *out_size,
                    qv_error *err) {
  qv_reader *r;
  qv_writer *w = NULL;
  int rc = qv_reader_open_memory(data, size, &r, err);
  if (rc == QV_OK) rc = qv_writer_open_memory(qv_reader_schema(r), &w, err);
  for (bool end = false; rc == QV_OK && !end;) {
    qv_batch b;
    rc = qv_reader_next(r, &b, &end, err);
    if (rc == QV_OK && !end) rc = qv_writer_write(w, &b, err);
    qv_batch_release(&b);
  }
  if (w != NULL) {
    int closed = qv_writer_finish_memory(w, out, out_size, err);
    if (rc == QV_OK) rc = closed;
    *out_size -= 8;
  }
  qv_reader_close(r);
  return rc;
}

/** Appends the pending output to `*acc` and clears it. */
static void drain(uint8_t **acc, int64_t *acc_size) {
  uint32_t n = qv_output_size(0);
  if (n == 0) return;
  *acc = realloc(*acc, (size_t)(*acc_size + n));
  memcpy(*acc + *acc_size, qv_output_ptr(0), n);
  *acc_size += n;
  qv_output_clear(0);
}

/** Copies `n` bytes into a fresh module block. */
static uint8_t *block(const uint8_t *p, int64_t n) {
  uint8_t *b = qv_alloc((uint32_t)n);
  memcpy(b, p, (size_t)n);
  return b;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: step_v2_test stream|holds FILE\n");
    return 2;
  }
  holds = strcmp(argv[1], "holds") == 0;
  definition.holds_input = holds;
  qv_error err;
  uint8_t *data;
  int64_t size;
  if (qv_read_file_(argv[2], &data, &size, &err) != QV_OK) {
    printf("error %s\n", err.message);
    return 1;
  }
  uint8_t *out = NULL;
  int64_t out_size = 0;
  int status = qv_begin(block((const uint8_t *)"{}", 2), 2);
  drain(&out, &out_size);
  int pushes = 0;
  for (int64_t at = 0, n; status == 0 && (n = message_size(data + at, size - at)) > 0; at += n) {
    status = qv_push(0, block(data + at, n), (uint32_t)n);
    drain(&out, &out_size);
    pushes++;
  }
  if (status != 2) status = qv_finish();
  drain(&out, &out_size);
  uint8_t *want = NULL;
  int64_t want_size = 0;
  int rc = v1_bytes(data, size, &want, &want_size, &err);
  if (status == 2) {
    printf("error status 2\n");
  } else if (rc != QV_OK) {
    printf("error v1 path: %s\n", err.message);
  } else if (want_size != out_size || memcmp(want, out, (size_t)out_size) != 0) {
    printf("error output differs: %lld bytes, v1 path %lld\n", (long long)out_size,
           (long long)want_size);
  } else {
    printf("ok %d %lld\n", pushes, (long long)out_size);
  }
  free(want);
  free(out);
  free(data);
  return 0;
}
