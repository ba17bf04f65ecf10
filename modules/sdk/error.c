/* Errors and the fatal-exit helper of the Quiver guest SDK (see quiver.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "quiver.h"

int qv_error_set(qv_error *err, int code, const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

_Noreturn void qv_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  fflush(stdout);
  fflush(stderr);
  exit(1);
}
