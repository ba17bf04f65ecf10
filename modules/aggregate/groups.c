/*
 * groups.c — hash grouping, batch by batch. An open-addressing table (linear probing,
 * power-of-two size, at most half full) maps a key tuple's hash to a group number; a
 * candidate group is confirmed by comparing the row's keys with the group's stored keys
 * (store.h), which are copies of the values of the group's first row. Group numbers are
 * handed out in order of first appearance, which is the output order.
 */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "../common/column_keys.h"

/** Group numbers are stored +1 in the table so that 0 marks an empty slot. */
#define EMPTY_SLOT 0u
#define NO_GROUP UINT32_MAX
/** Most groups: group numbers are uint32 and NO_GROUP and the +1 slot encoding reserve one. */
#define MAX_GROUPS ((int64_t)UINT32_MAX - 1)

/** Rows hashed at a time: the hashes stay in cache between hashing and probing. */
#define HASH_CHUNK_ROWS 4096

static void table_rehash(group_table *t, uint64_t n_slots) {
  free(t->slots);
  t->slots = calloc(n_slots, sizeof *t->slots);
  if (t->slots == NULL)
    qv_fail("aggregate: out of memory (%llu slots)", (unsigned long long)n_slots);
  t->mask = n_slots - 1;
  for (int64_t g = 0; g < t->n_groups; g++) {
    uint64_t s = t->hashes[g] & t->mask;
    while (t->slots[s] != EMPTY_SLOT) s = (s + 1) & t->mask;
    t->slots[s] = (uint32_t)g + 1;
  }
}

void groups_init(group_table *t, const qv_schema *schema, const int64_t *key_columns,
                 int n_keys) {
  memset(t, 0, sizeof *t);
  t->n_keys = n_keys;
  t->key_columns = key_columns;
  t->keys = agg_grow(NULL, 0, n_keys, sizeof *t->keys);
  for (int k = 0; k < n_keys; k++) store_init(&t->keys[k], &schema->fields[key_columns[k]].type);
  t->hash_scratch = agg_grow(NULL, 0, HASH_CHUNK_ROWS, sizeof *t->hash_scratch);
  t->views = agg_grow(NULL, 0, n_keys, sizeof *t->views);
  if (n_keys == 0) t->n_groups = 1;
  else table_rehash(t, 2048);
}

/** Creates a group for row `i` (views `views`) in empty slot `s`; returns its number. */
static uint32_t table_add(group_table *t, const ck_view *views, uint64_t s, uint64_t h,
                          int64_t i) {
  if (t->n_groups == MAX_GROUPS) qv_fail("aggregate: more than 2^32 - 2 groups");
  if (t->n_groups == t->capacity_groups) {
    int64_t cap = t->capacity_groups ? t->capacity_groups * 2 : 1024;
    t->hashes = agg_grow(t->hashes, t->capacity_groups, cap, sizeof *t->hashes);
    t->capacity_groups = cap;
  }
  uint32_t g = (uint32_t)t->n_groups++;
  t->hashes[g] = h;
  for (int k = 0; k < t->n_keys; k++) store_set(&t->keys[k], g, &views[k], i);
  t->slots[s] = g + 1;
  if ((uint64_t)t->n_groups * 2 > t->mask + 1) table_rehash(t, (t->mask + 1) * 2);
  return g;
}

static bool keys_equal(const group_table *t, const ck_view *views, uint32_t g, int64_t i) {
  for (int k = 0; k < t->n_keys; k++)
    if (!store_equals(&t->keys[k], g, &views[k], i)) return false;
  return true;
}

/** Hashes key column `v` over rows [start, start + n) into `out` (or folds the hashes into
 * `out` when `combine`); each value hashes as ck_hash would, with cheaper branches. */
static void hash_column(const ck_view *v, int64_t start, int64_t n, bool combine,
                        uint64_t *out) {
  const uint8_t *validity = v->col->validity;
  for (int64_t j = 0; j < n; j++) {
    int64_t i = start + j;
    uint64_t h;
    if (v->dictionary || v->id == QV_TYPE_NULL) {
      h = ck_hash(v, i);
    } else if (validity != NULL && !ck_bit(validity, i)) {
      h = CK_NULL_HASH;
    } else if (v->is_string) {
      qv_str str = ck_base_str(v, i);
      h = ck_hash_bytes(str.data, str.size_bytes);
    } else {
      h = ck_base_hash(v, i);
    }
    out[j] = combine ? ck_mix64(out[j] * UINT64_C(31) ^ h) : h;
  }
}

/**
 * Hashes of the key tuples of rows [start, start + n) into `out`, one key column at a time.
 * One key: its ck_hash (so the dictionary path below agrees); several: folded with a mix.
 */
static void hash_keys(const ck_view *views, int n_keys, int64_t start, int64_t n,
                      uint64_t *out) {
  for (int k = 0; k < n_keys; k++) {
    if (k == 0 && n_keys > 1) memset(out, 0, (size_t)n * sizeof *out);
    hash_column(&views[k], start, n, n_keys > 1, out);
  }
}

/** Finds or creates the group of row `i`, whose key hash is `h`. */
static uint32_t table_find(group_table *t, const ck_view *views, uint64_t h, int64_t i) {
  uint64_t s = h & t->mask;
  for (;;) {
    uint32_t slot = t->slots[s];
    if (slot == EMPTY_SLOT) return table_add(t, views, s, h, i);
    uint32_t g = slot - 1;
    if (t->hashes[g] == h && keys_equal(t, views, g, i)) return g;
    s = (s + 1) & t->mask;
  }
}

/** Readies the per-entry group cache for dictionary `dict`: kept when it is the same as the
 * previous batch's, else reset (entries with equal values still meet through the table). */
static void reset_dict_cache(group_table *t, const qv_column *dict, bool same_dictionary) {
  int64_t m = dict->length;
  if (same_dictionary && t->dict_gid_length == m) return;
  t->dict_gid = agg_grow(t->dict_gid, 0, m, sizeof *t->dict_gid);
  for (int64_t j = 0; j < m; j++) t->dict_gid[j] = NO_GROUP;
  t->dict_gid_length = m;
}

/** One dictionary-encoded key: most rows cost one read of the entry's cached group. */
static void group_by_dictionary(group_table *t, const ck_view *dv, int64_t n, uint32_t *gid) {
  for (int64_t i = 0; i < n; i++) {
    if (dv->col->validity != NULL && !ck_bit(dv->col->validity, i)) {
      gid[i] = table_find(t, dv, CK_NULL_HASH, i);
      continue;
    }
    int64_t r = ck_base_row(dv, i);
    if (t->dict_gid[r] == NO_GROUP) t->dict_gid[r] = table_find(t, dv, ck_hash(dv, i), i);
    gid[i] = t->dict_gid[r];
  }
}

void groups_add_batch(group_table *t, const qv_batch *batch, bool same_dictionary,
                      uint32_t *gid) {
  int64_t n = batch->n_rows;
  if (t->n_keys == 0) {
    if (n > 0) memset(gid, 0, (size_t)n * sizeof *gid);
    return;
  }
  ck_view *views = t->views;
  for (int k = 0; k < t->n_keys; k++) views[k] = ck_view_make(&batch->columns[t->key_columns[k]]);
  if (t->n_keys == 1 && views[0].dictionary) {
    reset_dict_cache(t, views[0].base, same_dictionary);
    group_by_dictionary(t, &views[0], n, gid);
    return;
  }
  uint64_t *hashes = t->hash_scratch;
  for (int64_t start = 0; start < n; start += HASH_CHUNK_ROWS) {
    int64_t m = n - start < HASH_CHUNK_ROWS ? n - start : HASH_CHUNK_ROWS;
    hash_keys(views, t->n_keys, start, m, hashes);
    for (int64_t j = 0; j < m; j++) gid[start + j] = table_find(t, views, hashes[j], start + j);
  }
}

void groups_free(group_table *t) {
  for (int k = 0; k < t->n_keys; k++) store_free(&t->keys[k]);
  free(t->keys);
  free(t->slots);
  free(t->hashes);
  free(t->dict_gid);
  free(t->hash_scratch);
  free(t->views);
  memset(t, 0, sizeof *t);
}
