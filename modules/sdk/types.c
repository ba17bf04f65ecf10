/* Types, fields and schemas of the Quiver guest SDK (see quiver.h). */
#include <stdio.h>

#include "internal.h"

qv_type qv_type_make(qv_type_id id) {
  qv_type t;
  memset(&t, 0, sizeof t);
  t.id = id;
  t.unit = QV_TIME_UNIT_SECOND;
  t.index_type = QV_TYPE_INT32;
  return t;
}

qv_type qv_type_timestamp(qv_time_unit unit, const char *timezone) {
  qv_type t = qv_type_make(QV_TYPE_TIMESTAMP);
  t.unit = unit;
  if (timezone != NULL) snprintf(t.timezone, sizeof t.timezone, "%s", timezone);
  return t;
}

qv_type qv_type_dictionary(qv_type_id value_id, qv_type_id index_type) {
  qv_type t = qv_type_make(value_id);
  t.dictionary = true;
  t.index_type = index_type;
  return t;
}

const char *qv_type_id_name(qv_type_id id) {
  switch (id) {
  case QV_TYPE_NULL: return "null";
  case QV_TYPE_BOOL: return "bool";
  case QV_TYPE_INT8: return "int8";
  case QV_TYPE_INT16: return "int16";
  case QV_TYPE_INT32: return "int32";
  case QV_TYPE_INT64: return "int64";
  case QV_TYPE_UINT8: return "uint8";
  case QV_TYPE_UINT16: return "uint16";
  case QV_TYPE_UINT32: return "uint32";
  case QV_TYPE_UINT64: return "uint64";
  case QV_TYPE_FLOAT32: return "float32";
  case QV_TYPE_FLOAT64: return "float64";
  case QV_TYPE_UTF8: return "utf8";
  case QV_TYPE_LARGE_UTF8: return "large_utf8";
  case QV_TYPE_BINARY: return "binary";
  case QV_TYPE_LARGE_BINARY: return "large_binary";
  case QV_TYPE_DATE32: return "date32";
  case QV_TYPE_DATE64: return "date64";
  case QV_TYPE_TIMESTAMP: return "timestamp";
  case QV_TYPE_TIME32: return "time32";
  case QV_TYPE_TIME64: return "time64";
  case QV_TYPE_DURATION: return "duration";
  case QV_TYPE_COUNT_: break;
  }
  return "invalid";
}

const char *qv_time_unit_name(qv_time_unit unit) {
  switch (unit) {
  case QV_TIME_UNIT_SECOND: return "s";
  case QV_TIME_UNIT_MILLISECOND: return "ms";
  case QV_TIME_UNIT_MICROSECOND: return "us";
  case QV_TIME_UNIT_NANOSECOND: return "ns";
  }
  return "invalid";
}

int qv_type_id_width_bytes(qv_type_id id) {
  switch (id) {
  case QV_TYPE_INT8:
  case QV_TYPE_UINT8: return 1;
  case QV_TYPE_INT16:
  case QV_TYPE_UINT16: return 2;
  case QV_TYPE_INT32:
  case QV_TYPE_UINT32:
  case QV_TYPE_FLOAT32:
  case QV_TYPE_DATE32:
  case QV_TYPE_TIME32: return 4;
  case QV_TYPE_INT64:
  case QV_TYPE_UINT64:
  case QV_TYPE_FLOAT64:
  case QV_TYPE_DATE64:
  case QV_TYPE_TIMESTAMP:
  case QV_TYPE_TIME64:
  case QV_TYPE_DURATION: return 8;
  default: return 0;
  }
}

bool qv_type_id_is_integer(qv_type_id id) {
  return id >= QV_TYPE_INT8 && id <= QV_TYPE_UINT64;
}

bool qv_type_id_is_numeric(qv_type_id id) {
  return qv_type_id_is_integer(id) || id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64;
}

bool qv_type_id_is_binary_like(qv_type_id id) {
  return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_BINARY ||
         id == QV_TYPE_LARGE_BINARY;
}

static bool has_unit(qv_type_id id) {
  return id == QV_TYPE_TIMESTAMP || id == QV_TYPE_TIME32 || id == QV_TYPE_TIME64 ||
         id == QV_TYPE_DURATION;
}

bool qv_type_equals(const qv_type *a, const qv_type *b) {
  if (a->id != b->id || a->dictionary != b->dictionary) return false;
  if (has_unit(a->id) && a->unit != b->unit) return false;
  if (a->id == QV_TYPE_TIMESTAMP && strcmp(a->timezone, b->timezone) != 0) return false;
  if (a->dictionary && a->index_type != b->index_type) return false;
  return true;
}

/** EINVAL unless `t` is a type the SDK can hold (valid id, unit, index type). */
static int check_type(const qv_type *t, const char *name, qv_error *err) {
  if ((int)t->id < 0 || t->id >= QV_TYPE_COUNT_) {
    return qv_error_set(err, EINVAL, "field '%s': invalid type id %d", name, (int)t->id);
  }
  if (has_unit(t->id) && ((int)t->unit < 0 || t->unit > QV_TIME_UNIT_NANOSECOND)) {
    return qv_error_set(err, EINVAL, "field '%s': invalid time unit %d", name, (int)t->unit);
  }
  if (t->id == QV_TYPE_TIME32 && t->unit > QV_TIME_UNIT_MILLISECOND) {
    return qv_error_set(err, EINVAL, "field '%s': time32 needs unit s or ms", name);
  }
  if (t->id == QV_TYPE_TIME64 && t->unit < QV_TIME_UNIT_MICROSECOND) {
    return qv_error_set(err, EINVAL, "field '%s': time64 needs unit us or ns", name);
  }
  if (memchr(t->timezone, '\0', sizeof t->timezone) == NULL) {
    return qv_error_set(err, EINVAL, "field '%s': time zone is not NUL-terminated", name);
  }
  if (t->dictionary && (!qv_type_id_is_integer(t->index_type) || t->id == QV_TYPE_NULL)) {
    return qv_error_set(err, EINVAL,
                        "field '%s': a dictionary needs an integer index type and a non-null "
                        "value type",
                        name);
  }
  return QV_OK;
}

int qv_type_check_(const qv_type *t, const char *name, qv_error *err) {
  return check_type(t, name, err);
}

int qv_schema_init(qv_schema *schema, int64_t n_fields, qv_error *err) {
  memset(schema, 0, sizeof *schema);
  if (n_fields < 0 || (uint64_t)n_fields > SIZE_MAX / sizeof(qv_field)) {
    return qv_error_set(err, EINVAL, "invalid field count %lld", (long long)n_fields);
  }
  if (n_fields == 0) return QV_OK;
  qv_field *fields = calloc((size_t)n_fields, sizeof *fields);
  if (fields == NULL) return qv_error_set(err, ENOMEM, "out of memory for %lld fields",
                                          (long long)n_fields);
  for (int64_t i = 0; i < n_fields; i++) {
    fields[i].type = qv_type_make(QV_TYPE_NULL);
    fields[i].nullable = true;
  }
  schema->fields = fields;
  schema->n_fields = n_fields;
  for (int64_t i = 0; i < n_fields; i++) {
    fields[i].name = calloc(1, 1);
    if (fields[i].name == NULL) {
      qv_schema_release(schema);
      return qv_error_set(err, ENOMEM, "out of memory for field names");
    }
  }
  return QV_OK;
}

int qv_schema_set_field(qv_schema *schema, int64_t i, const char *name, qv_type type,
                        bool nullable, qv_error *err) {
  if (i < 0 || i >= schema->n_fields) {
    return qv_error_set(err, EINVAL, "field index %lld out of range (schema has %lld fields)",
                        (long long)i, (long long)schema->n_fields);
  }
  int rc = check_type(&type, name, err);
  if (rc != QV_OK) return rc;
  size_t n = strlen(name);
  char *copy = malloc(n + 1);
  if (copy == NULL) return qv_error_set(err, ENOMEM, "out of memory for field name");
  memcpy(copy, name, n + 1);
  free(schema->fields[i].name);
  schema->fields[i].name = copy;
  schema->fields[i].type = type;
  schema->fields[i].nullable = nullable;
  return QV_OK;
}

int qv_schema_copy(const qv_schema *src, qv_schema *dst, qv_error *err) {
  int rc = qv_schema_init(dst, src->n_fields, err);
  for (int64_t i = 0; rc == QV_OK && i < src->n_fields; i++) {
    const qv_field *f = &src->fields[i];
    rc = qv_schema_set_field(dst, i, f->name != NULL ? f->name : "", f->type, f->nullable, err);
  }
  if (rc != QV_OK) qv_schema_release(dst);
  return rc;
}

int64_t qv_schema_find(const qv_schema *schema, const char *name) {
  for (int64_t i = 0; i < schema->n_fields; i++) {
    if (schema->fields[i].name != NULL && strcmp(schema->fields[i].name, name) == 0) return i;
  }
  return -1;
}

void qv_schema_release(qv_schema *schema) {
  if (schema->fields != NULL) {
    for (int64_t i = 0; i < schema->n_fields; i++) free(schema->fields[i].name);
    free(schema->fields);
  }
  memset(schema, 0, sizeof *schema);
}
