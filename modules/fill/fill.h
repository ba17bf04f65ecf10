/*
 * fill.h — the state shared by the fill step's two halves: fill.c (params, constant and
 * streaming down-fill) and fill_held.c (up-fill and per-group fill over a copy of the input).
 */
#ifndef QUIVER_FILL_H
#define QUIVER_FILL_H

#include <stdbool.h>
#include <stdint.h>

#include "quiver.h"

#define MODULE "fill"

typedef enum fill_mode { FILL_CONSTANT, FILL_DOWN, FILL_UP } fill_mode;

/** The step's plan, from the params and the input schema. */
typedef struct fill_plan {
  const qv_schema *schema; /* the input's, borrowed */
  fill_mode mode;
  bool *filled;         /* per input column: is it filled */
  const qv_json *value; /* constant mode: the value, borrowed from the params */
  int64_t *group_by;    /* input column indices */
  int n_group_by;
} fill_plan;

extern fill_plan plan;

/** The output type of input column `c`: filled columns are written plain (dictionaries
 * decoded), the others as they are. */
qv_type fill_output_type(int64_t c);

/** Keeps an owned copy of `in` (every column) for fill_held_finish. */
void fill_held_keep(const qv_batch *in);

/** Up-fill or per-group fill of the kept copies, written to output 0; frees the copies. */
void fill_held_finish(qv_step *step);

#endif /* QUIVER_FILL_H */
