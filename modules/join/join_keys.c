/* The join's key comparison (join_keys.h). */
#include "join_keys.h"

#include <stdlib.h>

/** True for utf8 and large_utf8. */
static bool is_text(qv_type_id id) {
  return id == QV_TYPE_UTF8 || id == QV_TYPE_LARGE_UTF8;
}

static bool is_float(qv_type_id id) {
  return id == QV_TYPE_FLOAT32 || id == QV_TYPE_FLOAT64;
}

bool jk_same_value_type(const qv_type *a, const qv_type *b) {
  qv_type x = *a, y = *b;
  x.dictionary = y.dictionary = false;
  x.index_type = y.index_type = QV_TYPE_NULL;
  x.dictionary_ordered = y.dictionary_ordered = false;
  return qv_type_equals(&x, &y);
}

int jk_mode_of(const qv_field *left, const qv_field *right, jk_mode *out, qv_error *err) {
  qv_type_id a = left->type.id, b = right->type.id;
  if (qv_type_id_is_binary_like(a) && qv_type_id_is_binary_like(b) &&
      is_text(a) == is_text(b)) {
    *out = JK_STRING;
  } else if (qv_type_id_is_integer(a) && qv_type_id_is_integer(b)) {
    *out = JK_INT;
  } else if (qv_type_id_is_numeric(a) && qv_type_id_is_numeric(b) &&
             (is_float(a) || is_float(b))) {
    *out = JK_DOUBLE;
  } else if (a != QV_TYPE_NULL && !qv_type_id_is_numeric(a) && !qv_type_id_is_binary_like(a) &&
             jk_same_value_type(&left->type, &right->type)) {
    *out = JK_EXACT;
  } else {
    return qv_error_set(err, EINVAL,
                        "key columns '%s' (left, %s) and '%s' (right, %s) cannot be compared",
                        left->name, qv_type_id_name(a), right->name, qv_type_id_name(b));
  }
  return QV_OK;
}

void jk_side_make(jk_side *out, const jk_pair *pairs, int n_pairs, int side,
                  const qv_batch *batch) {
  out->pairs = pairs;
  out->n_pairs = n_pairs;
  out->views = qv_calloc_or_fail("join", (size_t)n_pairs, sizeof *out->views);
  for (int k = 0; k < n_pairs; k++) {
    out->views[k] = ck_view_make(&batch->columns[pairs[k].column[side]]);
  }
}

void jk_side_free(jk_side *s) {
  free(s->views);
  s->views = NULL;
}

/** Base row `r` of an integer view, as int64. */
static int64_t int_at(const ck_view *v, int64_t r) {
  const void *p = v->base->values;
  switch (v->id) {
    case QV_TYPE_INT8: return ((const int8_t *)p)[r];
    case QV_TYPE_INT16: return ((const int16_t *)p)[r];
    case QV_TYPE_INT32: return ((const int32_t *)p)[r];
    case QV_TYPE_UINT8: return ((const uint8_t *)p)[r];
    case QV_TYPE_UINT16: return ((const uint16_t *)p)[r];
    case QV_TYPE_UINT32: return ((const uint32_t *)p)[r];
    default: return ((const int64_t *)p)[r]; /* INT64, UINT64 (wraps) */
  }
}

/** Base row `r` of a numeric view, as a double. */
static double double_at(const ck_view *v, int64_t r) {
  if (v->id == QV_TYPE_FLOAT64) return ((const double *)v->base->values)[r];
  if (v->id == QV_TYPE_FLOAT32) return ((const float *)v->base->values)[r];
  if (v->id == QV_TYPE_UINT64) return (double)((const uint64_t *)v->base->values)[r];
  return (double)int_at(v, r);
}

/** The 64-bit key of non-string base row `r` in `mode`: equal values, equal keys. */
static uint64_t key_at(const ck_view *v, jk_mode mode, int64_t r) {
  switch (mode) {
    case JK_INT: return (uint64_t)int_at(v, r);
    case JK_DOUBLE: return ck_double_key(double_at(v, r));
    default: return ck_base_key(v, r);
  }
}

bool jk_hash(const jk_side *s, int64_t i, uint64_t *out_hash) {
  uint64_t h = 0;
  for (int k = 0; k < s->n_pairs; k++) {
    const ck_view *v = &s->views[k];
    if (ck_is_null(v, i)) return false;
    int64_t r = ck_base_row(v, i);
    uint64_t one;
    if (s->pairs[k].mode == JK_STRING) {
      qv_str str = ck_base_str(v, r);
      one = ck_hash_bytes(str.data, str.size_bytes);
    } else {
      one = ck_mix64(key_at(v, s->pairs[k].mode, r) + UINT64_C(0x632be59bd9b4e019));
    }
    h = ck_mix64(h ^ one) + (uint64_t)k;
  }
  *out_hash = h;
  return true;
}

bool jk_equal(const jk_side *a, int64_t i, const jk_side *b, int64_t j) {
  for (int k = 0; k < a->n_pairs; k++) {
    const ck_view *va = &a->views[k], *vb = &b->views[k];
    int64_t ra = ck_base_row(va, i), rb = ck_base_row(vb, j);
    jk_mode mode = a->pairs[k].mode;
    if (mode == JK_STRING) {
      if (!ck_str_eq(ck_base_str(va, ra), ck_base_str(vb, rb))) return false;
    } else if (key_at(va, mode, ra) != key_at(vb, mode, rb)) {
      return false;
    }
  }
  return true;
}
