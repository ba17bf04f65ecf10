/* For the csv module's native test harnesses only: reading a whole test file. */
#ifndef CSV_TEST_FILE_H
#define CSV_TEST_FILE_H

#include <stdio.h>
#include <stdlib.h>

/** The bytes of file `path` (caller frees), their count in `*out_size`; NULL if it cannot be
 * opened or memory runs out. */
static unsigned char *read_file(const char *path, size_t *out_size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, size = 0;
  unsigned char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + size, 1, cap - size, f);
    size += got;
    if (size < cap) break;
    unsigned char *grown = realloc(buf, cap * 2);
    if (!grown) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  fclose(f);
  *out_size = size;
  return buf;
}

#endif /* CSV_TEST_FILE_H */
