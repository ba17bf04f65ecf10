/*
 * sort_perm.c — normalised keys, LSD radix sort and merge sort of row numbers.
 * See sort.c for the algorithm's outline and column_keys.h for the value order.
 */
#include "sort_perm.h"

#include <stdlib.h>
#include <string.h>

#include "../common/column_keys.h"

/** Radix digit width in bits: 6 passes cover 64 bits, 2048 counters fit in cache. */
#define RADIX_BITS 11
#define RADIX_BUCKETS (1u << RADIX_BITS)
#define RADIX_PASSES 6

/** Below this many rows a run is insertion-sorted before merging. */
#define INSERTION_RUN 24

/** One key prepared for sorting. */
typedef struct norm_key {
  ck_view view;
  bool descending;
  bool nulls_first;
  /** 1 for null rows; NULL when the column has no null row. */
  uint8_t *nulls;
  /** Per row: order-preserving key (bit-inverted when descending); 0 for null rows. Strings
   * get the rank of their value among the column's distinct values. */
  uint64_t *norm;
} norm_key;

static void *xmalloc(size_t n, size_t size) {
  void *p = malloc(n ? n * size : 1);
  if (p == NULL) qv_fail("sort: out of memory (%zu x %zu bytes)", n, size);
  return p;
}

void sort_merge_u32(uint32_t *a, uint32_t *tmp, size_t n, sort_cmp_fn cmp, const void *ctx) {
  for (size_t lo = 0; lo < n; lo += INSERTION_RUN) {
    size_t hi = lo + INSERTION_RUN < n ? lo + INSERTION_RUN : n;
    for (size_t i = lo + 1; i < hi; i++) {
      uint32_t x = a[i];
      size_t j = i;
      while (j > lo && cmp(ctx, a[j - 1], x) > 0) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = x;
    }
  }
  uint32_t *src = a, *dst = tmp;
  for (size_t width = INSERTION_RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      /* Take from the left run on ties: that is what makes the merge stable. */
      while (i < mid && j < hi) dst[k++] = cmp(ctx, src[j], src[i]) < 0 ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    uint32_t *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}

/** Compares entries `a` and `b` of a dictionary of strings (its rows), bytewise. */
static int cmp_dictionary_rows(const void *ctx, uint32_t a, uint32_t b) {
  const ck_view *v = ctx;
  bool na = ck_base_null(v, a), nb = ck_base_null(v, b);
  if (na || nb) return (int)na - (int)nb;
  return ck_str_cmp(ck_base_str(v, a), ck_base_str(v, b));
}

/** Ranks the entries of a string dictionary by value: equal strings get equal ranks. */
static uint64_t *rank_dictionary(const ck_view *v) {
  size_t m = (size_t)v->base->length;
  uint32_t *order = xmalloc(m, sizeof *order);
  uint32_t *tmp = xmalloc(m, sizeof *tmp);
  uint64_t *rank = xmalloc(m, sizeof *rank);
  for (size_t i = 0; i < m; i++) order[i] = (uint32_t)i;
  sort_merge_u32(order, tmp, m, cmp_dictionary_rows, v);
  uint64_t r = 0;
  for (size_t j = 0; j < m; j++) {
    if (j > 0 && cmp_dictionary_rows(v, order[j - 1], order[j]) != 0) r++;
    rank[order[j]] = r;
  }
  free(order);
  free(tmp);
  return rank;
}

typedef struct distinct_ctx {
  const ck_view *view;
  const uint32_t *rows; /* a row holding each distinct value */
} distinct_ctx;

static int cmp_distinct(const void *ctx, uint32_t a, uint32_t b) {
  const distinct_ctx *c = ctx;
  return ck_str_cmp(ck_base_str(c->view, c->rows[a]), ck_base_str(c->view, c->rows[b]));
}

/**
 * Ranks the values of a plain string column: `rank[i]` (for each non-null row i) is the
 * position of row i's value among the column's distinct values in bytewise order. Distinct
 * values are found with a hash table, then only they are sorted, so low-cardinality columns
 * (airport codes, categories) cost one hash per row.
 */
static void rank_strings(const ck_view *v, size_t n, const uint8_t *nulls, uint64_t *rank) {
  size_t n_slots = 1024;
  while (n_slots < n * 2) n_slots *= 2;
  uint32_t *slots = calloc(n_slots, sizeof *slots); /* distinct id + 1; 0 = empty */
  uint32_t *rows = xmalloc(n, sizeof *rows);
  uint64_t *hashes = xmalloc(n, sizeof *hashes);
  if (slots == NULL) qv_fail("sort: out of memory (%zu slots)", n_slots);
  uint32_t n_distinct = 0;
  for (size_t i = 0; i < n; i++) {
    if (nulls != NULL && nulls[i]) continue;
    qv_str value = ck_base_str(v, (int64_t)i);
    uint64_t h = ck_hash_bytes(value.data, value.size_bytes);
    size_t s = h & (n_slots - 1);
    for (;;) {
      uint32_t d = slots[s];
      if (d == 0) {
        rows[n_distinct] = (uint32_t)i;
        hashes[n_distinct] = h;
        slots[s] = ++n_distinct;
        rank[i] = n_distinct - 1;
        break;
      }
      if (hashes[d - 1] == h && ck_str_eq(ck_base_str(v, rows[d - 1]), value)) {
        rank[i] = d - 1;
        break;
      }
      s = (s + 1) & (n_slots - 1);
    }
  }
  free(slots);
  free(hashes);
  uint32_t *order = xmalloc(n_distinct, sizeof *order);
  uint32_t *tmp = xmalloc(n_distinct, sizeof *tmp);
  uint64_t *position = xmalloc(n_distinct, sizeof *position);
  for (uint32_t d = 0; d < n_distinct; d++) order[d] = d;
  distinct_ctx ctx = {v, rows};
  sort_merge_u32(order, tmp, n_distinct, cmp_distinct, &ctx);
  for (uint32_t j = 0; j < n_distinct; j++) position[order[j]] = j;
  for (size_t i = 0; i < n; i++)
    if (nulls == NULL || !nulls[i]) rank[i] = position[rank[i]];
  free(order);
  free(tmp);
  free(position);
  free(rows);
}

static void prepare_key(norm_key *k, const qv_column *col, const sort_key *spec, size_t n) {
  k->view = ck_view_make(col);
  k->descending = spec->descending;
  k->nulls_first = spec->nulls_first;
  k->norm = xmalloc(n, sizeof *k->norm);
  k->nulls = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!ck_is_null(&k->view, (int64_t)i)) continue;
    if (k->nulls == NULL) k->nulls = calloc(n, 1);
    if (k->nulls == NULL) qv_fail("sort: out of memory (%zu bytes)", n);
    k->nulls[i] = 1;
  }
  bool plain_string = k->view.is_string && !k->view.dictionary;
  if (plain_string) rank_strings(&k->view, n, k->nulls, k->norm);
  uint64_t *dict_rank = k->view.is_string && k->view.dictionary ? rank_dictionary(&k->view) : NULL;
  for (size_t i = 0; i < n; i++) {
    if (k->nulls != NULL && k->nulls[i]) {
      k->norm[i] = 0;
      continue;
    }
    uint64_t key;
    if (plain_string) {
      key = k->norm[i];
    } else {
      int64_t r = ck_base_row(&k->view, (int64_t)i);
      key = dict_rank != NULL ? dict_rank[r] : ck_base_key(&k->view, r);
    }
    k->norm[i] = k->descending ? ~key : key;
  }
  free(dict_rank);
}

/** Stable LSD radix sort of `perm[0..n)` by `norm[perm[i]]`; scratch arrays of n entries. */
static void radix_by_key(uint32_t *perm, size_t n, const uint64_t *norm, uint32_t *tmp,
                         uint64_t *ka, uint64_t *kb) {
  /* Static rather than local: 48 KiB would strain the 64 KiB wasm stack. */
  static uint32_t hist[RADIX_PASSES][RADIX_BUCKETS];
  memset(hist, 0, sizeof hist);
  for (size_t j = 0; j < n; j++) {
    uint64_t x = norm[perm[j]];
    ka[j] = x;
    for (int d = 0; d < RADIX_PASSES; d++) hist[d][(x >> (d * RADIX_BITS)) & (RADIX_BUCKETS - 1)]++;
  }
  uint64_t *ks = ka, *kd = kb;
  uint32_t *ps = perm, *pd = tmp;
  for (int d = 0; d < RADIX_PASSES; d++) {
    uint32_t *h = hist[d];
    uint64_t x0 = ks[0];
    if (h[(x0 >> (d * RADIX_BITS)) & (RADIX_BUCKETS - 1)] == n) continue; /* constant digit */
    uint32_t sum = 0;
    for (uint32_t b = 0; b < RADIX_BUCKETS; b++) {
      uint32_t c = h[b];
      h[b] = sum;
      sum += c;
    }
    for (size_t j = 0; j < n; j++) {
      uint32_t pos = h[(ks[j] >> (d * RADIX_BITS)) & (RADIX_BUCKETS - 1)]++;
      kd[pos] = ks[j];
      pd[pos] = ps[j];
    }
    uint64_t *tk = ks;
    ks = kd;
    kd = tk;
    uint32_t *tp = ps;
    ps = pd;
    pd = tp;
  }
  if (ps != perm) memcpy(perm, ps, n * sizeof *perm);
}

/** Moves the rows whose key is null to the front or the back of `perm`, stably. */
static void partition_nulls(uint32_t *perm, size_t n, const norm_key *k, uint32_t *tmp) {
  size_t n_null = 0;
  for (size_t j = 0; j < n; j++) n_null += k->nulls[perm[j]];
  if (n_null == 0) return;
  size_t at_null = k->nulls_first ? 0 : n - n_null;
  size_t at_value = k->nulls_first ? n_null : 0;
  for (size_t j = 0; j < n; j++) {
    uint32_t r = perm[j];
    tmp[k->nulls[r] ? at_null++ : at_value++] = r;
  }
  memcpy(perm, tmp, n * sizeof *perm);
}

void sort_permutation(const qv_batch *all, const sort_key *keys, int n_keys, uint32_t *perm) {
  size_t n = (size_t)all->n_rows;
  for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
  if (n < 2) return;
  norm_key *nk = xmalloc((size_t)n_keys, sizeof *nk);
  for (int i = 0; i < n_keys; i++) prepare_key(&nk[i], &all->columns[keys[i].column], &keys[i], n);
  uint32_t *tmp = xmalloc(n, sizeof *tmp);
  uint64_t *ka = xmalloc(n, sizeof *ka), *kb = xmalloc(n, sizeof *kb);
  /* LSD over keys: sorting by the last key first, each pass stable, gives lexicographic
   * order; nulls are placed after their key's values are ordered. */
  for (int i = n_keys - 1; i >= 0; i--) {
    radix_by_key(perm, n, nk[i].norm, tmp, ka, kb);
    if (nk[i].nulls != NULL) partition_nulls(perm, n, &nk[i], tmp);
  }
  free(ka);
  free(kb);
  free(tmp);
  for (int i = 0; i < n_keys; i++) {
    free(nk[i].norm);
    free(nk[i].nulls);
  }
  free(nk);
}
