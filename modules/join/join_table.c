/* The build side of the join (join_table.h). */
#include "join_table.h"

#include <stdlib.h>

void jt_build(jt_table *t, const qv_schema *schema, const qv_batch *batches, int64_t n_batches,
              const jk_pair *pairs, int n_pairs, int side) {
  qv_error err;
  memset(t, 0, sizeof *t);
  int64_t n = 0;
  for (int64_t b = 0; b < n_batches; b++) n += batches[b].n_rows;
  if (n >= (int64_t)UINT32_MAX - 1) qv_fail("join: the build side has more than 2^32 - 2 rows");
  t->n_columns = schema->n_fields;
  t->columns = qv_calloc_or_fail("join", (size_t)t->n_columns + 1, sizeof *t->columns);
  if (qv_batch_init(&t->all, t->n_columns, n, &err) != QV_OK) qv_fail("join: %s", err.message);
  for (int64_t c = 0; c < t->n_columns; c++) {
    cc_concat(batches, n_batches, c, &schema->fields[c].type, &t->columns[c]);
    t->all.columns[c] = t->columns[c].column; /* a view: `columns` owns the buffers */
  }
  uint64_t buckets = 16;
  while (buckets < (uint64_t)n * 2) buckets <<= 1;
  t->mask = buckets - 1;
  t->head = qv_calloc_or_fail("join", buckets, sizeof *t->head);
  t->next = qv_calloc_or_fail("join", (size_t)n + 1, sizeof *t->next);
  t->hashes = qv_calloc_or_fail("join", (size_t)n + 1, sizeof *t->hashes);
  t->matched = qv_calloc_or_fail("join", (size_t)n + 1, 1);
  t->size_bytes += (int64_t)buckets * 4 + n * 13;
  jk_side_make(&t->keys, pairs, n_pairs, side, &t->all);
  /* Pushing rows from last to first onto their chains leaves each chain in row order. */
  for (int64_t r = n - 1; r >= 0; r--) {
    uint64_t h;
    if (!jk_hash(&t->keys, r, &h)) continue;
    t->hashes[r] = h;
    t->next[r] = t->head[h & t->mask];
    t->head[h & t->mask] = (uint32_t)r + 1;
  }
}

void jt_free(jt_table *t) {
  jk_side_free(&t->keys);
  qv_batch_release(&t->all);
  for (int64_t c = 0; t->columns != NULL && c < t->n_columns; c++) cc_column_free(&t->columns[c]);
  free(t->columns);
  free(t->head);
  free(t->next);
  free(t->hashes);
  free(t->matched);
  memset(t, 0, sizeof *t);
}
