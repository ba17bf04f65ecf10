/*
 * sort_perm.c — normalised keys, LSD radix sort and merge sort of row numbers.
 * See sort.c for the algorithm's outline and column_keys.h for the value order.
 */
#include "sort_perm.h"

#include <stdlib.h>
#include <string.h>

#include "column_keys.h"

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
  /** True if `norm` alone orders the key; false for plain strings (8-byte prefix). */
  bool exact;
  /** 1 for null rows; NULL when the column has no null row. */
  uint8_t *nulls;
  /** Per row: order-preserving key (bit-inverted when descending); 0 for null rows. */
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

/** First 8 bytes of a string, big-endian, zero-padded: orders like the strings' prefixes. */
static uint64_t string_prefix(qv_str s) {
  uint64_t p = 0;
  for (int b = 0; b < 8; b++)
    p = (p << 8) | (b < s.size_bytes ? (uint8_t)s.data[b] : 0);
  return p;
}

static void prepare_key(norm_key *k, const qv_column *col, const sort_key *spec, size_t n) {
  k->view = ck_view_make(col);
  k->descending = spec->descending;
  k->nulls_first = spec->nulls_first;
  k->exact = !k->view.is_string || k->view.dictionary;
  k->norm = xmalloc(n, sizeof *k->norm);
  k->nulls = NULL;
  uint64_t *rank = k->view.is_string && k->view.dictionary ? rank_dictionary(&k->view) : NULL;
  for (size_t i = 0; i < n; i++) {
    if (ck_is_null(&k->view, (int64_t)i)) {
      if (k->nulls == NULL) k->nulls = calloc(n, 1);
      if (k->nulls == NULL) qv_fail("sort: out of memory (%zu bytes)", n);
      k->nulls[i] = 1;
      k->norm[i] = 0;
      continue;
    }
    int64_t r = ck_base_row(&k->view, (int64_t)i);
    uint64_t key = rank != NULL           ? rank[r]
                   : k->view.is_string ? string_prefix(ck_base_str(&k->view, r))
                                       : ck_base_key(&k->view, r);
    k->norm[i] = k->descending ? ~key : key;
  }
  free(rank);
}

typedef struct cmp_ctx {
  const norm_key *keys;
  int n_keys;
} cmp_ctx;

/** Full comparison of rows `a` and `b` on every key, in key order. */
static int cmp_rows(const void *ctx, uint32_t a, uint32_t b) {
  const cmp_ctx *c = ctx;
  for (int i = 0; i < c->n_keys; i++) {
    const norm_key *k = &c->keys[i];
    if (k->nulls != NULL && (k->nulls[a] | k->nulls[b])) {
      if (k->nulls[a] && k->nulls[b]) continue;
      return (k->nulls[a] != 0) == k->nulls_first ? -1 : 1;
    }
    uint64_t x = k->norm[a], y = k->norm[b];
    if (x != y) return x < y ? -1 : 1;
    if (!k->exact) {
      int s = ck_str_cmp(ck_base_str(&k->view, a), ck_base_str(&k->view, b));
      if (s != 0) return k->descending ? -s : s;
    }
  }
  return 0;
}

/** Stable LSD radix sort of `perm[0..n)` by `norm[perm[i]]`; scratch arrays of n entries. */
static void radix_by_key(uint32_t *perm, size_t n, const uint64_t *norm, uint32_t *tmp,
                         uint64_t *ka, uint64_t *kb) {
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
  bool all_exact = true;
  for (int i = 0; i < n_keys; i++) {
    prepare_key(&nk[i], &all->columns[keys[i].column], &keys[i], n);
    all_exact = all_exact && nk[i].exact;
  }
  uint32_t *tmp = xmalloc(n, sizeof *tmp);
  if (all_exact) {
    uint64_t *ka = xmalloc(n, sizeof *ka), *kb = xmalloc(n, sizeof *kb);
    /* LSD over keys: sorting by the last key first, each pass stable, gives lexicographic
     * order; nulls are placed after their key's values are ordered. */
    for (int i = n_keys - 1; i >= 0; i--) {
      radix_by_key(perm, n, nk[i].norm, tmp, ka, kb);
      if (nk[i].nulls != NULL) partition_nulls(perm, n, &nk[i], tmp);
    }
    free(ka);
    free(kb);
  } else {
    cmp_ctx ctx = {nk, n_keys};
    sort_merge_u32(perm, tmp, n, cmp_rows, &ctx);
  }
  free(tmp);
  for (int i = 0; i < n_keys; i++) {
    free(nk[i].norm);
    free(nk[i].nulls);
  }
  free(nk);
}
