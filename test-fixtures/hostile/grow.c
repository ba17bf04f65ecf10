/* Hostile fixture: allocates and touches 1 MiB blocks until malloc refuses, without logging
 * (so no WASI call interrupts it); then exits 1. The memory cap must stop it, with words. */
#include <stdlib.h>
#include <string.h>

int main(void) {
  void **chain = NULL;
  for (;;) {
    void **block = malloc(1024 * 1024);
    if (block == NULL) return chain != NULL ? 1 : 2;
    memset(block, 1, 1024 * 1024);
    *block = chain;
    chain = block;
  }
}
