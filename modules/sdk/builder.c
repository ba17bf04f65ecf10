/* Column builders of the Quiver guest SDK (see quiver.h). A dictionary builder appends each
 * value to a builder of the value type, then looks it up in a hash table of the values seen
 * so far; a repeated value is popped again and its existing index appended instead. */
#include <math.h>
#include <stdio.h>

#include "internal.h"

struct qv_builder {
  qv_type type;
  int64_t length;
  int64_t null_count;
  uint8_t *validity; /* NULL until the first null */
  int64_t validity_cap_bytes;
  uint8_t *values; /* fixed-width values, bits, or dictionary indices */
  int64_t values_cap_bytes;
  uint8_t *offsets; /* length + 1 entries of 4 or 8 bytes */
  int64_t offsets_cap_bytes;
  uint8_t *data;
  int64_t data_size_bytes;
  int64_t data_cap_bytes;
  /* Dictionary builders only. */
  qv_builder *dict;
  int64_t *slots; /* open addressing: dictionary index + 1, or 0 when empty */
  int64_t n_slots; /* a power of two */
};

static int grow(uint8_t **buf, int64_t *cap_bytes, int64_t need_bytes, qv_error *err) {
  if (need_bytes <= *cap_bytes) return QV_OK;
  int64_t cap = *cap_bytes < 64 ? 64 : *cap_bytes;
  while (cap < need_bytes) {
    if (cap > INT64_MAX / 2) return qv_error_set(err, EOVERFLOW, "column too large");
    cap *= 2;
  }
  if ((uint64_t)cap > SIZE_MAX) return qv_error_set(err, EOVERFLOW, "column too large");
  uint8_t *p = realloc(*buf, (size_t)cap);
  if (p == NULL) return qv_error_set(err, ENOMEM, "out of memory (%lld bytes)", (long long)cap);
  memset(p + *cap_bytes, 0, (size_t)(cap - *cap_bytes));
  *buf = p;
  *cap_bytes = cap;
  return QV_OK;
}

static bool is_large(qv_type_id id) {
  return id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
}

/** Width of one stored element: the index type for dictionaries. */
static int elem_width(const qv_builder *b) {
  return qv_type_id_width_bytes(b->type.dictionary ? b->type.index_type : b->type.id);
}

int qv_builder_new(qv_type type, int64_t capacity_rows, qv_builder **out, qv_error *err) {
  *out = NULL;
  int rc = qv_type_check_(&type, "", err);
  if (rc != QV_OK) return rc;
  qv_builder *b = calloc(1, sizeof *b);
  if (b == NULL) return qv_error_set(err, ENOMEM, "out of memory for a builder");
  b->type = type;
  if (capacity_rows < 0) capacity_rows = 0;
  if (capacity_rows > (1 << 20)) capacity_rows = 1 << 20; /* a hint; growth handles more */
  int w = elem_width(b);
  if (w > 0) rc = grow(&b->values, &b->values_cap_bytes, capacity_rows * w, err);
  if (rc == QV_OK && qv_type_id_is_binary_like(type.id) && !type.dictionary) {
    rc = grow(&b->offsets, &b->offsets_cap_bytes, (capacity_rows + 1) * 8, err);
  }
  if (rc == QV_OK && type.dictionary) {
    qv_type vt = type;
    vt.dictionary = false;
    rc = qv_builder_new(vt, 0, &b->dict, err);
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return rc;
  }
  *out = b;
  return QV_OK;
}

void qv_builder_free(qv_builder *b) {
  if (b == NULL) return;
  free(b->validity);
  free(b->values);
  free(b->offsets);
  free(b->data);
  free(b->slots);
  qv_builder_free(b->dict);
  free(b);
}

int64_t qv_builder_length(const qv_builder *b) {
  return b->length;
}

/** Makes room for row b->length in every buffer and records its validity. */
static int begin_row(qv_builder *b, bool valid, qv_error *err) {
  int64_t row = b->length;
  if (row >= INT32_MAX && !is_large(b->type.id) && qv_type_id_is_binary_like(b->type.id)) {
    return qv_error_set(err, EOVERFLOW, "column exceeds 2^31-1 rows");
  }
  int rc = QV_OK;
  int w = elem_width(b);
  if (w > 0) rc = grow(&b->values, &b->values_cap_bytes, (row + 1) * w, err);
  if (rc == QV_OK && b->type.id == QV_TYPE_BOOL && !b->type.dictionary) {
    rc = grow(&b->values, &b->values_cap_bytes, qv_bitmap_size_bytes_(row + 1), err);
  }
  if (rc == QV_OK && qv_type_id_is_binary_like(b->type.id) && !b->type.dictionary) {
    rc = grow(&b->offsets, &b->offsets_cap_bytes, (row + 2) * 8, err);
    if (rc == QV_OK) {
      if (is_large(b->type.id)) ((int64_t *)(void *)b->offsets)[row + 1] = b->data_size_bytes;
      else ((int32_t *)(void *)b->offsets)[row + 1] = (int32_t)b->data_size_bytes;
    }
  }
  if (rc != QV_OK) return rc;
  if (!valid && b->validity == NULL) {
    rc = grow(&b->validity, &b->validity_cap_bytes, qv_bitmap_size_bytes_(row + 1), err);
    if (rc != QV_OK) return rc;
    for (int64_t i = 0; i < row; i++) b->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
  }
  if (b->validity != NULL) {
    rc = grow(&b->validity, &b->validity_cap_bytes, qv_bitmap_size_bytes_(row + 1), err);
    if (rc != QV_OK) return rc;
    if (valid) b->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
    else b->validity[row >> 3] &= (uint8_t) ~(1u << (row & 7));
  }
  return QV_OK;
}

static void end_row(qv_builder *b, bool valid) {
  b->length++;
  if (!valid) b->null_count++;
}

int qv_builder_append_null(qv_builder *b, qv_error *err) {
  if (b->type.id != QV_TYPE_NULL) {
    int rc = begin_row(b, false, err);
    if (rc != QV_OK) return rc;
  }
  end_row(b, false);
  return QV_OK;
}

/* --- dictionary lookup ----------------------------------------------------------------- */

static qv_str dict_key(const qv_builder *d, int64_t row) {
  qv_str k;
  if (qv_type_id_is_binary_like(d->type.id)) {
    int64_t s = is_large(d->type.id) ? ((const int64_t *)(const void *)d->offsets)[row]
                                     : ((const int32_t *)(const void *)d->offsets)[row];
    int64_t e = is_large(d->type.id) ? ((const int64_t *)(const void *)d->offsets)[row + 1]
                                     : ((const int32_t *)(const void *)d->offsets)[row + 1];
    k.data = (const char *)d->data + s;
    k.size_bytes = e - s;
  } else if (d->type.id == QV_TYPE_BOOL) {
    static const char bits[2] = {0, 1};
    k.data = &bits[qv_bit_(d->values, row)];
    k.size_bytes = 1;
  } else {
    int w = qv_type_id_width_bytes(d->type.id);
    k.data = (const char *)d->values + row * w;
    k.size_bytes = w;
  }
  return k;
}

static uint64_t hash_bytes(qv_str k) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a, 64-bit */
  for (int64_t i = 0; i < k.size_bytes; i++) {
    h ^= (uint8_t)k.data[i];
    h *= 1099511628211ull;
  }
  return h;
}

static int64_t index_max(qv_type_id index_type) {
  switch (index_type) {
  case QV_TYPE_INT8: return INT8_MAX;
  case QV_TYPE_UINT8: return UINT8_MAX;
  case QV_TYPE_INT16: return INT16_MAX;
  case QV_TYPE_UINT16: return UINT16_MAX;
  case QV_TYPE_INT32: return INT32_MAX;
  case QV_TYPE_UINT32: return UINT32_MAX;
  default: return INT64_MAX;
  }
}

static void put_index(qv_builder *b, int64_t row, int64_t j) {
  switch (qv_type_id_width_bytes(b->type.index_type)) {
  case 1: ((uint8_t *)b->values)[row] = (uint8_t)j; break;
  case 2: ((uint16_t *)(void *)b->values)[row] = (uint16_t)j; break;
  case 4: ((uint32_t *)(void *)b->values)[row] = (uint32_t)j; break;
  default: ((uint64_t *)(void *)b->values)[row] = (uint64_t)j; break;
  }
}

/** Rebuilds the hash table, twice as large, over dictionary rows [0, n_rows). */
static int rehash(qv_builder *b, int64_t n_rows, qv_error *err) {
  int64_t n = b->n_slots == 0 ? 64 : b->n_slots * 2;
  int64_t *slots = calloc((size_t)n, sizeof *slots);
  if (slots == NULL) return qv_error_set(err, ENOMEM, "out of memory for a dictionary");
  for (int64_t j = 0; j < n_rows; j++) {
    uint64_t h = hash_bytes(dict_key(b->dict, j)) & (uint64_t)(n - 1);
    while (slots[h] != 0) h = (h + 1) & (uint64_t)(n - 1);
    slots[h] = j + 1;
  }
  free(b->slots);
  b->slots = slots;
  b->n_slots = n;
  return QV_OK;
}

/** Removes the last row of a builder that has no nulls. */
static void pop_row(qv_builder *d) {
  d->length--;
  if (qv_type_id_is_binary_like(d->type.id)) {
    d->data_size_bytes = is_large(d->type.id)
                             ? ((const int64_t *)(const void *)d->offsets)[d->length]
                             : ((const int32_t *)(const void *)d->offsets)[d->length];
  }
}

/** The value just appended to b->dict (its last row) becomes a dictionary index: an existing
 * equal value's index (popping the new row) or a new one. */
static int dict_commit(qv_builder *b, qv_error *err) {
  qv_builder *d = b->dict;
  int64_t fresh = d->length - 1;
  int rc = QV_OK;
  if ((fresh + 1) * 2 > b->n_slots) rc = rehash(b, fresh, err); /* load factor <= 1/2 */
  if (rc == QV_OK) rc = begin_row(b, true, err);
  if (rc != QV_OK) return rc;
  qv_str key = dict_key(d, fresh);
  uint64_t mask = (uint64_t)(b->n_slots - 1);
  uint64_t h = hash_bytes(key) & mask;
  int64_t found = -1;
  for (; b->slots[h] != 0; h = (h + 1) & mask) {
    int64_t j = b->slots[h] - 1;
    qv_str other = dict_key(d, j);
    if (other.size_bytes == key.size_bytes &&
        (key.size_bytes == 0 || memcmp(other.data, key.data, (size_t)key.size_bytes) == 0)) {
      found = j;
      break;
    }
  }
  if (found >= 0) {
    pop_row(d);
  } else {
    if (fresh > index_max(b->type.index_type)) {
      pop_row(d);
      return qv_error_set(err, ERANGE, "dictionary has more distinct values than %s indices allow",
                          qv_type_id_name(b->type.index_type));
    }
    b->slots[h] = fresh + 1;
    found = fresh;
  }
  put_index(b, b->length, found);
  end_row(b, true);
  return QV_OK;
}

/* --- typed appends --------------------------------------------------------------------- */

int qv_builder_append_bool(qv_builder *b, bool value, qv_error *err) {
  if (b->type.dictionary) {
    int rc = qv_builder_append_bool(b->dict, value, err);
    return rc != QV_OK ? rc : dict_commit(b, err);
  }
  if (b->type.id != QV_TYPE_BOOL) {
    return qv_error_set(err, EINVAL, "cannot append a boolean to a %s column",
                        qv_type_id_name(b->type.id));
  }
  int rc = begin_row(b, true, err);
  if (rc != QV_OK) return rc;
  int64_t row = b->length;
  if (value) b->values[row >> 3] |= (uint8_t)(1u << (row & 7));
  else b->values[row >> 3] &= (uint8_t) ~(1u << (row & 7));
  end_row(b, true);
  return QV_OK;
}

static int range_error(qv_builder *b, const char *value, qv_error *err) {
  return qv_error_set(err, ERANGE, "value %s does not fit a %s column", value,
                      qv_type_id_name(b->type.id));
}

int qv_builder_append_int64(qv_builder *b, int64_t v, qv_error *err) {
  if (b->type.dictionary) {
    int rc = qv_builder_append_int64(b->dict, v, err);
    return rc != QV_OK ? rc : dict_commit(b, err);
  }
  qv_type_id id = b->type.id;
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  switch (id) {
  case QV_TYPE_INT8: lo = INT8_MIN, hi = INT8_MAX; break;
  case QV_TYPE_INT16: lo = INT16_MIN, hi = INT16_MAX; break;
  case QV_TYPE_INT32:
  case QV_TYPE_DATE32:
  case QV_TYPE_TIME32: lo = INT32_MIN, hi = INT32_MAX; break;
  case QV_TYPE_UINT8: lo = 0, hi = UINT8_MAX; break;
  case QV_TYPE_UINT16: lo = 0, hi = UINT16_MAX; break;
  case QV_TYPE_UINT32: lo = 0, hi = UINT32_MAX; break;
  case QV_TYPE_UINT64: lo = 0; break;
  case QV_TYPE_INT64:
  case QV_TYPE_DATE64:
  case QV_TYPE_TIMESTAMP:
  case QV_TYPE_TIME64:
  case QV_TYPE_DURATION: break;
  case QV_TYPE_FLOAT32:
  case QV_TYPE_FLOAT64: return qv_builder_append_double(b, (double)v, err);
  default:
    return qv_error_set(err, EINVAL, "cannot append an integer to a %s column",
                        qv_type_id_name(id));
  }
  if (v < lo || v > hi) {
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)v);
    return range_error(b, text, err);
  }
  int rc = begin_row(b, true, err);
  if (rc != QV_OK) return rc;
  int64_t row = b->length;
  switch (qv_type_id_width_bytes(id)) {
  case 1: ((uint8_t *)b->values)[row] = (uint8_t)v; break;
  case 2: ((uint16_t *)(void *)b->values)[row] = (uint16_t)v; break;
  case 4: ((uint32_t *)(void *)b->values)[row] = (uint32_t)v; break;
  default: ((uint64_t *)(void *)b->values)[row] = (uint64_t)v; break;
  }
  end_row(b, true);
  return QV_OK;
}

int qv_builder_append_uint64(qv_builder *b, uint64_t v, qv_error *err) {
  if (v <= INT64_MAX) return qv_builder_append_int64(b, (int64_t)v, err);
  if (b->type.dictionary) {
    int rc = qv_builder_append_uint64(b->dict, v, err);
    return rc != QV_OK ? rc : dict_commit(b, err);
  }
  if (b->type.id == QV_TYPE_FLOAT32 || b->type.id == QV_TYPE_FLOAT64) {
    return qv_builder_append_double(b, (double)v, err);
  }
  if (b->type.id != QV_TYPE_UINT64) {
    char text[32];
    snprintf(text, sizeof text, "%llu", (unsigned long long)v);
    return qv_type_id_is_integer(b->type.id) ? range_error(b, text, err)
                                             : qv_error_set(err, EINVAL,
                                                            "cannot append an integer to a %s "
                                                            "column",
                                                            qv_type_id_name(b->type.id));
  }
  int rc = begin_row(b, true, err);
  if (rc != QV_OK) return rc;
  ((uint64_t *)(void *)b->values)[b->length] = v;
  end_row(b, true);
  return QV_OK;
}

int qv_builder_append_double(qv_builder *b, double v, qv_error *err) {
  if (b->type.dictionary) {
    int rc = qv_builder_append_double(b->dict, v, err);
    return rc != QV_OK ? rc : dict_commit(b, err);
  }
  if (b->type.id != QV_TYPE_FLOAT32 && b->type.id != QV_TYPE_FLOAT64) {
    return qv_error_set(err, EINVAL, "cannot append a floating-point value to a %s column",
                        qv_type_id_name(b->type.id));
  }
  int rc = begin_row(b, true, err);
  if (rc != QV_OK) return rc;
  if (b->type.id == QV_TYPE_FLOAT32) ((float *)(void *)b->values)[b->length] = (float)v;
  else ((double *)(void *)b->values)[b->length] = v;
  end_row(b, true);
  return QV_OK;
}

int qv_builder_append_bytes(qv_builder *b, const void *data, int64_t size_bytes,
                            qv_error *err) {
  if (b->type.dictionary) {
    int rc = qv_builder_append_bytes(b->dict, data, size_bytes, err);
    return rc != QV_OK ? rc : dict_commit(b, err);
  }
  if (!qv_type_id_is_binary_like(b->type.id)) {
    return qv_error_set(err, EINVAL, "cannot append a string to a %s column",
                        qv_type_id_name(b->type.id));
  }
  int64_t end;
  if (size_bytes < 0 || !qv_add_size_(b->data_size_bytes, size_bytes, &end)) {
    return qv_error_set(err, EINVAL, "invalid string size %lld", (long long)size_bytes);
  }
  if (!is_large(b->type.id) && end > INT32_MAX) {
    return qv_error_set(err, EOVERFLOW, "%s column exceeds 2 GiB of data (use large_%s)",
                        qv_type_id_name(b->type.id), qv_type_id_name(b->type.id));
  }
  int rc = grow(&b->data, &b->data_cap_bytes, end, err);
  if (rc != QV_OK) return rc;
  if (size_bytes > 0) memcpy(b->data + b->data_size_bytes, data, (size_t)size_bytes);
  b->data_size_bytes = end;
  rc = begin_row(b, true, err); /* writes offsets[row + 1] = the new data size */
  if (rc != QV_OK) {
    b->data_size_bytes -= size_bytes;
    return rc;
  }
  end_row(b, true);
  return QV_OK;
}

int qv_builder_append_str(qv_builder *b, const char *value, qv_error *err) {
  return qv_builder_append_bytes(b, value, (int64_t)strlen(value), err);
}

int qv_builder_append_from(qv_builder *b, const qv_column *src, int64_t i, qv_error *err) {
  bool units = b->type.id == QV_TYPE_TIMESTAMP || b->type.id == QV_TYPE_TIME32 ||
               b->type.id == QV_TYPE_TIME64 || b->type.id == QV_TYPE_DURATION;
  if (src->type.id != b->type.id || (units && src->type.unit != b->type.unit)) {
    return qv_error_set(err, EINVAL, "cannot append a %s value to a %s column",
                        qv_type_id_name(src->type.id), qv_type_id_name(b->type.id));
  }
  if (i < 0 || i >= src->length) {
    return qv_error_set(err, EINVAL, "row %lld out of range (column has %lld rows)",
                        (long long)i, (long long)src->length);
  }
  const qv_column *c = qv_locate_(src, &i);
  if (c == NULL) return qv_builder_append_null(b, err);
  qv_type_id id = c->type.id;
  int w = qv_type_id_width_bytes(id);
  if (!b->type.dictionary && w > 0) {
    int rc = begin_row(b, true, err);
    if (rc != QV_OK) return rc;
    memcpy(b->values + b->length * w, (const uint8_t *)c->values + i * w, (size_t)w);
    end_row(b, true);
    return QV_OK;
  }
  if (id == QV_TYPE_BOOL) return qv_builder_append_bool(b, qv_bit_(c->values, i), err);
  if (id == QV_TYPE_UINT64) return qv_builder_append_uint64(b, qv_column_uint64_at(c, i), err);
  if (id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64) {
    return qv_builder_append_double(b, qv_column_double_at(c, i), err);
  }
  if (qv_type_id_is_binary_like(id)) {
    qv_str s = qv_column_str_at(c, i);
    return qv_builder_append_bytes(b, s.data, s.size_bytes, err);
  }
  return qv_builder_append_int64(b, qv_column_int64_at(c, i), err);
}

int qv_builder_finish(qv_builder *b, qv_column *out, qv_error *err) {
  memset(out, 0, sizeof *out);
  out->type = b->type;
  out->length = b->length;
  out->null_count = b->null_count;
  if (b->type.id == QV_TYPE_NULL) {
    qv_builder_free(b);
    return QV_OK;
  }
  int rc = QV_OK;
  if (qv_type_id_is_binary_like(b->type.id) && !b->type.dictionary && b->offsets == NULL) {
    rc = grow(&b->offsets, &b->offsets_cap_bytes, 8, err); /* offsets[0] = 0 */
  }
  if (rc == QV_OK && b->null_count > 0) {
    out->validity = b->validity;
    rc = qv_column_own_(out, b->validity, err);
    b->validity = NULL;
  }
  const void **slots[3] = {&out->values, &out->offsets, (const void **)&out->data};
  uint8_t **bufs[3] = {&b->values, &b->offsets, &b->data};
  for (int k = 0; k < 3; k++) {
    if (*bufs[k] == NULL) continue;
    *slots[k] = *bufs[k];
    if (rc == QV_OK) rc = qv_column_own_(out, *bufs[k], err);
    else free(*bufs[k]);
    *bufs[k] = NULL;
  }
  if (out->values == NULL && b->length == 0 && !qv_type_id_is_binary_like(b->type.id)) {
    out->values = qv_empty_buffer_;
  }
  out->data_size_bytes = b->data_size_bytes;
  if (rc == QV_OK && b->type.dictionary) {
    qv_column *dict = malloc(sizeof *dict);
    if (dict == NULL) {
      rc = qv_error_set(err, ENOMEM, "out of memory for a dictionary");
    } else {
      rc = qv_builder_finish(b->dict, dict, err);
      b->dict = NULL;
      if (rc == QV_OK) rc = qv_column_own_dictionary_(out, dict, err);
      else free(dict);
    }
  }
  qv_builder_free(b);
  if (rc != QV_OK) qv_column_release(out);
  return rc;
}
