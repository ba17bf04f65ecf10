/*
 * ops.h — the aggregate functions, each a running state per group updated one record batch
 * at a time (a column at a time over the batch's group numbers).
 */
#ifndef QUIVER_AGGREGATE_OPS_H
#define QUIVER_AGGREGATE_OPS_H

#include <stdint.h>

#include "quiver.h"
#include "store.h"

typedef enum agg_op {
  AGG_COUNT = 0,
  AGG_COUNT_DISTINCT,
  AGG_SUM,
  AGG_MEAN,
  AGG_MIN,
  AGG_MAX,
  AGG_FIRST,
  AGG_LAST,
  AGG_OP_COUNT_
} agg_op;

/** Parameter spelling of each op ("count", "count_distinct", ...), indexed by agg_op. */
extern const char *const AGG_OP_NAMES[AGG_OP_COUNT_];

/** One output column. `name` and `column_name` are borrowed (from the parameters, or from
 * the run for the `<name>.count` column of a partial mean); `column` is the input column's
 * index, -1 for count(*) (then `column_name` is NULL). `index` is its position in the
 * `aggregates` parameter (for messages). `count_column` (final mode's mean only, else -1) is
 * the input column of partial non-null counts that the sums are divided by. `non_null`: the
 * output column is declared without nulls (count, count_distinct, and their merges). */
typedef struct agg_spec {
  const char *name;
  agg_op op;
  int64_t column;
  const char *column_name;
  int64_t index;
  int64_t count_column;
  bool non_null;
} agg_spec;

/**
 * The distinct (group, value) pairs of count_distinct: an open-addressing set. Values are
 * copied: fixed-width values as their order key (ck_base_key, whose equality is the value
 * equality), strings as bytes in `arena`. Memory per distinct pair: 8 (hash) + 4 (group) +
 * 8 (key or arena start) + 8 (size, strings) bytes, two 4-byte slots, and the string bytes.
 */
typedef struct agg_distinct {
  uint32_t *slots; /* pair number + 1, 0 = empty */
  uint64_t mask;
  uint64_t *hash;
  uint32_t *group;
  uint64_t *key; /* fixed-width: order key; strings: arena start */
  int64_t *size; /* strings: byte count */
  int64_t n_pairs, capacity_pairs;
  char *arena;
  int64_t arena_bytes, arena_capacity_bytes;
} agg_distinct;

/**
 * The running state of one aggregate. Per group: `count` (count, count_distinct, sum, mean),
 * `int_sum` (128-bit, integer sum/mean), `float_sum` and `compensation` (float sum/mean),
 * `values` (min, max, first, last: a copy of the chosen row's value, store.h), `stamp`
 * (last: the batch that last set the group), and for count_distinct the set of pairs.
 */
typedef struct agg_state {
  const agg_spec *spec; /* borrowed */
  bool float_input;     /* sum/mean over float32/float64 */
  int64_t capacity_groups;
  int64_t *count;
  __int128 *int_sum;
  double *float_sum, *compensation;
  uint32_t *stamp;
  agg_store values;
  agg_distinct distinct;
} agg_state;

/**
 * Checks that `spec` applies to its column's type and returns the output type: int64 for
 * count and count_distinct, int64 for sum of integers, float64 for sum of floats and for
 * mean, the input type for min/max/first/last. Fails (qv_fail) naming the aggregate, column
 * and type otherwise.
 */
qv_type agg_output_type(const agg_spec *spec, const qv_field *field);

/** Prepares the state of `spec` (borrowed) over input column type `field` (NULL for
 * count(*)). */
void agg_state_init(agg_state *st, const agg_spec *spec, const qv_field *field);

/**
 * Folds one batch (borrowed, only during the call) into the state: row i belongs to group
 * gid[i]; there are `n_groups` groups so far. `batch_number` counts batches from 0.
 */
void agg_update(agg_state *st, const qv_batch *batch, const uint32_t *gid, int64_t n_groups,
                uint32_t batch_number);

/**
 * Writes the aggregate of each of the `n_groups` groups into `*out`, owned by the caller
 * (qv_column_release). min/max/first/last columns borrow buffers from the state and, when
 * they stay dictionary-encoded, the dictionary of `dict` (the input column's dictionary
 * tracking; NULL if not a dictionary column): keep both until the output is written. Fails
 * (qv_fail) on an int64 sum overflow, naming the aggregate and the group's position.
 */
void agg_output(agg_state *st, int64_t n_groups, const agg_dict *dict, qv_column *out);

/** Frees the state. */
void agg_state_free(agg_state *st);

#endif /* QUIVER_AGGREGATE_OPS_H */
