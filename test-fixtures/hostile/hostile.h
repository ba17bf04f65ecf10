/* Shared by the hostile fixtures: copy the input stream to the output unchanged (a valid Arrow
 * IPC stream in, the same stream out), so that a fixture can misbehave and still answer. */
#ifndef HOSTILE_H
#define HOSTILE_H
#include <stdio.h>
#include <stdlib.h>

/* Copies /in/in.arrow to /out/<port>.arrow; returns 0, or 1 after printing why to stderr. */
static int copy_input(const char *out_path) {
  FILE *in = fopen("/in/in.arrow", "rb");
  FILE *out = fopen(out_path, "wb");
  if (in == NULL || out == NULL) {
    perror("copy_input: open");
    return 1;
  }
  static char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, in)) > 0) {
    if (fwrite(buffer, 1, n, out) != n) {
      perror("copy_input: write");
      return 1;
    }
  }
  fclose(in);
  return fclose(out) == 0 ? 0 : 1;
}
#endif
