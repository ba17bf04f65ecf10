/* Hostile fixture: explains itself on stderr and exits with status 3. */
#include <stdio.h>

int main(void) {
  fprintf(stderr, "checking the input...\n");
  fprintf(stderr, "error: column 'price' is missing from the input\n");
  return 3;
}
