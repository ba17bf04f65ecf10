/* Fixture for the storage permission: counts its runs in /data/runs.txt (read, add one, write
 * back), logs "run <n>" and passes its input through. With a read-only /data it only reads. */
#include <stdio.h>
#include "hostile.h"

int main(void) {
  long runs = 0;
  FILE *f = fopen("/data/runs.txt", "r");
  if (f != NULL) {
    if (fscanf(f, "%ld", &runs) != 1) runs = 0;
    fclose(f);
  }
  runs++;
  fprintf(stderr, "run %ld\n", runs);
  f = fopen("/data/runs.txt", "w");
  if (f == NULL) {
    perror("notes: /data/runs.txt");
  } else {
    fprintf(f, "%ld\n", runs);
    fclose(f);
  }
  return copy_input("/out/out.arrow");
}
