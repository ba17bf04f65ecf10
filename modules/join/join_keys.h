/*
 * join_keys.h — the join's key pairs: how a left key column and a right key column compare,
 * and a row's hash over every key. Equal keys hash equally across the two sides, whatever
 * their (compatible) types.
 *
 * Key pairs compare in one of four modes, chosen from the two columns' types (as DuckDB
 * compares after its implicit casts):
 * - strings: utf8/large_utf8 with each other, binary/large_binary with each other, bytewise;
 * - integers: any signed or unsigned integer types with each other, by value (a uint64 above
 *   INT64_MAX compares as its two's complement int64, the one case that differs from DuckDB);
 * - doubles: a float column with a float or an integer column, by value as a double, -0.0
 *   equal to 0.0 and NaN equal to NaN (DuckDB's NaN = NaN);
 * - exact: bool, dates, times, timestamps and durations with the same type, unit and zone.
 * Dictionary-encoded columns compare by value. Null never equals anything (SQL).
 */
#ifndef QUIVER_JOIN_KEYS_H
#define QUIVER_JOIN_KEYS_H

#include "../common/column_keys.h"
#include "quiver.h"

/** How one key pair compares (see the file comment). */
typedef enum jk_mode { JK_STRING, JK_INT, JK_DOUBLE, JK_EXACT } jk_mode;

/** One key pair: a column of each side (0 = left, 1 = right) and how they compare. */
typedef struct jk_pair {
  int64_t column[2];
  jk_mode mode;
} jk_pair;

/** True if `a` and `b` are the same type apart from dictionary encoding (id, unit, zone). */
bool jk_same_value_type(const qv_type *a, const qv_type *b);

/**
 * The mode in which `left` and `right` compare; EINVAL with a message naming both columns
 * when they cannot be compared.
 */
int jk_mode_of(const qv_field *left, const qv_field *right, jk_mode *out, qv_error *err);

/** Key columns of one side of a batch, as views (borrowing the batch). */
typedef struct jk_side {
  const jk_pair *pairs;
  int n_pairs;
  ck_view *views; /* n_pairs views */
} jk_side;

/** Views of the key columns of `batch` on side `side` (0 left, 1 right); free jk_side_free. */
void jk_side_make(jk_side *out, const jk_pair *pairs, int n_pairs, int side,
                  const qv_batch *batch);

void jk_side_free(jk_side *s);

/** The hash of row `i` over every key; false when a key is null (the row matches nothing). */
bool jk_hash(const jk_side *s, int64_t i, uint64_t *out_hash);

/** True if row `i` of `a` and row `j` of `b` (the other side) are equal on every key; both
 * rows must have non-null keys. */
bool jk_equal(const jk_side *a, int64_t i, const jk_side *b, int64_t j);

#endif /* QUIVER_JOIN_KEYS_H */
