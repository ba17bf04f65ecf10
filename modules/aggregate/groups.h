/*
 * groups.h — assigning rows to groups by the values of their key columns (SQL GROUP BY:
 * nulls equal each other, so null keys form their own group), one record batch at a time.
 * The table keeps its own copy of each group's key values (store.h), so batches can be
 * dropped once processed.
 */
#ifndef QUIVER_AGGREGATE_GROUPS_H
#define QUIVER_AGGREGATE_GROUPS_H

#include <stdint.h>

#include "quiver.h"
#include "store.h"

/** The groups seen so far. Memory: per group its hash (8 bytes), two table slots (4 bytes
 * each, the table being at most half full) and its key values (store.h). */
typedef struct group_table {
  int n_keys;
  const int64_t *key_columns; /* borrowed, n_keys input column indices */
  agg_store *keys;            /* per key: each group's key value (its first row's) */
  uint32_t *slots;            /* group number + 1 per slot, 0 = empty */
  uint64_t mask;
  uint64_t *hashes; /* per group: hash of its keys */
  int64_t n_groups;
  int64_t capacity_groups;
  /** One dictionary-encoded key: each dictionary entry's group (NO_GROUP: not seen yet),
   * valid while the batches' dictionary stays the same. */
  uint32_t *dict_gid;
  int64_t dict_gid_length;
  uint64_t *hash_scratch;
  ck_view *views; /* scratch: the current batch's key columns */
} group_table;

/** Prepares a table for the key columns `key_columns[0..n_keys)` (borrowed) of `schema`.
 * With no keys there is exactly one group from the start (SQL: one row even for no rows). */
void groups_init(group_table *t, const qv_schema *schema, const int64_t *key_columns,
                 int n_keys);

/**
 * Numbers the rows of `batch` (borrowed, only during the call) by group, writing each row's
 * group to `gid[0..batch->n_rows)`. New groups are numbered in order of their first row, so
 * the numbering over all batches is the order of first appearance. `same_dictionary`: the
 * batch's key dictionary (one dictionary key) has the same values as the previous batch's.
 * Exits through qv_fail when memory runs out or past 2^32 - 2 groups.
 */
void groups_add_batch(group_table *t, const qv_batch *batch, bool same_dictionary,
                      uint32_t *gid);

/** Frees the table, its key stores included. */
void groups_free(group_table *t);

#endif /* QUIVER_AGGREGATE_GROUPS_H */
