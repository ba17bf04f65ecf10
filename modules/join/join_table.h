/*
 * join_table.h — the build side of a hash join: the held batches concatenated into one table,
 * and a chained hash table over its key columns.
 *
 * Layout: `head` has a power of two of buckets, at least twice the build rows; `head[b]` is
 * 1 + the first build row of bucket b (0: empty), `next[r]` is 1 + the row after r in its
 * chain, and `hashes[r]` row r's full hash, checked before the keys are compared. Rows are
 * chained in build order, so the matches of a probe row come in build-side order. Rows with a
 * null key are not in the table (they match nothing) but stay in the table's columns, since
 * right, full and anti joins may output them. Memory: 4 bytes per bucket plus 12 per row,
 * besides the concatenated columns.
 */
#ifndef QUIVER_JOIN_TABLE_H
#define QUIVER_JOIN_TABLE_H

#include "../common/column_concat.h"
#include "join_keys.h"

typedef struct jt_table {
  /** The build side: concatenated columns (owned) and a batch of views of them. */
  cc_column *columns;
  qv_batch all;
  int64_t n_columns;
  jk_side keys;
  uint32_t *head;
  uint32_t *next;
  uint64_t *hashes;
  uint64_t mask; /* buckets - 1 */
  /** Rows that matched some probe row (one byte each), for outer, semi and anti joins. */
  uint8_t *matched;
  /** Bytes of the hash table itself (buckets, chains, hashes, flags), not the columns. */
  int64_t size_bytes;
} jt_table;

/**
 * Builds the table from `batches[0..n_batches)` (schema `schema`, held until the table is
 * freed) for key columns `pairs` of side `side`. Exits through qv_fail when out of memory or
 * above 2^32 - 2 rows.
 */
void jt_build(jt_table *t, const qv_schema *schema, const qv_batch *batches, int64_t n_batches,
              const jk_pair *pairs, int n_pairs, int side);

void jt_free(jt_table *t);

/** First build row equal to probe row `i` of `probe` with hash `h`, or -1. */
static inline int64_t jt_first(const jt_table *t, const jk_side *probe, int64_t i, uint64_t h) {
  for (uint32_t r = t->head[h & t->mask]; r != 0; r = t->next[r - 1]) {
    if (t->hashes[r - 1] == h && jk_equal(probe, i, &t->keys, r - 1)) return r - 1;
  }
  return -1;
}

/** The build row after `r` equal to probe row `i` (hash `h`), or -1. */
static inline int64_t jt_next(const jt_table *t, const jk_side *probe, int64_t i, uint64_t h,
                              int64_t r) {
  for (uint32_t n = t->next[r]; n != 0; n = t->next[n - 1]) {
    if (t->hashes[n - 1] == h && jk_equal(probe, i, &t->keys, n - 1)) return n - 1;
  }
  return -1;
}

#endif /* QUIVER_JOIN_TABLE_H */
