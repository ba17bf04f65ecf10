/* Test fixture: an ABI v2 module (modules/sdk/ABI.md section 11) written without the SDK.
 * It echoes every pushed block of input 0 to output 0 unchanged (schema and batches), so its
 * output equals its input. The params JSON picks a misbehaviour by substring:
 *   "done2"    status 1 (done) after the second record-batch push;
 *   "badptr"   qv_output_ptr returns a pointer past the end of memory;
 *   "garbage"  the output holds bytes that are not an IPC message;
 *   "fail"     qv_push writes an error line to stderr and returns status 2;
 *   "late"     the same from the third push of an instance on (schema, one batch, then fail);
 *   "loop"     qv_push never returns;
 *   "hog"      qv_push allocates memory until it fails;
 *   "data"     qv_begin appends "begin" to /data/log.txt (the storage permission's preopen).
 * It also prints "instance <n> push <k>" to stdout on each push, n being a per-instance
 * counter that starts at 1 (so two instances would both print 1). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

static char mode[64];
static uint8_t *out;
static size_t out_size, out_cap;
static int pushes, batches;
static void *volatile hog_sink;

EXPORT("qv_alloc") void *qv_alloc(int32_t size) { return malloc((size_t)size); }
EXPORT("qv_free") void qv_free(void *p) { free(p); }

EXPORT("qv_begin") int32_t qv_begin(char *params, int32_t size) {
  const char *modes[] = {"done2", "badptr", "garbage", "fail", "late", "loop", "hog", "data"};
  char text[256] = {0};
  memcpy(text, params, size < 255 ? (size_t)size : 255);
  for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
    if (strstr(text, modes[i]) != NULL) strcpy(mode, modes[i]);
  free(params);
  if (strcmp(mode, "data") == 0) {
    FILE *log = fopen("/data/log.txt", "a");
    if (log == NULL) return 2;
    fputs("begin\n", log);
    fclose(log);
  }
  return 0;
}

static void append(const uint8_t *p, size_t n) {
  if (out_size + n > out_cap) {
    out_cap = (out_size + n) * 2;
    out = realloc(out, out_cap);
    if (out == NULL) abort();
  }
  memcpy(out + out_size, p, n);
  out_size += n;
}

EXPORT("qv_push") int32_t qv_push(int32_t port, uint8_t *data, int32_t size) {
  pushes++;
  printf("instance 1 push %d\n", pushes);
  fflush(stdout);
  if (port != 0) return 2;
  if (strcmp(mode, "fail") == 0 || (strcmp(mode, "late") == 0 && pushes >= 3)) {
    fprintf(stderr, "error: reactor fixture refuses batch %d\n", pushes);
    return 2;
  }
  if (strcmp(mode, "loop") == 0 && pushes > 1)
    for (volatile int spin = 1; spin;) {
    }
  if (strcmp(mode, "hog") == 0 && pushes > 1)
    for (;;) /* kept in a volatile, or the compiler may drop the allocation */
      if ((hog_sink = malloc(1 << 20)) == NULL) return 2;
  if (strcmp(mode, "garbage") == 0 && pushes > 1) {
    append((const uint8_t *)"\x10\0\0\0garbage!garbage!", 20);
  } else {
    append(data, (size_t)size);
  }
  free(data);
  if (pushes > 1) batches++;
  return strcmp(mode, "done2") == 0 && batches >= 2 ? 1 : 0;
}

EXPORT("qv_finish") int32_t qv_finish(void) { return 0; }

EXPORT("qv_output_ptr") uint8_t *qv_output_ptr(int32_t port) {
  (void)port;
  return strcmp(mode, "badptr") == 0 && pushes > 1 ? (uint8_t *)0x7ffffff0 : out;
}
EXPORT("qv_output_size") int32_t qv_output_size(int32_t port) {
  (void)port;
  return (int32_t)out_size;
}
EXPORT("qv_output_clear") void qv_output_clear(int32_t port) {
  (void)port;
  out_size = 0;
}
