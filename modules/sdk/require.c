/* Parameter checks and allocation for modules that fail the step on bad input (quiver.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

const char *qv_schema_describe_columns(const qv_schema *schema, char *buf, size_t size_bytes) {
  size_t used = 0;
  if (size_bytes == 0) return buf;
  buf[0] = '\0';
  for (int64_t i = 0; i < schema->n_fields && used + 1 < size_bytes; i++) {
    int w = snprintf(buf + used, size_bytes - used, "%s\"%s\"", i ? ", " : "",
                     schema->fields[i].name);
    if (w < 0) break;
    used += (size_t)w;
  }
  return buf;
}

int64_t qv_require_column(const qv_schema *schema, const char *module, const char *where,
                          const char *name) {
  int64_t index = qv_schema_find(schema, name);
  if (index < 0) {
    char list[512];
    qv_fail("%s: parameter %s: no column \"%s\" in the input (columns: %s)", module, where, name,
            qv_schema_describe_columns(schema, list, sizeof list));
  }
  return index;
}

void qv_require_members(const qv_json *object, const char *module, const char *where,
                        const char *const *allowed, int n_allowed) {
  for (int64_t i = 0; i < object->n_children; i++) {
    const char *key = object->children[i].key;
    bool ok = false;
    for (int j = 0; j < n_allowed && !ok; j++) ok = strcmp(key, allowed[j]) == 0;
    if (!ok) qv_fail("%s: parameter %s has an unknown member \"%s\"", module, where, key);
  }
}

void *qv_calloc_or_fail(const char *module, size_t n, size_t size_bytes) {
  void *p = calloc(n ? n : 1, size_bytes ? size_bytes : 1);
  if (p == NULL) qv_fail("%s: out of memory (%zu x %zu bytes)", module, n, size_bytes);
  return p;
}
