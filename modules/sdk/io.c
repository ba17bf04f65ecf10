/* File access and the module conveniences of the Quiver guest SDK: the ABI's file layout
 * (/in/<port>.arrow, /in/<port>.bytes, /out/<port>.arrow, /params.json). See ABI.md. */
#include <stdio.h>

#include "internal.h"

int qv_read_file_(const char *path, uint8_t **out, int64_t *out_size_bytes, qv_error *err) {
  *out = NULL;
  *out_size_bytes = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    int code = errno == ENOENT ? ENOENT : EIO;
    return qv_error_set(err, code, "cannot open %s: %s", path, strerror(errno));
  }
  /* Start with the file's size when it is known, so a large input is not over-allocated
   * (linear memory is the step's scarcest resource); grow if the file turns out longer. */
  int64_t size = 0, cap = 1 << 16;
  if (fseek(f, 0, SEEK_END) == 0) {
    long end = ftell(f);
    if (end >= 0 && (uint64_t)end < SIZE_MAX - 1) cap = (int64_t)end + 1;
    if (fseek(f, 0, SEEK_SET) != 0) cap = 1 << 16;
  }
  uint8_t *buf = malloc((size_t)cap);
  int rc = buf == NULL ? qv_error_set(err, ENOMEM, "out of memory reading %s", path) : QV_OK;
  while (rc == QV_OK) {
    if (size + 1 >= cap) { /* full (one byte is kept for the NUL): at the end of the file? */
      int c = fgetc(f);
      if (c == EOF) {
        if (ferror(f)) rc = qv_error_set(err, EIO, "error reading %s", path);
        break;
      }
      ungetc(c, f);
      if (cap > INT64_MAX / 2 || (uint64_t)cap * 2 > SIZE_MAX) {
        rc = qv_error_set(err, EOVERFLOW, "%s is too large", path);
        break;
      }
      uint8_t *grown = realloc(buf, (size_t)cap * 2);
      if (grown == NULL) {
        rc = qv_error_set(err, ENOMEM, "out of memory reading %s (%lld bytes so far)", path,
                          (long long)size);
        break;
      }
      buf = grown;
      cap *= 2;
    }
    size_t n = fread(buf + size, 1, (size_t)(cap - 1 - size), f);
    size += (int64_t)n;
    if (n == 0) {
      if (ferror(f)) rc = qv_error_set(err, EIO, "error reading %s", path);
      break;
    }
  }
  fclose(f);
  if (rc != QV_OK) {
    free(buf);
    return rc;
  }
  buf[size] = 0;
  *out = buf;
  *out_size_bytes = size;
  return QV_OK;
}

/** Builds "<dir>/<port><suffix>" after checking the port name (ABI: ^[a-z][a-z0-9_]{0,31}$). */
static int port_path(const char *dir, const char *port, const char *suffix, char *path,
                     size_t path_size, qv_error *err) {
  size_t n = strlen(port);
  bool ok = n >= 1 && n <= QV_PORT_NAME_MAX_BYTES && port[0] >= 'a' && port[0] <= 'z';
  for (size_t i = 1; ok && i < n; i++) {
    char c = port[i];
    ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }
  if (!ok) return qv_error_set(err, EINVAL, "invalid port name '%s'", port);
  snprintf(path, path_size, "%s/%s%s", dir, port, suffix);
  return QV_OK;
}

int qv_read_input(const char *port, qv_reader **out, qv_error *err) {
  char path[64];
  *out = NULL;
  int rc = port_path("/in", port, ".arrow", path, sizeof path, err);
  return rc != QV_OK ? rc : qv_reader_open_path(path, out, err);
}

int qv_read_input_bytes(const char *port, uint8_t **out_data, int64_t *out_size_bytes,
                        qv_error *err) {
  char path[64];
  *out_data = NULL;
  *out_size_bytes = 0;
  int rc = port_path("/in", port, ".bytes", path, sizeof path, err);
  return rc != QV_OK ? rc : qv_read_file_(path, out_data, out_size_bytes, err);
}

int qv_write_output(const char *port, const qv_schema *schema, qv_writer **out,
                    qv_error *err) {
  char path[64];
  *out = NULL;
  int rc = port_path("/out", port, ".arrow", path, sizeof path, err);
  return rc != QV_OK ? rc : qv_writer_open_path(path, schema, out, err);
}

int qv_read_params(qv_json **out_root, qv_error *err) {
  *out_root = NULL;
  uint8_t *text;
  int64_t size;
  int rc = qv_read_file_("/params.json", &text, &size, err);
  if (rc == ENOENT) return qv_json_parse("{}", 2, out_root, err);
  if (rc != QV_OK) return rc;
  rc = qv_json_parse((const char *)text, size, out_root, err);
  free(text);
  if (rc != QV_OK) {
    char msg[QV_ERROR_MESSAGE_SIZE_BYTES];
    snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
    return qv_error_set(err, rc, "/params.json: %s", msg);
  }
  return QV_OK;
}
