/*
 * union_types.h — which input column feeds each output column of a union, the output type,
 * and converting a batch of either input to the output schema. See union.c for the rules.
 */
#ifndef QUIVER_UNION_TYPES_H
#define QUIVER_UNION_TYPES_H

#include "quiver.h"

/** How an input column becomes its output column. */
typedef enum ut_cast {
  UT_SAME,    /* borrowed as it is */
  UT_MISSING, /* the input lacks the column: nulls */
  UT_PLAIN,   /* a dictionary decoded to its values */
  UT_FLOAT64, /* a number read as a double */
  UT_INT64,   /* an integer read as an int64 */
} ut_cast;

/** One output column: its field, and per input the source column and cast. */
typedef struct ut_column {
  const char *name; /* borrowed from an input schema */
  qv_type type;
  int64_t source[2]; /* -1: missing */
  ut_cast cast[2];
} ut_column;

typedef struct ut_plan {
  ut_column *columns; /* owned */
  int64_t n_columns;
} ut_plan;

/** The plan for `schemas` (by name, or by position). EINVAL naming the column whose types
 * cannot be combined, or the column counts by position. */
int ut_plan_make(const qv_schema *const schemas[2], bool by_position, ut_plan *out,
                 qv_error *err);

/** The output schema (`out` owned by the caller). */
int ut_output_schema(const ut_plan *plan, qv_schema *out, qv_error *err);

/** Batch `in` of input `port` in the output schema (`out` owned by the caller; it borrows
 * from `in`). ENOMEM. */
int ut_convert(const ut_plan *plan, int port, const qv_batch *in, qv_batch *out,
               qv_error *err);

void ut_plan_free(ut_plan *plan);

#endif /* QUIVER_UNION_TYPES_H */
