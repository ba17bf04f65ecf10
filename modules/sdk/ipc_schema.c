/* Decoding Arrow IPC Schema messages (Schema.fbs: Schema, Field, DictionaryEncoding and the
 * Type union) into qv_schema. */
#include <stdio.h>

#include "ipc_schema.h"

/** Name of an Arrow type the SDK refuses, as Arrow calls it. */
static const char *unsupported_name(int64_t tag, const fb_table *t) {
  int64_t v = 0;
  switch (tag) {
  case ARROW_DECIMAL:
    if (!fb_scalar(t, 2, 4, true, 128, &v)) return "Decimal";
    return v == 32 ? "Decimal32" : v == 64 ? "Decimal64" : v == 256 ? "Decimal256" : "Decimal128";
  case ARROW_INTERVAL:
    fb_scalar(t, 0, 2, true, 0, &v);
    return v == 0 ? "Interval(YEAR_MONTH)"
           : v == 1 ? "Interval(DAY_TIME)"
                    : "Interval(MONTH_DAY_NANO)";
  case ARROW_LIST: return "List";
  case ARROW_STRUCT: return "Struct";
  case ARROW_UNION:
    fb_scalar(t, 0, 2, true, 0, &v);
    return v == 0 ? "Union(Sparse)" : "Union(Dense)";
  case ARROW_FIXED_SIZE_BINARY: return "FixedSizeBinary";
  case ARROW_FIXED_SIZE_LIST: return "FixedSizeList";
  case ARROW_MAP: return "Map";
  case ARROW_LARGE_LIST: return "LargeList";
  case ARROW_RUN_END_ENCODED: return "RunEndEncoded";
  case ARROW_BINARY_VIEW: return "BinaryView";
  case ARROW_UTF8_VIEW: return "Utf8View";
  case ARROW_LIST_VIEW: return "ListView";
  case ARROW_LARGE_LIST_VIEW: return "LargeListView";
  default: return NULL;
  }
}

/** Decodes an `Int` table into a qv_type_id. */
static int int_type(const fb_table *t, qv_type_id *out, const char *field, qv_error *err) {
  int64_t bits, is_signed;
  if (!fb_scalar(t, 0, 4, true, 0, &bits) || !fb_scalar(t, 1, 1, false, 0, &is_signed)) {
    return qv_error_set(err, EINVAL, "field '%s': malformed Int type", field);
  }
  switch (bits) {
  case 8: *out = is_signed ? QV_TYPE_INT8 : QV_TYPE_UINT8; return QV_OK;
  case 16: *out = is_signed ? QV_TYPE_INT16 : QV_TYPE_UINT16; return QV_OK;
  case 32: *out = is_signed ? QV_TYPE_INT32 : QV_TYPE_UINT32; return QV_OK;
  case 64: *out = is_signed ? QV_TYPE_INT64 : QV_TYPE_UINT64; return QV_OK;
  default:
    return qv_error_set(err, EINVAL, "field '%s': invalid Int bit width %lld", field,
                        (long long)bits);
  }
}

static int time_unit(int64_t v, qv_time_unit *out, const char *field, qv_error *err) {
  if (v < 0 || v > 3) {
    return qv_error_set(err, EINVAL, "field '%s': invalid time unit %lld", field, (long long)v);
  }
  *out = (qv_time_unit)v;
  return QV_OK;
}

/** Decodes the Type union of a field into `out` (value type). */
static int field_type(int64_t tag, const fb_table *t, qv_type *out, const char *field,
                      qv_error *err) {
  int64_t v = 0, w = 0;
  *out = qv_type_make(QV_TYPE_NULL);
  const char *refused = unsupported_name(tag, t);
  if (refused != NULL) {
    return qv_error_set(err, ENOTSUP, "unsupported Arrow type %s in field '%s'", refused, field);
  }
  switch (tag) {
  case ARROW_NULL: return QV_OK;
  case ARROW_INT: return int_type(t, &out->id, field, err);
  case ARROW_FLOATING_POINT:
    if (!fb_scalar(t, 0, 2, true, 0, &v)) break;
    if (v == 0) {
      return qv_error_set(err, ENOTSUP, "unsupported Arrow type Float16 in field '%s'", field);
    }
    if (v != 1 && v != 2) break;
    out->id = v == 1 ? QV_TYPE_FLOAT32 : QV_TYPE_FLOAT64;
    return QV_OK;
  case ARROW_BINARY: out->id = QV_TYPE_BINARY; return QV_OK;
  case ARROW_UTF8: out->id = QV_TYPE_UTF8; return QV_OK;
  case ARROW_LARGE_BINARY: out->id = QV_TYPE_LARGE_BINARY; return QV_OK;
  case ARROW_LARGE_UTF8: out->id = QV_TYPE_LARGE_UTF8; return QV_OK;
  case ARROW_BOOL: out->id = QV_TYPE_BOOL; return QV_OK;
  case ARROW_DATE:
    if (!fb_scalar(t, 0, 2, true, 1, &v) || (v != 0 && v != 1)) break;
    out->id = v == 0 ? QV_TYPE_DATE32 : QV_TYPE_DATE64;
    return QV_OK;
  case ARROW_TIME:
    if (!fb_scalar(t, 0, 2, true, 1, &v) || !fb_scalar(t, 1, 4, true, 32, &w)) break;
    if (time_unit(v, &out->unit, field, err) != QV_OK) return EINVAL;
    if (w == 32 && v <= 1) out->id = QV_TYPE_TIME32;
    else if (w == 64 && v >= 2) out->id = QV_TYPE_TIME64;
    else break;
    return QV_OK;
  case ARROW_TIMESTAMP: {
    if (!fb_scalar(t, 0, 2, true, 0, &v)) break;
    if (time_unit(v, &out->unit, field, err) != QV_OK) return EINVAL;
    out->id = QV_TYPE_TIMESTAMP;
    const char *tz;
    int64_t len;
    int rc = fb_string(t, 1, &tz, &len);
    if (rc < 0) break;
    if (rc > 0) {
      if (len >= QV_TIMEZONE_SIZE_BYTES || memchr(tz, '\0', (size_t)len) != NULL) {
        return qv_error_set(err, ENOTSUP,
                            "unsupported time zone name in field '%s' (over %d bytes or with "
                            "a NUL byte)",
                            field, QV_TIMEZONE_SIZE_BYTES - 1);
      }
      memcpy(out->timezone, tz, (size_t)len);
      out->timezone[len] = '\0';
    }
    return QV_OK;
  }
  case ARROW_DURATION:
    if (!fb_scalar(t, 0, 2, true, 1, &v)) break;
    if (time_unit(v, &out->unit, field, err) != QV_OK) return EINVAL;
    out->id = QV_TYPE_DURATION;
    return QV_OK;
  default:
    return qv_error_set(err, EINVAL, "field '%s': unknown Arrow type tag %lld", field,
                        (long long)tag);
  }
  return qv_error_set(err, EINVAL, "field '%s': malformed type metadata", field);
}

/** Decodes field `i` into schema->fields[i]. */
static int parse_field(const fb_table *f, qv_schema *schema, int64_t i, ipc_dict_ref *ref,
                       qv_error *err) {
  const char *name = "";
  int64_t name_len = 0;
  char label[48];
  snprintf(label, sizeof label, "#%lld", (long long)i);
  int rc = fb_string(f, 0, &name, &name_len);
  if (rc < 0) return qv_error_set(err, EINVAL, "field %s: malformed name", label);
  if (memchr(name, '\0', (size_t)name_len) != NULL) {
    return qv_error_set(err, ENOTSUP, "field %s: names with a NUL byte are not supported", label);
  }
  char *copy = malloc((size_t)name_len + 1);
  if (copy == NULL) return qv_error_set(err, ENOMEM, "out of memory for a field name");
  memcpy(copy, name, (size_t)name_len);
  copy[name_len] = '\0';
  free(schema->fields[i].name);
  schema->fields[i].name = copy;
  int64_t nullable, tag;
  fb_table type_table, dict;
  fb_vec children;
  if (!fb_scalar(f, 1, 1, false, 0, &nullable) || !fb_scalar(f, 2, 1, false, 0, &tag) ||
      fb_vector(f, 5, 4, &children) < 0) {
    return qv_error_set(err, EINVAL, "field '%s': malformed field metadata", copy);
  }
  rc = fb_subtable(f, 3, &type_table);
  if (rc != 1) return qv_error_set(err, EINVAL, "field '%s': missing or malformed type", copy);
  qv_type type;
  rc = field_type(tag, &type_table, &type, copy, err);
  if (rc != QV_OK) return rc;
  if (children.len != 0) {
    return qv_error_set(err, EINVAL, "field '%s': a %s field with %lld children", copy,
                        qv_type_id_name(type.id), (long long)children.len);
  }
  rc = fb_subtable(f, 4, &dict);
  if (rc < 0) return qv_error_set(err, EINVAL, "field '%s': malformed dictionary encoding", copy);
  if (rc > 0) {
    fb_table index;
    int64_t ordered, kind;
    if (!fb_scalar(&dict, 0, 8, true, 0, &ref->id) ||
        !fb_scalar(&dict, 2, 1, false, 0, &ordered) ||
        !fb_scalar(&dict, 3, 2, true, 0, &kind)) {
      return qv_error_set(err, EINVAL, "field '%s': malformed dictionary encoding", copy);
    }
    if (kind != 0) {
      return qv_error_set(err, ENOTSUP, "unsupported dictionary kind %lld in field '%s'",
                          (long long)kind, copy);
    }
    if (type.id == QV_TYPE_NULL) {
      return qv_error_set(err, ENOTSUP, "unsupported dictionary of null values in field '%s'",
                          copy);
    }
    type.dictionary = true;
    type.dictionary_ordered = ordered != 0;
    type.index_type = QV_TYPE_INT32;
    rc = fb_subtable(&dict, 1, &index);
    if (rc < 0) return qv_error_set(err, EINVAL, "field '%s': malformed index type", copy);
    if (rc > 0) {
      rc = int_type(&index, &type.index_type, copy, err);
      if (rc != QV_OK) return rc;
    }
  }
  schema->fields[i].type = type;
  schema->fields[i].nullable = nullable != 0;
  return QV_OK;
}

int qv_ipc_parse_schema_(const fb_table *s, qv_schema *out, ipc_dict_ref **refs,
                         qv_error *err) {
  *refs = NULL;
  memset(out, 0, sizeof *out);
  int64_t endianness;
  fb_vec fields;
  if (!fb_scalar(s, 0, 2, true, 0, &endianness) || fb_vector(s, 1, 4, &fields) < 0) {
    return qv_error_set(err, EINVAL, "malformed Schema metadata");
  }
  if (endianness != 0) {
    return qv_error_set(err, ENOTSUP, "unsupported feature: big-endian IPC stream");
  }
  int rc = qv_schema_init(out, fields.len, err);
  if (rc != QV_OK) return rc;
  *refs = calloc((size_t)fields.len + 1, sizeof(ipc_dict_ref));
  if (*refs == NULL) rc = qv_error_set(err, ENOMEM, "out of memory");
  for (int64_t i = 0; rc == QV_OK && i < fields.len; i++) {
    fb_table f;
    if (!fb_vec_table(&fields, i, &f)) {
      rc = qv_error_set(err, EINVAL, "field #%lld: malformed field metadata", (long long)i);
    } else {
      rc = parse_field(&f, out, i, &(*refs)[i], err);
    }
  }
  if (rc != QV_OK) {
    qv_schema_release(out);
    free(*refs);
    *refs = NULL;
  }
  return rc;
}
