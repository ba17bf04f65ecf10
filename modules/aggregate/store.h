/*
 * store.h — per-group copies of the values of one input column, kept by the aggregate
 * module between record batches (batches are borrowed: nothing may point into them after
 * the batch has been processed).
 *
 * A store holds one value (or null) per group, in the column's plain value type:
 * - fixed-width types: `width_bytes` bytes per group, booleans bit-packed; a value can be
 *   replaced in place;
 * - strings and binaries: each group's bytes in an arena (`arena`), found by start and size;
 *   a replaced value leaves garbage, compacted when it outgrows the live bytes, so the arena
 *   never holds more than about twice the live bytes plus STORE_SLACK_BYTES;
 * - dictionary-encoded input also keeps each group's dictionary index, so the output can stay
 *   encoded when every batch had the same dictionary (see agg_dict).
 *
 * Every function exits through qv_fail when memory runs out.
 */
#ifndef QUIVER_AGGREGATE_STORE_H
#define QUIVER_AGGREGATE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/column_keys.h"
#include "quiver.h"

/**
 * The dictionary of one dictionary-encoded input column, as seen across batches. `held` is an
 * owned copy of the first batch's dictionary; `same` stays true while every batch's dictionary
 * holds exactly the same values (compared by value: a borrowed batch's dictionary has no
 * identity across calls). While it does, stores of this column output dictionary-encoded
 * columns that use `held`; once a batch differs, they output decoded values (the rule the
 * whole-input version applied when batches did not share one dictionary).
 */
typedef struct agg_dict {
  qv_type type; /* the input field's type (dictionary) */
  bool seen;    /* a batch has been seen: `held` is set */
  bool same;
  qv_column held;
} agg_dict;

/** Starts tracking a column of dictionary type `type`. */
void agg_dict_init(agg_dict *d, const qv_type *type);

/** Updates `d` with the dictionary of `col` (a batch's column, borrowed). Returns true when
 * this batch's dictionary has the same values as every earlier one. */
bool agg_dict_update(agg_dict *d, const qv_column *col);

/** Frees the held copy. */
void agg_dict_free(agg_dict *d);

/** Bytes of garbage tolerated in a string arena before compaction is considered. */
#define STORE_SLACK_BYTES (1 << 20)

/** Per-group values of one column; see the file comment. Zero-initialise, then store_init. */
typedef struct agg_store {
  qv_type type;        /* plain value type (never dictionary) */
  bool dictionary;     /* the input is dictionary-encoded: `dict_index` is kept */
  bool is_string;
  int width_bytes;     /* fixed-width types; 0 for NULL, BOOL and strings */
  int64_t n;           /* groups held (values of groups < n are set or null) */
  int64_t capacity;
  uint8_t *validity;   /* bitmap: bit g set = group g holds a non-null value */
  uint8_t *values;     /* fixed-width values, or the BOOL bitmap */
  int64_t *str_start;  /* strings: group g's bytes are arena[str_start[g] .. + str_size[g]) */
  int64_t *str_size;
  char *arena;
  int64_t arena_bytes, arena_capacity_bytes, garbage_bytes;
  int64_t *dict_index; /* dictionary input: the index of group g's value (-1: null index) */
  /** A plain column over `values` and `validity` (fixed-width types), so ck_base_key reads
   * stored values exactly as it reads input rows. Refreshed when buffers move. */
  qv_column view_column;
  ck_view view;
  /** Buffers of the output column (store_output), owned here. */
  void *out_offsets, *out_data, *out_indices;
} agg_store;

/** Prepares `s` for values of input type `type` (a dictionary type keeps indices too). */
void store_init(agg_store *s, const qv_type *type);

/** Sets group g's value to row `i` of the batch column viewed by `v` (null stays null);
 * groups between the old `n` and g become null. `v` must have the store's value type. */
void store_set(agg_store *s, int64_t g, const ck_view *v, int64_t i);

/** Extends the store to `n` groups with nulls (no-op when it already has as many). */
void store_resize(agg_store *s, int64_t n);

/** True if group g holds null (or is beyond `n`). */
static inline bool store_is_null(const agg_store *s, int64_t g) {
  return g >= s->n || !ck_bit(s->validity, g);
}

/** Group g's bytes (strings only), borrowed until the next store_set. */
static inline qv_str store_str(const agg_store *s, int64_t g) {
  qv_str str = {s->arena != NULL ? s->arena + s->str_start[g] : "", s->str_size[g]};
  return str;
}

/** Order key of group g's non-null value (fixed-width types only; see ck_base_key). */
static inline uint64_t store_key(const agg_store *s, int64_t g) {
  return ck_base_key(&s->view, g);
}

/** True if group g's value equals row `i` of `v` (nulls equal each other; ck_rows_equal's
 * value equality). */
bool store_equals(const agg_store *s, int64_t g, const ck_view *v, int64_t i);

/**
 * Makes `*out` a column of the `n` stored values, borrowing buffers owned by `s` (valid until
 * store_free): dictionary-encoded with `dict->held` as dictionary when `dict` is not NULL and
 * `dict->same`, else plain values.
 */
void store_output(agg_store *s, const agg_dict *dict, qv_column *out);

/** Frees everything `s` owns. */
void store_free(agg_store *s);

/** Grows `*p` (elements of `size_bytes`) from `old_n` to `new_n` elements, zero-filling the new
 * ones. For the per-group arrays of groups.c and ops.c. */
void *agg_grow(void *p, int64_t old_n, int64_t new_n, size_t size_bytes);

#endif /* QUIVER_AGGREGATE_STORE_H */
