/*
 * window_plan.h — the window step's plan (from its params and input schema, window.c) and the
 * run over the held input at `finish` (window_run.c).
 */
#ifndef QUIVER_WINDOW_PLAN_H
#define QUIVER_WINDOW_PLAN_H

#include <stdint.h>

#include "quiver.h"
#include "window_ops.h"

#define MODULE "window"
#include "../sort/sort_perm.h"

/** The step's plan, from the params and the input schema. */
typedef struct w_plan {
  const qv_schema *schema; /* the input's, borrowed */
  int64_t *partition;      /* input column indices */
  int n_partition;
  sort_key *order; /* `column` = input column index */
  int n_order;
  w_spec *specs;
  int n_specs;
  int64_t *used; /* input columns to concatenate, in `all` order */
  int n_used;
} w_plan;

/**
 * Concatenates the columns `plan` uses from `held[0..n_held)` (borrowed), sorts the rows,
 * computes every window column and writes the held batches with them to output 0. Adds the
 * columns it concatenates to `plan->used`. Exits through qv_fail on errors.
 */
void window_run(qv_step *step, w_plan *plan, const qv_batch *held, int64_t n_held);

#endif /* QUIVER_WINDOW_PLAN_H */
