/* Hostile fixture: writes its output in 1 MiB writes, up to 8 GiB (far more than memory); it
 * stops only when a write fails. The output cap must stop it, with words. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char block[1024 * 1024];
  memset(block, 'x', sizeof block);
  FILE *out = fopen("/out/out.arrow", "wb");
  if (out == NULL) return 1;
  for (int mib = 0; mib < 8192; mib++) {
    if (fwrite(block, 1, sizeof block, out) != sizeof block) {
      perror("bigout: write");
      return 1;
    }
  }
  fclose(out);
  return 0;
}
