/* Test fixture: traps (unreachable) after writing a line to stderr. */
#include <stdio.h>

int main(void) {
  fprintf(stderr, "trap: about to trap\n");
  fflush(stderr);
  __builtin_trap();
}
