/*
 * sort_perm.h — the stable sort of row numbers behind the sort module (see sort.c for the
 * algorithm and the value order).
 */
#ifndef QUIVER_SORT_PERM_H
#define QUIVER_SORT_PERM_H

#include <stdbool.h>
#include <stdint.h>

#include "quiver.h"

/** One sort key: a column index of the batch, its direction and where its nulls go. */
typedef struct sort_key {
  int64_t column;
  bool descending;
  bool nulls_first;
} sort_key;

/**
 * Fills `perm[0..all->n_rows)` with the row numbers of `all` in sorted order (stable: rows
 * that tie on every key keep their input order). `all` and `keys` are borrowed; `perm` is
 * owned by the caller and must have room for `all->n_rows` entries (fewer than 2^32 rows).
 * Exits through qv_fail when memory runs out.
 */
void sort_permutation(const qv_batch *all, const sort_key *keys, int n_keys, uint32_t *perm);

/** A comparator of two row numbers, given a context: negative, zero or positive. */
typedef int (*sort_cmp_fn)(const void *ctx, uint32_t a, uint32_t b);

/**
 * Stable bottom-up merge sort of `a[0..n)` with `cmp`; `tmp` is scratch space of `n`
 * entries (borrowed). Insertion-sorts short runs first.
 */
void sort_merge_u32(uint32_t *a, uint32_t *tmp, size_t n, sort_cmp_fn cmp, const void *ctx);

#endif /* QUIVER_SORT_PERM_H */
