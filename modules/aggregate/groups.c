/*
 * groups.c — hash grouping. An open-addressing table (linear probing, power-of-two size,
 * at most half full) maps a key tuple's hash to a group number; a candidate group is
 * confirmed by comparing the row's keys with those of the group's first row. Group numbers
 * are handed out in order of first appearance, which is the output order.
 */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "../common/column_keys.h"

/** Group numbers are stored +1 in the table so that 0 marks an empty slot. */
#define EMPTY_SLOT 0u
#define NO_GROUP UINT32_MAX

typedef struct group_table {
  uint32_t *slots;
  uint64_t mask;
  /** Per group: hash of its keys and its first row. */
  uint64_t *hashes;
  int64_t *first_row;
  int64_t n_groups;
  int64_t capacity_groups;
} group_table;

static void *xrealloc(void *p, size_t n, size_t size) {
  void *q = realloc(p, n ? n * size : 1);
  if (q == NULL) qv_fail("aggregate: out of memory (%zu x %zu bytes)", n, size);
  return q;
}

static void table_rehash(group_table *t, uint64_t n_slots) {
  free(t->slots);
  t->slots = calloc(n_slots, sizeof *t->slots);
  if (t->slots == NULL) qv_fail("aggregate: out of memory (%llu slots)", (unsigned long long)n_slots);
  t->mask = n_slots - 1;
  for (int64_t g = 0; g < t->n_groups; g++) {
    uint64_t s = t->hashes[g] & t->mask;
    while (t->slots[s] != EMPTY_SLOT) s = (s + 1) & t->mask;
    t->slots[s] = (uint32_t)g + 1;
  }
}

static uint32_t table_add(group_table *t, uint64_t s, uint64_t h, int64_t row) {
  if (t->n_groups == t->capacity_groups) {
    t->capacity_groups = t->capacity_groups ? t->capacity_groups * 2 : 1024;
    t->hashes = xrealloc(t->hashes, (size_t)t->capacity_groups, sizeof *t->hashes);
    t->first_row = xrealloc(t->first_row, (size_t)t->capacity_groups, sizeof *t->first_row);
  }
  uint32_t g = (uint32_t)t->n_groups++;
  t->hashes[g] = h;
  t->first_row[g] = row;
  t->slots[s] = g + 1;
  if ((uint64_t)t->n_groups * 2 > t->mask + 1) table_rehash(t, (t->mask + 1) * 2);
  return g;
}

static bool keys_equal(const ck_view *views, int n_keys, int64_t a, int64_t b) {
  for (int k = 0; k < n_keys; k++)
    if (!ck_rows_equal(&views[k], a, &views[k], b)) return false;
  return true;
}

/** Rows hashed at a time: the hashes stay in cache between hashing and probing. */
#define HASH_CHUNK_ROWS 4096

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
static uint32_t table_find(group_table *t, const ck_view *views, int n_keys, uint64_t h,
                           int64_t i) {
  uint64_t s = h & t->mask;
  for (;;) {
    uint32_t slot = t->slots[s];
    if (slot == EMPTY_SLOT) return table_add(t, s, h, i);
    uint32_t g = slot - 1;
    if (t->hashes[g] == h && keys_equal(views, n_keys, t->first_row[g], i)) return g;
    s = (s + 1) & t->mask;
  }
}

int64_t group_rows(const qv_batch *all, const int64_t *key_columns, int n_keys, uint32_t *gid,
                   int64_t **out_first_row) {
  int64_t n = all->n_rows;
  if (n_keys == 0) {
    int64_t *first = xrealloc(NULL, 1, sizeof *first);
    first[0] = n > 0 ? 0 : -1;
    if (n > 0) memset(gid, 0, (size_t)n * sizeof *gid);
    *out_first_row = first;
    return 1;
  }
  ck_view *views = xrealloc(NULL, (size_t)n_keys, sizeof *views);
  for (int k = 0; k < n_keys; k++) views[k] = ck_view_make(&all->columns[key_columns[k]]);
  group_table t = {0};
  table_rehash(&t, 2048);

  /* One dictionary-encoded key: cache each dictionary entry's group, so most rows cost one
   * array read. Entries with equal values still meet in one group through the table. */
  uint32_t *dict_gid = NULL;
  const ck_view *dv = &views[0];
  if (n_keys == 1 && dv->dictionary) {
    size_t m = (size_t)dv->base->length;
    dict_gid = xrealloc(NULL, m, sizeof *dict_gid);
    for (size_t j = 0; j < m; j++) dict_gid[j] = NO_GROUP;
  }
  uint64_t *hashes = xrealloc(NULL, HASH_CHUNK_ROWS, sizeof *hashes);
  for (int64_t start = 0; start < n; start += HASH_CHUNK_ROWS) {
    int64_t m = n - start < HASH_CHUNK_ROWS ? n - start : HASH_CHUNK_ROWS;
    if (dict_gid == NULL) hash_keys(views, n_keys, start, m, hashes);
    for (int64_t j = 0; j < m; j++) {
      int64_t i = start + j;
      if (dict_gid != NULL) {
        if (dv->col->validity != NULL && !ck_bit(dv->col->validity, i)) {
          gid[i] = table_find(&t, views, 1, CK_NULL_HASH, i);
        } else {
          int64_t r = ck_base_row(dv, i);
          if (dict_gid[r] == NO_GROUP) dict_gid[r] = table_find(&t, views, 1, ck_hash(dv, i), i);
          gid[i] = dict_gid[r];
        }
        continue;
      }
      gid[i] = table_find(&t, views, n_keys, hashes[j], i);
    }
  }
  free(hashes);
  free(dict_gid);
  free(views);
  free(t.slots);
  free(t.hashes);
  *out_first_row = t.first_row ? t.first_row : xrealloc(NULL, 1, sizeof(int64_t));
  return t.n_groups;
}
