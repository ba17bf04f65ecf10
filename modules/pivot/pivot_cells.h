/*
 * pivot_cells.h — the pivot step's table of cells: one per (group, listed pivot value), each the
 * running state of the aggregate over the rows that fall in it.
 */
#ifndef QUIVER_PIVOT_CELLS_H
#define QUIVER_PIVOT_CELLS_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/column_keys.h"
#include "quiver.h"

typedef enum pv_op { PV_COUNT, PV_SUM, PV_MEAN, PV_MIN, PV_MAX, PV_FIRST, PV_OP_COUNT_ } pv_op;

/** One cell. `view`/`row`: the chosen row for min, max, first (NULL view: none yet). */
typedef struct pv_cell {
  int64_t count; /* non-null values (count, sum, mean) or rows (count without a column) */
  int64_t int_sum;
  double sum;
  const ck_view *view;
  int64_t row;
  bool seen; /* first: a row has fallen in the cell */
} pv_cell;

/** Op named `name`, or PV_OP_COUNT_. */
pv_op pv_op_from_name(const char *name);

/** Adds row `row` of value view `v` (NULL: count rows) to `cell`. Integer sums fail the step on
 * overflow, naming `column`. */
void pv_cell_add(pv_cell *cell, pv_op op, bool integer, const ck_view *v, int64_t row,
                 const char *column);

/** Appends the cell's result to `b` (the output column's builder). */
int pv_cell_append(const pv_cell *cell, pv_op op, bool integer, qv_builder *b, qv_error *err);

#endif /* QUIVER_PIVOT_CELLS_H */
