/* Test fixture: allocates and touches 1 MiB blocks until malloc fails, reporting progress
 * on stderr every 8 MiB; then exits 1. Under a memory cap the host must stop it first. The
 * blocks are chained so that the compiler cannot drop the allocations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES (1024 * 1024)

int main(void) {
  size_t total_mib = 0;
  void **chain = NULL;
  for (;;) {
    void **block = malloc(BLOCK_BYTES);
    if (block == NULL) {
      fprintf(stderr, "grow: malloc failed after %zu MiB\n", total_mib);
      return chain != NULL ? 1 : 2;
    }
    memset(block, 1, BLOCK_BYTES);
    *block = chain;
    chain = block;
    total_mib++;
    if (total_mib % 8 == 0) fprintf(stderr, "grow: %zu MiB\n", total_mib);
  }
}
