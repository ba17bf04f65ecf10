/*
 * ops.h — the aggregate functions, computed column-at-a-time over precomputed group numbers.
 */
#ifndef QUIVER_AGGREGATE_OPS_H
#define QUIVER_AGGREGATE_OPS_H

#include <stdint.h>

#include "quiver.h"

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

/** One requested aggregate. `name` and `column_name` are borrowed (from the parameters);
 * `column` is the input column's index, -1 for count(*) (then `column_name` is NULL).
 * `index` is its position in the `aggregates` parameter (for messages). */
typedef struct agg_spec {
  const char *name;
  agg_op op;
  int64_t column;
  const char *column_name;
  int64_t index;
} agg_spec;

/** Rows grouped by group_rows: `gid` per row, and each group's first row (-1: none). */
typedef struct agg_groups {
  const uint32_t *gid;
  int64_t n_rows;
  int64_t n_groups;
  const int64_t *first_row;
} agg_groups;

/**
 * Checks that `spec` applies to its column's type and returns the output type: int64 for
 * count and count_distinct, int64 for sum of integers, float64 for sum of floats and for
 * mean, the input type for min/max/first/last. Fails (qv_fail) naming the aggregate, column
 * and type otherwise.
 */
qv_type agg_output_type(const agg_spec *spec, const qv_field *field);

/**
 * Computes `spec` over the rows of `all` into `*out` (owned by the caller:
 * qv_column_release), one row per group. `all` and `groups` are borrowed; min/max/first/
 * last columns may borrow `all`'s dictionaries. Fails (qv_fail) on an int64 sum overflow,
 * naming the aggregate and the group's position.
 */
void agg_compute(const qv_batch *all, const agg_spec *spec, const agg_groups *groups,
                 qv_column *out);

#endif /* QUIVER_AGGREGATE_OPS_H */
