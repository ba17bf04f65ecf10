/* Hostile fixture: tries to reach files outside its sandbox — "..", absolute paths, /data
 * without the storage grant, writing its read-only inputs — and reports each attempt. Exits 0
 * (and passes its input through) only if some attempt succeeded, so a success is visible. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "hostile.h"

static int attempt(const char *path, const char *mode) {
  FILE *f = fopen(path, mode);
  if (f == NULL) {
    fprintf(stderr, "refused %s (%s): %s\n", path, mode, strerror(errno));
    return 0;
  }
  fprintf(stderr, "ESCAPED: opened %s (%s)\n", path, mode);
  fclose(f);
  return 1;
}

int main(void) {
  static const char *const reads[] = {
      "/etc/passwd", "../etc/passwd", "/in/../../etc/passwd", "/../../../../etc/passwd",
      "/data/secret.txt", "/proc/self/environ", "/home", "../../../../../../../../tmp/x",
  };
  static const char *const writes[] = {
      "/data/planted.txt", "/in/in.arrow", "/params.json", "/out/../planted.txt",
      "/tmp/planted.txt", "../planted.txt",
  };
  int escaped = 0;
  for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) escaped += attempt(reads[i], "rb");
  for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) escaped += attempt(writes[i], "wb");
  if (escaped > 0) return copy_input("/out/out.arrow");
  fprintf(stderr, "error: all 14 escapes were refused\n");
  return 1;
}
