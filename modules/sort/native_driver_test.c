/*
 * native_driver_test.c — test-only driver that links the select, limit, sort and aggregate
 * modules into one native executable (built with AddressSanitizer and UBSan by
 * native.test.ts). Each module's `main` is compiled as `<id>_main`; argv[1] picks one.
 *
 * The modules open the ABI's absolute paths (/in/in.arrow, /params.json, /out/out.arrow);
 * linked with -Wl,--wrap=fopen, every absolute path is looked up under $QV_TEST_ROOT instead,
 * so the test can give each run a temporary directory. Not part of any module build (the
 * build skips *_test.c files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FILE *__real_fopen(const char *path, const char *mode);

FILE *__wrap_fopen(const char *path, const char *mode) {
  const char *root = getenv("QV_TEST_ROOT");
  if (root == NULL || path[0] != '/') return __real_fopen(path, mode);
  char full[4096];
  int n = snprintf(full, sizeof full, "%s%s", root, path);
  if (n < 0 || (size_t)n >= sizeof full) return NULL;
  return __real_fopen(full, mode);
}

int select_main(void);
int limit_main(void);
int sort_main(void);
int aggregate_main(void);

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "select") == 0) return select_main();
  if (argc == 2 && strcmp(argv[1], "limit") == 0) return limit_main();
  if (argc == 2 && strcmp(argv[1], "sort") == 0) return sort_main();
  if (argc == 2 && strcmp(argv[1], "aggregate") == 0) return aggregate_main();
  fprintf(stderr, "usage: %s select|limit|sort|aggregate\n", argc > 0 ? argv[0] : "driver");
  return 2;
}
