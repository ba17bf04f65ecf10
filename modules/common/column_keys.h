/*
 * column_keys.h — typed, switch-free-per-row access to one column's values for ordering,
 * equality and hashing. Shared by the sort and aggregate modules (both include it as
 * "../common/column_keys.h"); header-only so each module stays one self-contained build.
 *
 * Value semantics (the same in both modules, and chosen to match DuckDB):
 * - Dictionary-encoded columns are read by value, through their dictionary.
 * - Integers, dates, times, timestamps and durations order by their stored value.
 * - Floats: -0.0 equals 0.0; every NaN equals every other NaN and is greater than +inf.
 * - Strings and binaries order bytewise (memcmp, then shorter first): UTF-8 code-unit order,
 *   which is DuckDB's default (binary) collation.
 */
#ifndef QUIVER_COLUMN_KEYS_H
#define QUIVER_COLUMN_KEYS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "quiver.h"

/**
 * A read-only view of one column. Borrows everything from the column it was made from.
 * For a dictionary column `base` is the dictionary and rows go through `indices`; otherwise
 * `base` is the column itself.
 */
typedef struct ck_view {
  const qv_column *col;
  const qv_column *base;
  qv_type_id id;          /* value type id */
  bool is_string;         /* UTF8/LARGE_UTF8/BINARY/LARGE_BINARY values */
  bool large_offsets;     /* LARGE_UTF8/LARGE_BINARY: int64 offsets */
  bool dictionary;        /* rows are indices into `base` */
  qv_type_id index_type;  /* dictionary only */
} ck_view;

/** Makes a view of `col` (borrowed; keep `col` alive while the view is used). */
static inline ck_view ck_view_make(const qv_column *col) {
  ck_view v;
  v.col = col;
  v.dictionary = col->type.dictionary && col->dictionary != NULL;
  v.base = v.dictionary ? col->dictionary : col;
  v.id = col->type.id;
  v.is_string = qv_type_id_is_binary_like(v.id);
  v.large_offsets = v.id == QV_TYPE_LARGE_UTF8 || v.id == QV_TYPE_LARGE_BINARY;
  v.index_type = col->type.index_type;
  return v;
}

static inline bool ck_bit(const uint8_t *bits, int64_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}

/** Dictionary index of row `i` (rows of a non-dictionary view map to themselves). */
static inline int64_t ck_base_row(const ck_view *v, int64_t i) {
  if (!v->dictionary) return i;
  const void *p = v->col->values;
  switch (v->index_type) {
    case QV_TYPE_INT8: return ((const int8_t *)p)[i];
    case QV_TYPE_INT16: return ((const int16_t *)p)[i];
    case QV_TYPE_INT32: return ((const int32_t *)p)[i];
    case QV_TYPE_UINT8: return ((const uint8_t *)p)[i];
    case QV_TYPE_UINT16: return ((const uint16_t *)p)[i];
    case QV_TYPE_UINT32: return ((const uint32_t *)p)[i];
    case QV_TYPE_UINT64: return (int64_t)((const uint64_t *)p)[i];
    default: return ((const int64_t *)p)[i];
  }
}

/** True if row `r` of the plain column `base` is null. */
static inline bool ck_base_null(const ck_view *v, int64_t r) {
  if (v->id == QV_TYPE_NULL) return true;
  return v->base->validity != NULL && !ck_bit(v->base->validity, r);
}

/** True if row `i` is null (the index or, for dictionaries, the value it points at). */
static inline bool ck_is_null(const ck_view *v, int64_t i) {
  if (v->id == QV_TYPE_NULL) return true;
  if (v->dictionary && v->col->validity != NULL && !ck_bit(v->col->validity, i)) return true;
  return ck_base_null(v, ck_base_row(v, i));
}

/** Maps a double to a uint64 whose unsigned order is the value order described above. */
static inline uint64_t ck_double_key(double d) {
  if (isnan(d)) return UINT64_MAX;
  if (d == 0.0) d = 0.0; /* folds -0.0 into +0.0 */
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (UINT64_C(1) << 63);
}

static inline uint64_t ck_signed_key(int64_t x) { return (uint64_t)x ^ (UINT64_C(1) << 63); }

/**
 * Order-preserving key of row `r` of `base` for every fixed-width type (not strings):
 * equal keys mean equal values, and unsigned key order is value order. 0 for null rows.
 */
static inline uint64_t ck_base_key(const ck_view *v, int64_t r) {
  const void *p = v->base->values;
  switch (v->id) {
    case QV_TYPE_BOOL: return ck_bit((const uint8_t *)p, r);
    case QV_TYPE_INT8: return ck_signed_key(((const int8_t *)p)[r]);
    case QV_TYPE_INT16: return ck_signed_key(((const int16_t *)p)[r]);
    case QV_TYPE_INT32:
    case QV_TYPE_DATE32:
    case QV_TYPE_TIME32: return ck_signed_key(((const int32_t *)p)[r]);
    case QV_TYPE_INT64:
    case QV_TYPE_DATE64:
    case QV_TYPE_TIMESTAMP:
    case QV_TYPE_TIME64:
    case QV_TYPE_DURATION: return ck_signed_key(((const int64_t *)p)[r]);
    case QV_TYPE_UINT8: return ((const uint8_t *)p)[r];
    case QV_TYPE_UINT16: return ((const uint16_t *)p)[r];
    case QV_TYPE_UINT32: return ((const uint32_t *)p)[r];
    case QV_TYPE_UINT64: return ((const uint64_t *)p)[r];
    case QV_TYPE_FLOAT32: return ck_double_key(((const float *)p)[r]);
    case QV_TYPE_FLOAT64: return ck_double_key(((const double *)p)[r]);
    default: return 0;
  }
}

/** Bytes of row `r` of the string/binary column `base` (borrowed). */
static inline qv_str ck_base_str(const ck_view *v, int64_t r) {
  qv_str s;
  int64_t start, end;
  if (v->large_offsets) {
    start = ((const int64_t *)v->base->offsets)[r];
    end = ((const int64_t *)v->base->offsets)[r + 1];
  } else {
    start = ((const int32_t *)v->base->offsets)[r];
    end = ((const int32_t *)v->base->offsets)[r + 1];
  }
  s.data = (const char *)v->base->data + start;
  s.size_bytes = end - start;
  return s;
}

/** Bytewise comparison: memcmp over the common prefix, then the shorter string first. */
static inline int ck_str_cmp(qv_str a, qv_str b) {
  int64_t n = a.size_bytes < b.size_bytes ? a.size_bytes : b.size_bytes;
  int c = n > 0 ? memcmp(a.data, b.data, (size_t)n) : 0;
  if (c != 0) return c < 0 ? -1 : 1;
  return (a.size_bytes > b.size_bytes) - (a.size_bytes < b.size_bytes);
}

static inline bool ck_str_eq(qv_str a, qv_str b) {
  return a.size_bytes == b.size_bytes &&
         (a.size_bytes == 0 || memcmp(a.data, b.data, (size_t)a.size_bytes) == 0);
}

/** A 64-bit mix of a 64-bit value (a multiply-xorshift finaliser). */
static inline uint64_t ck_mix64(uint64_t x) {
  x ^= x >> 32;
  x *= UINT64_C(0xd6e8feb86659fd93);
  x ^= x >> 32;
  x *= UINT64_C(0xd6e8feb86659fd93);
  x ^= x >> 32;
  return x;
}

/** Hash of a byte string: 8 bytes at a time, multiply-rotate, then a final mix. */
static inline uint64_t ck_hash_bytes(const char *p, int64_t n) {
  uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)n;
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
    h = (h << 29) | (h >> 35);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    memcpy(&w, p, (size_t)n);
    h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
  }
  return ck_mix64(h);
}

/** Hash of the non-null value at base row `r`; equal values hash equally. */
static inline uint64_t ck_base_hash(const ck_view *v, int64_t r) {
  if (v->is_string) {
    qv_str s = ck_base_str(v, r);
    return ck_hash_bytes(s.data, s.size_bytes);
  }
  return ck_mix64(ck_base_key(v, r) + UINT64_C(0x632be59bd9b4e019));
}

/** Hash used for null values (any constant distinct from typical value hashes). */
#define CK_NULL_HASH UINT64_C(0x5bd1e9955bd1e995)

/** Hash of row `i`, nulls included. */
static inline uint64_t ck_hash(const ck_view *v, int64_t i) {
  if (ck_is_null(v, i)) return CK_NULL_HASH;
  return ck_base_hash(v, ck_base_row(v, i));
}

/** Equality of rows `i` and `j` of two views of the same value type (null equals null,
 * as in SQL GROUP BY and DISTINCT). */
static inline bool ck_rows_equal(const ck_view *a, int64_t i, const ck_view *b, int64_t j) {
  bool na = ck_is_null(a, i), nb = ck_is_null(b, j);
  if (na || nb) return na && nb;
  int64_t ra = ck_base_row(a, i), rb = ck_base_row(b, j);
  if (a->is_string) return ck_str_eq(ck_base_str(a, ra), ck_base_str(b, rb));
  return ck_base_key(a, ra) == ck_base_key(b, rb);
}

#endif /* QUIVER_COLUMN_KEYS_H */
