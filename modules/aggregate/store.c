/*
 * store.c — per-group value copies and dictionary tracking (see store.h).
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

void *agg_grow(void *p, int64_t old_n, int64_t new_n, size_t size_bytes) {
  void *q = realloc(p, new_n > 0 ? (size_t)new_n * size_bytes : 1);
  if (q == NULL)
    qv_fail("aggregate: out of memory (%lld x %zu bytes)", (long long)new_n, size_bytes);
  if (new_n > old_n)
    memset((char *)q + (size_t)old_n * size_bytes, 0, (size_t)(new_n - old_n) * size_bytes);
  return q;
}

/* --- dictionaries ---------------------------------------------------------------------- */

/** A plain column of `type`'s values with no rows (owned; qv_column_release). */
static void empty_column(const qv_type *type, qv_column *out) {
  qv_error err;
  qv_builder *b;
  qv_type plain = *type;
  plain.dictionary = false;
  if (qv_builder_new(plain, 0, &b, &err) != QV_OK || qv_builder_finish(b, out, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
}

void agg_dict_init(agg_dict *d, const qv_type *type) {
  memset(d, 0, sizeof *d);
  d->type = *type;
  d->same = true;
  /* Without any batch the output is still dictionary-typed: give it an empty dictionary. */
  empty_column(type, &d->held);
}

/** True if plain columns `a` and `b` (same type) hold exactly the same values, bit for bit
 * (a dictionary may hold -0.0 and 0.0 as distinct entries). */
static bool same_values(const qv_column *a, const qv_column *b) {
  if (a->length != b->length || a->null_count != b->null_count) return false;
  if (a->type.id == QV_TYPE_NULL) return true;
  ck_view va = ck_view_make(a), vb = ck_view_make(b);
  int width = qv_type_id_width_bytes(a->type.id);
  for (int64_t i = 0; i < a->length; i++) {
    bool na = ck_is_null(&va, i), nb = ck_is_null(&vb, i);
    if (na || nb) {
      if (na != nb) return false;
      continue;
    }
    if (va.is_string) {
      if (!ck_str_eq(ck_base_str(&va, i), ck_base_str(&vb, i))) return false;
    } else if (a->type.id == QV_TYPE_BOOL) {
      if (ck_bit(a->values, i) != ck_bit(b->values, i)) return false;
    } else if (memcmp((const char *)a->values + i * width, (const char *)b->values + i * width,
                      (size_t)width) != 0) {
      return false;
    }
  }
  return true;
}

bool agg_dict_update(agg_dict *d, const qv_column *col) {
  const qv_column *dict = col->dictionary;
  if (dict == NULL) return d->same; /* no dictionary batch yet: indices are all null */
  if (!d->seen) {
    qv_error err;
    qv_column_release(&d->held);
    if (qv_column_decode_dictionary(dict, &d->held, &err) != QV_OK) /* an owned copy */
      qv_fail("aggregate: %s", err.message);
    d->seen = true;
    return true;
  }
  if (d->same && !same_values(dict, &d->held)) d->same = false;
  return d->same;
}

void agg_dict_free(agg_dict *d) { qv_column_release(&d->held); }

/* --- stores ---------------------------------------------------------------------------- */

/** Points the fixed-width view at the current buffers (they move when they grow). */
static void refresh_view(agg_store *s) {
  s->view_column.type = s->type;
  s->view_column.length = s->capacity;
  s->view_column.validity = s->validity;
  s->view_column.values = s->values;
  s->view = ck_view_make(&s->view_column);
}

void store_init(agg_store *s, const qv_type *type) {
  memset(s, 0, sizeof *s);
  s->type = *type;
  s->type.dictionary = false;
  s->dictionary = type->dictionary;
  s->is_string = qv_type_id_is_binary_like(type->id);
  s->width_bytes = qv_type_id_width_bytes(type->id);
  refresh_view(s);
}

static int64_t bitmap_bytes(int64_t n_bits) { return (n_bits + 7) / 8; }

static void set_bit(uint8_t *bits, int64_t i, bool on) {
  if (on) bits[i >> 3] |= (uint8_t)(1u << (i & 7));
  else bits[i >> 3] &= (uint8_t)~(1u << (i & 7));
}

/** Makes room for groups [0, need). */
static void reserve(agg_store *s, int64_t need) {
  if (need <= s->capacity) return;
  int64_t cap = s->capacity ? s->capacity : 64;
  while (cap < need) cap *= 2;
  s->validity = agg_grow(s->validity, bitmap_bytes(s->capacity), bitmap_bytes(cap), 1);
  if (s->type.id == QV_TYPE_BOOL)
    s->values = agg_grow(s->values, bitmap_bytes(s->capacity), bitmap_bytes(cap), 1);
  else if (s->width_bytes > 0)
    s->values = agg_grow(s->values, s->capacity, cap, (size_t)s->width_bytes);
  if (s->is_string) {
    s->str_start = agg_grow(s->str_start, s->capacity, cap, sizeof *s->str_start);
    s->str_size = agg_grow(s->str_size, s->capacity, cap, sizeof *s->str_size);
  }
  if (s->dictionary) s->dict_index = agg_grow(s->dict_index, s->capacity, cap, sizeof *s->dict_index);
  s->capacity = cap;
  refresh_view(s);
}

void store_resize(agg_store *s, int64_t n) {
  reserve(s, n);
  if (n > s->n) s->n = n;
}

/** Rewrites the arena with only the live bytes, in group order. */
static void compact(agg_store *s) {
  int64_t live = s->arena_bytes - s->garbage_bytes;
  char *fresh = agg_grow(NULL, 0, live, 1);
  int64_t at = 0;
  for (int64_t g = 0; g < s->n; g++) {
    if (s->str_size[g] > 0) memcpy(fresh + at, s->arena + s->str_start[g], (size_t)s->str_size[g]);
    s->str_start[g] = at;
    at += s->str_size[g];
  }
  free(s->arena);
  s->arena = fresh;
  s->arena_bytes = s->arena_capacity_bytes = live;
  s->garbage_bytes = 0;
}

/** Replaces group g's bytes with a copy of `str`. */
static void set_str(agg_store *s, int64_t g, qv_str str) {
  s->garbage_bytes += s->str_size[g];
  if (s->arena_bytes + str.size_bytes > s->arena_capacity_bytes) {
    int64_t cap = s->arena_capacity_bytes ? s->arena_capacity_bytes : 4096;
    while (cap < s->arena_bytes + str.size_bytes) cap *= 2;
    s->arena = agg_grow(s->arena, s->arena_capacity_bytes, cap, 1);
    s->arena_capacity_bytes = cap;
  }
  if (str.size_bytes > 0) memcpy(s->arena + s->arena_bytes, str.data, (size_t)str.size_bytes);
  s->str_start[g] = s->arena_bytes;
  s->str_size[g] = str.size_bytes;
  s->arena_bytes += str.size_bytes;
  if (s->garbage_bytes > s->arena_bytes - s->garbage_bytes + STORE_SLACK_BYTES) compact(s);
}

void store_set(agg_store *s, int64_t g, const ck_view *v, int64_t i) {
  store_resize(s, g + 1);
  bool null = ck_is_null(v, i);
  if (s->dictionary) {
    bool index_null = v->col->validity != NULL && !ck_bit(v->col->validity, i);
    s->dict_index[g] = index_null || !v->dictionary ? -1 : ck_base_row(v, i);
  }
  set_bit(s->validity, g, !null);
  if (s->type.id == QV_TYPE_NULL) return;
  if (s->is_string) {
    qv_str empty = {"", 0};
    set_str(s, g, null ? empty : ck_base_str(v, ck_base_row(v, i)));
    return;
  }
  if (null) return;
  int64_t r = ck_base_row(v, i);
  if (s->type.id == QV_TYPE_BOOL)
    set_bit(s->values, g, ck_bit(v->base->values, r));
  else
    memcpy(s->values + g * s->width_bytes, (const char *)v->base->values + r * s->width_bytes,
           (size_t)s->width_bytes);
}

bool store_equals(const agg_store *s, int64_t g, const ck_view *v, int64_t i) {
  bool vn = ck_is_null(v, i), sn = store_is_null(s, g);
  if (vn || sn) return vn && sn;
  int64_t r = ck_base_row(v, i);
  if (s->is_string) return ck_str_eq(ck_base_str(v, r), store_str(s, g));
  return ck_base_key(v, r) == store_key(s, g);
}

/** Number of groups below `n` holding null. */
static int64_t count_nulls(const agg_store *s) {
  int64_t nulls = 0;
  for (int64_t g = 0; g < s->n; g++) nulls += !ck_bit(s->validity, g);
  return nulls;
}

/** Lays the stored strings out as Arrow offsets and data, in group order. */
static void output_strings(agg_store *s, qv_column *out) {
  bool large = s->type.id == QV_TYPE_LARGE_UTF8 || s->type.id == QV_TYPE_LARGE_BINARY;
  int64_t total = s->arena_bytes - s->garbage_bytes;
  if (!large && total > INT32_MAX)
    qv_fail("aggregate: string column data exceed 2 GiB; use large_utf8");
  char *data = agg_grow(NULL, 0, total, 1);
  void *offsets = agg_grow(NULL, 0, s->n + 1, large ? 8 : 4);
  int64_t at = 0;
  for (int64_t g = 0; g < s->n; g++) {
    if (large) ((int64_t *)offsets)[g] = at;
    else ((int32_t *)offsets)[g] = (int32_t)at;
    if (s->str_size[g] > 0) memcpy(data + at, s->arena + s->str_start[g], (size_t)s->str_size[g]);
    at += s->str_size[g];
  }
  if (large) ((int64_t *)offsets)[s->n] = at;
  else ((int32_t *)offsets)[s->n] = (int32_t)at;
  s->out_offsets = offsets;
  s->out_data = data;
  out->offsets = offsets;
  out->data = (const uint8_t *)data;
  out->data_size_bytes = at;
}

/** Writes the groups' dictionary indices in the index type (nulls as index 0). */
static void output_indices(agg_store *s, const qv_type *type, qv_column *out) {
  int width = qv_type_id_width_bytes(type->index_type);
  uint8_t *indices = agg_grow(NULL, 0, s->n, (size_t)width);
  for (int64_t g = 0; g < s->n; g++) {
    int64_t j = store_is_null(s, g) || s->dict_index[g] < 0 ? 0 : s->dict_index[g];
    switch (width) {
      case 1: indices[g] = (uint8_t)j; break;
      case 2: ((uint16_t *)indices)[g] = (uint16_t)j; break;
      case 4: ((uint32_t *)indices)[g] = (uint32_t)j; break;
      default: ((uint64_t *)indices)[g] = (uint64_t)j; break;
    }
  }
  s->out_indices = indices;
  out->values = indices;
}

void store_output(agg_store *s, const agg_dict *dict, qv_column *out) {
  reserve(s, 1); /* a validity bitmap even with no groups */
  memset(out, 0, sizeof *out);
  out->type = s->type;
  out->length = s->n;
  if (s->type.id == QV_TYPE_NULL) {
    out->null_count = s->n;
    return;
  }
  out->null_count = count_nulls(s);
  out->validity = s->validity;
  if (dict != NULL && dict->same) {
    out->type = dict->type;
    out->dictionary = &dict->held;
    output_indices(s, &dict->type, out);
  } else if (s->is_string) {
    output_strings(s, out);
  } else {
    out->values = s->values;
  }
}

void store_free(agg_store *s) {
  free(s->validity);
  free(s->values);
  free(s->str_start);
  free(s->str_size);
  free(s->arena);
  free(s->dict_index);
  free(s->out_offsets);
  free(s->out_data);
  free(s->out_indices);
  memset(s, 0, sizeof *s);
}
