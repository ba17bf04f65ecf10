/* Columns and record batches of the Quiver guest SDK: getters, ownership, validation, take
 * (see quiver.h). */
#include <math.h>

#include "internal.h"

const uint64_t qv_empty_buffer_[2] = {0, 0};

/* --- ownership ------------------------------------------------------------------------- */

static qv_owned_ *owned_of(qv_column *col, qv_error *err) {
  if (col->owned_ == NULL) {
    col->owned_ = calloc(1, sizeof(qv_owned_));
    if (col->owned_ == NULL) qv_error_set(err, ENOMEM, "out of memory");
  }
  return col->owned_;
}

int qv_column_own_(qv_column *col, void *p, qv_error *err) {
  if (p == NULL) return QV_OK;
  qv_owned_ *o = owned_of(col, err);
  if (o == NULL) {
    free(p);
    return ENOMEM;
  }
  for (int k = 0; k < 4; k++) {
    if (o->buffers[k] == NULL) {
      o->buffers[k] = p;
      return QV_OK;
    }
  }
  free(p);
  return qv_error_set(err, EINVAL, "internal error: a column owns more than four buffers");
}

int qv_column_own_dictionary_(qv_column *col, qv_column *dict, qv_error *err) {
  qv_owned_ *o = owned_of(col, err);
  if (o == NULL || o->dictionary != NULL) {
    qv_column_release(dict);
    free(dict);
    return o == NULL ? ENOMEM
                     : qv_error_set(err, EINVAL, "internal error: column owns a dictionary");
  }
  o->dictionary = dict;
  col->dictionary = dict;
  return QV_OK;
}

void qv_column_release(qv_column *col) {
  qv_owned_ *o = col->owned_;
  if (o != NULL) {
    for (int k = 0; k < 4; k++) free(o->buffers[k]);
    if (o->dictionary != NULL) {
      qv_column_release(o->dictionary);
      free(o->dictionary);
    }
    free(o);
  }
  memset(col, 0, sizeof *col);
}

void qv_column_borrow(const qv_column *src, qv_column *dst) {
  *dst = *src;
  dst->owned_ = NULL;
}

/* --- batches --------------------------------------------------------------------------- */

int qv_batch_init(qv_batch *batch, int64_t n_columns, int64_t n_rows, qv_error *err) {
  memset(batch, 0, sizeof *batch);
  if (n_columns < 0 || n_rows < 0 || (uint64_t)n_columns > SIZE_MAX / sizeof(qv_column)) {
    return qv_error_set(err, EINVAL, "invalid batch shape: %lld columns, %lld rows",
                        (long long)n_columns, (long long)n_rows);
  }
  if (n_columns > 0) {
    batch->columns = calloc((size_t)n_columns, sizeof(qv_column));
    if (batch->columns == NULL) return qv_error_set(err, ENOMEM, "out of memory for a batch");
  }
  batch->n_columns = n_columns;
  batch->n_rows = n_rows;
  return QV_OK;
}

void qv_batch_release(qv_batch *batch) {
  if (batch->columns != NULL) {
    for (int64_t i = 0; i < batch->n_columns; i++) qv_column_release(&batch->columns[i]);
    free(batch->columns);
  }
  memset(batch, 0, sizeof *batch);
}

/* --- bit helpers ----------------------------------------------------------------------- */

int64_t qv_count_unset_bits_(const uint8_t *bits, int64_t n_bits) {
  int64_t set = 0;
  int64_t full = n_bits / 8;
  for (int64_t k = 0; k < full; k++) set += __builtin_popcount(bits[k]);
  for (int64_t i = full * 8; i < n_bits; i++) set += qv_bit_(bits, i);
  return n_bits - set;
}

/* --- raw access (row in range, buffers valid) ------------------------------------------ */

static int64_t raw_int(qv_type_id id, const void *values, int64_t i) {
  switch (id) {
  case QV_TYPE_INT8: return ((const int8_t *)values)[i];
  case QV_TYPE_INT16: return ((const int16_t *)values)[i];
  case QV_TYPE_INT32:
  case QV_TYPE_DATE32:
  case QV_TYPE_TIME32: return ((const int32_t *)values)[i];
  case QV_TYPE_INT64:
  case QV_TYPE_DATE64:
  case QV_TYPE_TIMESTAMP:
  case QV_TYPE_TIME64:
  case QV_TYPE_DURATION: return ((const int64_t *)values)[i];
  case QV_TYPE_UINT8: return ((const uint8_t *)values)[i];
  case QV_TYPE_UINT16: return ((const uint16_t *)values)[i];
  case QV_TYPE_UINT32: return ((const uint32_t *)values)[i];
  case QV_TYPE_UINT64: return (int64_t)((const uint64_t *)values)[i];
  case QV_TYPE_BOOL: return qv_bit_(values, i);
  default: return 0;
  }
}

int64_t qv_dictionary_index_(const qv_column *col, int64_t i) {
  return raw_int(col->type.index_type, col->values, i);
}

void qv_dictionary_indices_view_(const qv_column *col, qv_column *out) {
  memset(out, 0, sizeof *out);
  out->type = qv_type_make(col->type.index_type);
  out->length = col->length;
  out->null_count = col->null_count;
  out->validity = col->validity;
  out->values = col->values;
}

const qv_column *qv_locate_(const qv_column *col, int64_t *i) {
  if (*i < 0 || *i >= col->length || col->type.id == QV_TYPE_NULL) return NULL;
  if (col->validity != NULL && !qv_bit_(col->validity, *i)) return NULL;
  if (!col->type.dictionary) return col;
  const qv_column *dict = col->dictionary;
  if (dict == NULL) return NULL;
  int64_t j = qv_dictionary_index_(col, *i);
  if (j < 0 || j >= dict->length) return NULL;
  if (dict->validity != NULL && !qv_bit_(dict->validity, j)) return NULL;
  *i = j;
  return dict;
}

bool qv_column_is_null(const qv_column *col, int64_t i) {
  return qv_locate_(col, &i) == NULL;
}

bool qv_column_bool_at(const qv_column *col, int64_t i) {
  const qv_column *c = qv_locate_(col, &i);
  return c != NULL && c->type.id == QV_TYPE_BOOL && qv_bit_(c->values, i);
}

int64_t qv_column_int64_at(const qv_column *col, int64_t i) {
  const qv_column *c = qv_locate_(col, &i);
  if (c == NULL) return 0;
  if (c->type.id == QV_TYPE_FLOAT32 || c->type.id == QV_TYPE_FLOAT64) {
    double d = c->type.id == QV_TYPE_FLOAT32 ? ((const float *)c->values)[i]
                                             : ((const double *)c->values)[i];
    if (isnan(d)) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
  }
  return raw_int(c->type.id, c->values, i);
}

uint64_t qv_column_uint64_at(const qv_column *col, int64_t i) {
  const qv_column *c = qv_locate_(col, &i);
  if (c == NULL || !qv_type_id_is_integer(c->type.id)) return 0;
  if (c->type.id == QV_TYPE_UINT64) return ((const uint64_t *)c->values)[i];
  return (uint64_t)raw_int(c->type.id, c->values, i);
}

double qv_column_double_at(const qv_column *col, int64_t i) {
  const qv_column *c = qv_locate_(col, &i);
  if (c == NULL) return 0.0;
  switch (c->type.id) {
  case QV_TYPE_FLOAT32: return ((const float *)c->values)[i];
  case QV_TYPE_FLOAT64: return ((const double *)c->values)[i];
  case QV_TYPE_UINT64: return (double)((const uint64_t *)c->values)[i];
  default: return (double)raw_int(c->type.id, c->values, i);
  }
}

qv_str qv_column_str_at(const qv_column *col, int64_t i) {
  qv_str s = {"", 0};
  const qv_column *c = qv_locate_(col, &i);
  if (c == NULL) return s;
  int64_t start, end;
  switch (c->type.id) {
  case QV_TYPE_UTF8:
  case QV_TYPE_BINARY:
    start = ((const int32_t *)c->offsets)[i];
    end = ((const int32_t *)c->offsets)[i + 1];
    break;
  case QV_TYPE_LARGE_UTF8:
  case QV_TYPE_LARGE_BINARY:
    start = ((const int64_t *)c->offsets)[i];
    end = ((const int64_t *)c->offsets)[i + 1];
    break;
  default: return s;
  }
  if (end > start) {
    s.data = (const char *)c->data + start;
    s.size_bytes = end - start;
  }
  return s;
}

/* --- validation ------------------------------------------------------------------------ */

static bool aligned(const void *p, int width) {
  return width <= 1 || ((uintptr_t)p % (uintptr_t)width) == 0;
}

static int validate_offsets(const qv_column *col, qv_error *err) {
  bool large = col->type.id == QV_TYPE_LARGE_UTF8 || col->type.id == QV_TYPE_LARGE_BINARY;
  if (col->length == 0) return QV_OK;
  if (col->offsets == NULL) return qv_error_set(err, EINVAL, "missing offsets buffer");
  if (!aligned(col->offsets, large ? 8 : 4)) {
    return qv_error_set(err, EINVAL, "misaligned offsets buffer");
  }
  int64_t prev = large ? ((const int64_t *)col->offsets)[0] : ((const int32_t *)col->offsets)[0];
  if (prev < 0) return qv_error_set(err, EINVAL, "negative first offset %lld", (long long)prev);
  for (int64_t i = 1; i <= col->length; i++) {
    int64_t o = large ? ((const int64_t *)col->offsets)[i] : ((const int32_t *)col->offsets)[i];
    if (o < prev) {
      return qv_error_set(err, EINVAL, "offsets decrease at row %lld (%lld < %lld)",
                          (long long)(i - 1), (long long)o, (long long)prev);
    }
    prev = o;
  }
  if (prev > col->data_size_bytes) {
    return qv_error_set(err, EINVAL,
                        "offsets reach byte %lld but the data buffer has %lld bytes",
                        (long long)prev, (long long)col->data_size_bytes);
  }
  if (prev > 0 && col->data == NULL) return qv_error_set(err, EINVAL, "missing data buffer");
  return QV_OK;
}

int qv_column_validate(const qv_column *col, qv_error *err) {
  int rc = qv_type_check_(&col->type, "", err);
  if (rc != QV_OK) return rc;
  const qv_type *t = &col->type;
  if (col->length < 0 || col->null_count < 0 || col->null_count > col->length) {
    return qv_error_set(err, EINVAL, "invalid length %lld / null count %lld",
                        (long long)col->length, (long long)col->null_count);
  }
  if (t->id == QV_TYPE_NULL) return QV_OK;
  if (col->validity != NULL) {
    int64_t unset = qv_count_unset_bits_(col->validity, col->length);
    if (unset != col->null_count) {
      return qv_error_set(err, EINVAL, "null count %lld but the validity bitmap has %lld nulls",
                          (long long)col->null_count, (long long)unset);
    }
  } else if (col->null_count != 0) {
    return qv_error_set(err, EINVAL, "null count %lld without a validity bitmap",
                        (long long)col->null_count);
  }
  if (t->dictionary) {
    const qv_column *dict = col->dictionary;
    int w = qv_type_id_width_bytes(t->index_type);
    if (col->length > 0 && (col->values == NULL || !aligned(col->values, w))) {
      return qv_error_set(err, EINVAL, "missing or misaligned dictionary indices");
    }
    if (dict == NULL || dict->type.dictionary || dict->type.id != t->id) {
      return qv_error_set(err, EINVAL, "dictionary column without a matching %s dictionary",
                          qv_type_id_name(t->id));
    }
    rc = qv_column_validate(dict, err);
    if (rc != QV_OK) return rc;
    return qv_dictionary_indices_validate_(col, err);
  }
  if (qv_type_id_is_binary_like(t->id)) return validate_offsets(col, err);
  if (col->length > 0 && col->values == NULL) {
    return qv_error_set(err, EINVAL, "missing values buffer");
  }
  if (!aligned(col->values, qv_type_id_width_bytes(t->id))) {
    return qv_error_set(err, EINVAL, "misaligned values buffer");
  }
  return QV_OK;
}

int qv_dictionary_indices_validate_(const qv_column *col, qv_error *err) {
  const qv_column *dict = col->dictionary;
  for (int64_t i = 0; i < col->length; i++) {
    if (col->validity != NULL && !qv_bit_(col->validity, i)) continue;
    int64_t j = qv_dictionary_index_(col, i);
    if (j < 0 || j >= dict->length) {
      return qv_error_set(err, EINVAL,
                          "dictionary index %lld at row %lld is outside the dictionary of %lld "
                          "values",
                          (long long)j, (long long)i, (long long)dict->length);
    }
  }
  return QV_OK;
}

/* --- take / decode --------------------------------------------------------------------- */

int qv_column_take(const qv_column *src, const int64_t *indices, int64_t n_indices,
                   qv_column *dst, qv_error *err) {
  memset(dst, 0, sizeof *dst);
  qv_column plain;
  const qv_column *from = src;
  qv_type type = src->type;
  if (src->type.dictionary) {
    qv_dictionary_indices_view_(src, &plain);
    from = &plain;
    type = plain.type;
  }
  qv_builder *b = NULL;
  int rc = qv_builder_new(type, n_indices, &b, err);
  for (int64_t k = 0; rc == QV_OK && k < n_indices; k++) {
    int64_t i = indices[k];
    if (i == -1) {
      rc = qv_builder_append_null(b, err);
    } else if (i < 0 || i >= src->length) {
      rc = qv_error_set(err, EINVAL, "take: index %lld out of range (column has %lld rows)",
                        (long long)i, (long long)src->length);
    } else {
      rc = qv_builder_append_from(b, from, i, err);
    }
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return rc;
  }
  rc = qv_builder_finish(b, dst, err);
  if (rc == QV_OK && src->type.dictionary) {
    dst->type = src->type;
    dst->dictionary = src->dictionary;
  }
  return rc;
}

int qv_column_decode_dictionary(const qv_column *src, qv_column *dst, qv_error *err) {
  memset(dst, 0, sizeof *dst);
  qv_type type = src->type;
  type.dictionary = false;
  qv_builder *b = NULL;
  int rc = qv_builder_new(type, src->length, &b, err);
  for (int64_t i = 0; rc == QV_OK && i < src->length; i++) {
    rc = qv_builder_append_from(b, src, i, err);
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return rc;
  }
  return qv_builder_finish(b, dst, err);
}
