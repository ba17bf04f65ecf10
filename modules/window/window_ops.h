/*
 * window_ops.h — the window functions of the window step, computed over rows already ordered
 * by partition and order keys (see window.c for the semantics).
 */
#ifndef QUIVER_WINDOW_OPS_H
#define QUIVER_WINDOW_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "quiver.h"

/** The functions. */
typedef enum w_op {
  W_ROW_NUMBER,
  W_RANK,
  W_DENSE_RANK,
  W_LAG,
  W_LEAD,
  W_FIRST_VALUE,
  W_LAST_VALUE,
  W_RUNNING_SUM,
  W_RUNNING_MEAN,
  W_RUNNING_COUNT,
  W_MOVING_MEAN,
  W_OP_COUNT_
} w_op;

/** What an op's result column holds. */
typedef enum w_result_kind {
  W_INT64,  /* int64 values */
  W_DOUBLE, /* float64 values */
  W_ROWS    /* a source row per row (-1: null), gathered from the value column */
} w_result_kind;

/** One window column to compute. `column` indexes the concatenated value columns (-1: none). */
typedef struct w_spec {
  const char *name; /* output column name, borrowed from the params */
  w_op op;
  int64_t input_column; /* input schema index, -1 when the op takes no column */
  int64_t column;       /* index into the `all` batch, -1 when none */
  int64_t offset;       /* lag/lead: rows back or ahead, >= 0 */
  int64_t rows;         /* moving_mean: window size in rows, >= 1 */
  w_result_kind kind;
} w_spec;

/** One computed column, indexed by input row number (not by sorted position). */
typedef struct w_result {
  int64_t *ints;   /* W_INT64 values, or W_ROWS source rows */
  double *doubles; /* W_DOUBLE values */
  uint8_t *valid;  /* 1 = not null (W_INT64 / W_DOUBLE) */
} w_result;

/** Op named `name` ("row_number", ...), or W_OP_COUNT_ when unknown. */
w_op w_op_from_name(const char *name);

/** The name of `op` (for messages). */
const char *w_op_name(w_op op);

/** True when `op` reads a value column (all but row_number, rank, dense_rank; running_count
 * optionally). */
bool w_op_needs_column(w_op op);

/**
 * Computes `spec` for every row. `perm[0..n)` lists the row numbers in sorted order;
 * `part_start[k]` / `peer_start[k]` are 1 where sorted position k begins a partition / a set
 * of rows equal on every order key. `value` is the spec's column (borrowed, NULL when none).
 * Fills `out` (owned by the caller: w_result_free). Exits through qv_fail on out of memory or
 * an integer sum overflow.
 */
void w_compute(const w_spec *spec, const uint32_t *perm, int64_t n, const uint8_t *part_start,
               const uint8_t *peer_start, const qv_column *value, w_result *out);

void w_result_free(w_result *r);

#endif /* QUIVER_WINDOW_OPS_H */
