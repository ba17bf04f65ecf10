/*
 * row_set.h — a hash set of row references keyed by several columns, for steps that find
 * "the same key seen before" across record batches: distinct (first occurrence), pivot (one
 * output row per group), fill (the group of a row). Header-only like column_keys.h, whose
 * value semantics it inherits: nulls equal each other (SQL GROUP BY / DISTINCT), -0.0 equals
 * 0.0, NaN equals NaN, dictionaries compare by value.
 *
 * The set stores, per entry, a pointer to the caller's key views and a row number: it keeps
 * no copy of the values, so the columns behind the views must stay valid as long as the set
 * (a step that holds its input, or one that keeps its own copies). Entries are numbered in
 * order of insertion. Open addressing with linear probing, power-of-two size, at most half
 * full.
 */
#ifndef QUIVER_ROW_SET_H
#define QUIVER_ROW_SET_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "column_keys.h"
#include "quiver.h"

/** One entry: the key views of the chunk it came from (borrowed) and its row there. */
typedef struct rs_ref {
  const ck_view *views;
  int64_t row;
} rs_ref;

/** The set. Zero-initialise, then rs_init; release with rs_free. */
typedef struct rs_set {
  int n_keys;
  uint32_t *slots; /* entry number + 1 per slot; 0 = empty */
  uint64_t mask;
  uint64_t *hashes; /* per entry */
  rs_ref *refs;     /* per entry */
  int64_t n_entries, capacity_entries;
  const char *module; /* for out-of-memory messages */
} rs_set;

static inline void *rs_alloc_(const char *module, size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (p == NULL) qv_fail("%s: out of memory (%zu x %zu bytes)", module, n, size);
  return p;
}

static inline void rs_rehash_(rs_set *s, uint64_t n_slots) {
  free(s->slots);
  s->slots = rs_alloc_(s->module, n_slots, sizeof *s->slots);
  s->mask = n_slots - 1;
  for (int64_t e = 0; e < s->n_entries; e++) {
    uint64_t i = s->hashes[e] & s->mask;
    while (s->slots[i] != 0) i = (i + 1) & s->mask;
    s->slots[i] = (uint32_t)e + 1;
  }
}

/** Prepares an empty set of `n_keys`-column keys; `module` names the step in messages. */
static inline void rs_init(rs_set *s, int n_keys, const char *module) {
  memset(s, 0, sizeof *s);
  s->n_keys = n_keys;
  s->module = module;
  rs_rehash_(s, 1024);
}

/** Hash of row `row` over `views[0..n_keys)`; equal keys hash equally. */
static inline uint64_t rs_hash(const ck_view *views, int n_keys, int64_t row) {
  uint64_t h = UINT64_C(0x2545f4914f6cdd1d);
  for (int k = 0; k < n_keys; k++) h = ck_mix64(h ^ ck_hash(&views[k], row)) + (uint64_t)k;
  return h;
}

static inline bool rs_equal_(const rs_set *s, const rs_ref *r, const ck_view *views,
                             int64_t row) {
  for (int k = 0; k < s->n_keys; k++)
    if (!ck_rows_equal(&r->views[k], r->row, &views[k], row)) return false;
  return true;
}

/**
 * The entry whose key equals row `row` of `views` (borrowed; kept by the set when added), or
 * a new entry for it. Returns the entry number; `*added` tells which. Exits through qv_fail
 * when memory runs out or past 2^32 - 2 entries.
 */
static inline int64_t rs_find_or_add(rs_set *s, const ck_view *views, int64_t row,
                                     bool *added) {
  uint64_t h = rs_hash(views, s->n_keys, row);
  uint64_t i = h & s->mask;
  for (uint32_t e; (e = s->slots[i]) != 0; i = (i + 1) & s->mask) {
    if (s->hashes[e - 1] == h && rs_equal_(s, &s->refs[e - 1], views, row)) {
      *added = false;
      return e - 1;
    }
  }
  if (s->n_entries >= (int64_t)UINT32_MAX - 1) qv_fail("%s: more than 2^32 - 2 keys", s->module);
  if (s->n_entries == s->capacity_entries) {
    int64_t cap = s->capacity_entries ? s->capacity_entries * 2 : 1024;
    uint64_t *hashes = realloc(s->hashes, (size_t)cap * sizeof *hashes);
    rs_ref *refs = realloc(s->refs, (size_t)cap * sizeof *refs);
    if (hashes == NULL || refs == NULL) qv_fail("%s: out of memory (%lld keys)", s->module, (long long)cap);
    s->hashes = hashes;
    s->refs = refs;
    s->capacity_entries = cap;
  }
  int64_t e = s->n_entries++;
  s->hashes[e] = h;
  s->refs[e] = (rs_ref){views, row};
  s->slots[i] = (uint32_t)e + 1;
  if ((uint64_t)s->n_entries * 2 > s->mask + 1) rs_rehash_(s, (s->mask + 1) * 2);
  *added = true;
  return e;
}

static inline void rs_free(rs_set *s) {
  free(s->slots);
  free(s->hashes);
  free(s->refs);
  memset(s, 0, sizeof *s);
}

/**
 * Reads parameter `key` of `params`: an array of column names of `schema`, each required to
 * exist (qv_fail naming `key[i]` otherwise). Returns the count and fills `*out` (owned by the
 * caller, free()) with the column indices. Absent or null: 0 columns. Shared by the steps
 * that take a list of columns (distinct, fill, pivot, window).
 */
static inline int rs_column_list(const qv_json *params, const char *key, const qv_schema *schema,
                                 const char *module, int64_t **out) {
  const qv_json *list = qv_json_get(params, key);
  *out = rs_alloc_(module, list != NULL && list->kind == QV_JSON_ARRAY ? (size_t)list->n_children : 0,
                   sizeof **out);
  if (list == NULL || list->kind == QV_JSON_NULL) return 0;
  if (list->kind != QV_JSON_ARRAY)
    qv_fail("%s: parameter '%s' must be an array of column names, found %s", module, key,
            qv_json_kind_name(list->kind));
  for (int64_t i = 0; i < list->n_children; i++) {
    char where[64];
    snprintf(where, sizeof where, "%s[%lld]", key, (long long)i);
    if (list->children[i].kind != QV_JSON_STRING)
      qv_fail("%s: parameter %s must be a column name (a string)", module, where);
    (*out)[i] = qv_require_column(schema, module, where, list->children[i].string_value);
  }
  return (int)list->n_children;
}

#endif /* QUIVER_ROW_SET_H */
