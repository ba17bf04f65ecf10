/*
 * groups.c — hash grouping. An open-addressing table (linear probing, power-of-two size,
 * at most half full) maps a key tuple's hash to a group number; a candidate group is
 * confirmed by comparing the row's keys with those of the group's first row. Group numbers
 * are handed out in order of first appearance, which is the output order.
 */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "../sort/column_keys.h"

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

/** Hash of row `i`'s key tuple. */
static uint64_t key_hash(const ck_view *views, int n_keys, int64_t i) {
  uint64_t h = 0;
  for (int k = 0; k < n_keys; k++) h = ck_mix64(h * UINT64_C(31) ^ ck_hash(&views[k], i));
  return h;
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
  for (int64_t i = 0; i < n; i++) {
    if (dict_gid != NULL && !(dv->col->validity != NULL && !ck_bit(dv->col->validity, i))) {
      int64_t r = ck_base_row(dv, i);
      if (dict_gid[r] == NO_GROUP) dict_gid[r] = table_find(&t, views, 1, key_hash(views, 1, i), i);
      gid[i] = dict_gid[r];
      continue;
    }
    gid[i] = table_find(&t, views, n_keys, key_hash(views, n_keys, i), i);
  }
  free(dict_gid);
  free(views);
  free(t.slots);
  free(t.hashes);
  *out_first_row = t.first_row ? t.first_row : xrealloc(NULL, 1, sizeof(int64_t));
  return t.n_groups;
}
