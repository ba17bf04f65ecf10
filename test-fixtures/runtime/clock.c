/* Test fixture: prints the realtime clock (ns) and 8 random bytes (hex) on stdout. */
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <sys/random.h>

int main(void) {
  struct timespec now;
  unsigned char bytes[8];
  if (clock_gettime(CLOCK_REALTIME, &now) != 0 || getentropy(bytes, sizeof bytes) != 0) return 1;
  printf("%lld ", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
  for (size_t i = 0; i < sizeof bytes; i++) printf("%02x", bytes[i]);
  printf("\n");
  return 0;
}
