/* Hostile fixture: writes 300 MiB of log (3,145,728 lines of 100 bytes) to stderr, then passes
 * its input through and exits 0. The host must cap the log, stay linear in the bytes written,
 * and say how much it dropped. */
#include <stdio.h>
#include <string.h>
#include "hostile.h"

int main(void) {
  char line[101];
  memset(line, 'l', 99);
  line[99] = '\n';
  line[100] = '\0';
  for (long i = 0; i < 3145728L; i++) fwrite(line, 1, 100, stderr);
  return copy_input("/out/out.arrow");
}
