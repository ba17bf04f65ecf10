/*
 * native_driver_test.c — test-only file linked into the native builds of the select, limit,
 * sort and aggregate modules (built with AddressSanitizer and UBSan by native.test.ts, each
 * with the SDK's ABI v1 driver, step_v1.c, which provides `main`).
 *
 * The modules open the ABI's absolute paths (/in/in.arrow, /params.json, /out/out.arrow);
 * linked with -Wl,--wrap=fopen, every absolute path is looked up under $QV_TEST_ROOT instead,
 * so the test can give each run a temporary directory. Not part of any module build (the
 * build skips *_test.c files).
 */
#include <stdio.h>
#include <stdlib.h>

FILE *__real_fopen(const char *path, const char *mode);

FILE *__wrap_fopen(const char *path, const char *mode) {
  const char *root = getenv("QV_TEST_ROOT");
  if (root == NULL || path[0] != '/') return __real_fopen(path, mode);
  char full[4096];
  int n = snprintf(full, sizeof full, "%s%s", root, path);
  if (n < 0 || (size_t)n >= sizeof full) return NULL;
  return __real_fopen(full, mode);
}
