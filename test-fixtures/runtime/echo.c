/* Test fixture: copies /in/in.bytes to /out/out.arrow in 7-byte writes (to exercise file
 * growth), appends /params.json, writes a line to stdout and to stderr, then exits with the
 * code given as argv[1] (default 0). */
#include <stdio.h>
#include <stdlib.h>

static int copy(FILE *from, FILE *to) {
  char chunk[7];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, from)) > 0) {
    if (fwrite(chunk, 1, n, to) != n) return -1;
    if (fflush(to) != 0) return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  FILE *in = fopen("/in/in.bytes", "rb");
  FILE *params = fopen("/params.json", "rb");
  FILE *out = fopen("/out/out.arrow", "wb");
  if (in == NULL || params == NULL || out == NULL) {
    fprintf(stderr, "echo: cannot open a file\n");
    return 3;
  }
  if (copy(in, out) != 0 || copy(params, out) != 0) {
    fprintf(stderr, "echo: write failed\n");
    return 4;
  }
  fclose(out);
  printf("echo: done\n");
  fprintf(stderr, "echo: to stderr\n");
  return argc > 1 ? atoi(argv[1]) : 0;
}
