/* Errors and the fatal-exit helper of the Quiver guest SDK (see quiver.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

int qv_error_set(qv_error *err, int code, const char *fmt, ...) {
  if (err != NULL) {
    /* Formatted into a copy first, so an argument may be err->message itself (prefixing). */
    char message[QV_ERROR_MESSAGE_SIZE_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    err->code = code;
    memcpy(err->message, message, sizeof message);
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
