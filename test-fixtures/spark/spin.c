/*
 * Test fixture for the Spark runner (ABI 2 reactor, no SDK): echoes its input's Schema message
 * as its output's, then loops forever on the first record batch, so that the step must time out.
 */
#include <stdint.h>
#include <stdlib.h>

static uint8_t *pending;
static uint32_t pending_size;
static int pushes;

__attribute__((export_name("qv_alloc"))) void *qv_alloc(uint32_t size) { return malloc(size ? size : 1); }
__attribute__((export_name("qv_free"))) void qv_free(void *ptr) { free(ptr); }
__attribute__((export_name("qv_begin"))) int qv_begin(void *ptr, uint32_t size) {
  (void)size;
  free(ptr);
  return 0;
}
__attribute__((export_name("qv_push"))) int qv_push(int port, uint8_t *ptr, uint32_t size) {
  (void)port;
  if (pushes++ == 0) { /* the Schema message: kept as the output's */
    pending = ptr;
    pending_size = size;
    return 0;
  }
  volatile unsigned long spins = 0;
  for (;;) spins++;
}
__attribute__((export_name("qv_finish"))) int qv_finish(void) { return 0; }
__attribute__((export_name("qv_output_ptr"))) uint8_t *qv_output_ptr(int port) { (void)port; return pending; }
__attribute__((export_name("qv_output_size"))) uint32_t qv_output_size(int port) { (void)port; return pending_size; }
__attribute__((export_name("qv_output_clear"))) void qv_output_clear(int port) {
  (void)port;
  free(pending);
  pending = NULL;
  pending_size = 0;
}
