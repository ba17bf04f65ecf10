/* Hostile fixture: writes 300 MiB of log (3,145,728 lines of 100 bytes, one write each) to
 * stderr, then passes its input through and exits 0. The host must cap the log, stay linear in
 * the bytes written, and say how much it dropped.
 *
 * For the log bench (bench/log-flood.ts): argv[1] is the number of lines; with argv[2] = "file"
 * the same unbuffered writes go to /out/log.txt instead (the peer: a write without logging). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hostile.h"

int main(int argc, char **argv) {
  long lines = argc > 1 ? atol(argv[1]) : 3145728L;
  FILE *sink = stderr;
  if (argc > 2 && strcmp(argv[2], "file") == 0) {
    sink = fopen("/out/log.txt", "wb");
    if (sink == NULL) return 1;
    setvbuf(sink, NULL, _IONBF, 0);
  }
  char line[101];
  memset(line, 'l', 99);
  line[99] = '\n';
  line[100] = '\0';
  for (long i = 0; i < lines; i++) fwrite(line, 1, 100, sink);
  if (argc > 1) return 0;
  return copy_input("/out/out.arrow");
}
