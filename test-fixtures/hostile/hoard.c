/* Fixture for the storage cap: writes 1 MiB blocks to /data/hoard.bin until a write fails,
 * then exits 0 as if all were well. The host must fail the step, naming the cap, and keep
 * nothing of what it wrote. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char block[1024 * 1024];
  memset(block, 'h', sizeof block);
  FILE *f = fopen("/data/hoard.bin", "wb");
  if (f == NULL) {
    perror("hoard: /data/hoard.bin");
    return 1;
  }
  setvbuf(f, NULL, _IONBF, 0);
  while (fwrite(block, 1, sizeof block, f) == sizeof block) {
  }
  fclose(f);
  return 0;
}
