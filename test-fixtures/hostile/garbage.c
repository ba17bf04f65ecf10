/* Hostile fixture: writes bytes that are not an Arrow IPC stream to its output and exits 0. */
#include <stdio.h>

int main(void) {
  FILE *out = fopen("/out/out.arrow", "wb");
  if (out == NULL) return 1;
  unsigned state = 12345;
  for (int i = 0; i < 4096; i++) {
    state = state * 1103515245u + 12345u;
    fputc((int)(state >> 16) & 0xff, out);
  }
  return fclose(out) == 0 ? 0 : 1;
}
