/*
 * pivot_cells.c — aggregate states of the pivot step. Semantics as the aggregate step's (and
 * SQL's): count counts non-null values (or rows without a column) and is 0 for an empty cell;
 * sum, mean, min and max skip nulls and are null for a cell with no value; first is the value of
 * the cell's first row, null or not. Sums of integers are exact int64; of floats, plain float64
 * additions in input order.
 */
#include "pivot_cells.h"

#include <string.h>

static const char *const OP_NAMES[PV_OP_COUNT_] = {"count", "sum", "mean", "min", "max", "first"};

pv_op pv_op_from_name(const char *name) {
  for (int op = 0; op < PV_OP_COUNT_; op++)
    if (strcmp(name, OP_NAMES[op]) == 0) return (pv_op)op;
  return PV_OP_COUNT_;
}

/** Order of two non-null values of views of one value type: negative, zero, positive. */
static int compare(const ck_view *a, int64_t i, const ck_view *b, int64_t j) {
  int64_t ra = ck_base_row(a, i), rb = ck_base_row(b, j);
  if (a->is_string) return ck_str_cmp(ck_base_str(a, ra), ck_base_str(b, rb));
  uint64_t ka = ck_base_key(a, ra), kb = ck_base_key(b, rb);
  return (ka > kb) - (ka < kb);
}

void pv_cell_add(pv_cell *cell, pv_op op, bool integer, const ck_view *v, int64_t row,
                 const char *column) {
  if (op == PV_FIRST) {
    if (!cell->seen) cell->view = v, cell->row = row, cell->seen = true;
    return;
  }
  if (v != NULL && ck_is_null(v, row)) return;
  cell->count++;
  if (op == PV_SUM || op == PV_MEAN) {
    if (integer && op == PV_SUM) {
      if (__builtin_add_overflow(cell->int_sum, qv_column_int64_at(v->col, row), &cell->int_sum))
        qv_fail("pivot: the sum of \"%s\" overflows int64", column);
    } else {
      cell->sum += qv_column_double_at(v->col, row);
    }
  } else if (op == PV_MIN || op == PV_MAX) {
    int c = cell->view == NULL ? 0 : compare(v, row, cell->view, cell->row);
    if (cell->view == NULL || (op == PV_MIN ? c < 0 : c > 0)) cell->view = v, cell->row = row;
  }
}

int pv_cell_append(const pv_cell *cell, pv_op op, bool integer, qv_builder *b, qv_error *err) {
  switch (op) {
    case PV_COUNT: return qv_builder_append_int64(b, cell->count, err);
    case PV_SUM:
      if (cell->count == 0) return qv_builder_append_null(b, err);
      return integer ? qv_builder_append_int64(b, cell->int_sum, err)
                     : qv_builder_append_double(b, cell->sum, err);
    case PV_MEAN:
      if (cell->count == 0) return qv_builder_append_null(b, err);
      return qv_builder_append_double(b, cell->sum / (double)cell->count, err);
    default: /* min, max, first: the chosen row's value */
      if (cell->view == NULL) return qv_builder_append_null(b, err);
      return qv_builder_append_from(b, cell->view->col, cell->row, err);
  }
}
