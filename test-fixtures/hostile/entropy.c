/* Hostile fixture: imports random_get (through getentropy) although its manifest asks for no
 * permission. It must be refused before it runs, naming the import. */
#include <unistd.h>

int main(void) {
  unsigned char key[16];
  return getentropy(key, sizeof key) == 0 ? 0 : 1;
}
