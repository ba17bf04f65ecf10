/*
 * sample_store.h — the reservoir of the sample step: `capacity` slots, each naming an input row
 * (by its number over the whole input), and owned copies of those rows' values.
 */
#ifndef QUIVER_SAMPLE_STORE_H
#define QUIVER_SAMPLE_STORE_H

#include <stdint.h>

#include "quiver.h"

typedef struct sample_store {
  const qv_schema *schema; /* output schema (plain types), copied */
  qv_schema schema_copy;
  int64_t capacity, filled;
  int64_t *input_row; /* per slot: the input row it holds */
  int64_t *at;        /* per slot: its row in `values`, or -1 when it comes from the current batch */
  qv_batch values;    /* owned, plain columns */
} sample_store;

/** Prepares an empty reservoir of `capacity` slots for rows of `schema` (copied). */
void store_init(sample_store *s, const qv_schema *schema, int64_t capacity);

/** Slot `slot` now holds input row `input_row`, a row of the batch being read. */
void store_set(sample_store *s, int64_t slot, int64_t input_row);

/** Copies the rows of `in` (whose first row is input row `first_row`) that slots now hold,
 * compacting the copies; `in` is borrowed during the call only. */
void store_absorb(sample_store *s, const qv_batch *in, int64_t first_row);

/** Writes the held rows in input order to output 0 and frees the reservoir. */
void store_write(sample_store *s, qv_step *step);

#endif /* QUIVER_SAMPLE_STORE_H */
