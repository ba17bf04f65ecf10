/*
 * cast_value.h — one value on its way through the cast step: read from a source column,
 * parsed from or formatted as text, converted to a target type. The text forms follow DuckDB's
 * casts (checked in cast.test.ts).
 */
#ifndef QUIVER_CAST_VALUE_H
#define QUIVER_CAST_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "quiver.h"

/** What a value is, once read. */
typedef enum cv_kind { CV_BOOL, CV_INT, CV_FLOAT, CV_STR, CV_DATE, CV_TS } cv_kind;

/** A non-null value. Dates are days since 1970-01-01; timestamps microseconds since the
 * epoch (UTC); a string is borrowed from its column. */
typedef struct cv_value {
  cv_kind kind;
  bool b;
  int64_t i;
  double f;
  qv_str s;
} cv_value;

/** The targets a column can be cast to. */
typedef enum cv_target {
  CV_TO_BOOL,
  CV_TO_INT32,
  CV_TO_INT64,
  CV_TO_FLOAT64,
  CV_TO_STRING,
  CV_TO_DATE,
  CV_TO_TIMESTAMP,
  CV_TO_COUNT_
} cv_target;

/** Target named `name` ("int64", ...) or CV_TO_COUNT_ when unknown. */
cv_target cv_target_from_name(const char *name);

/** The Arrow type of a target (timestamps: microseconds, no time zone). */
qv_type cv_target_type(cv_target t);

/** What a source column's values are read as, or -1 for a type the step cannot read. */
int cv_source_kind(const qv_type *type);

/** True if values of `kind` can be cast to `t` at all (each value may still fail). */
bool cv_castable(cv_kind kind, cv_target t);

/** Reads non-null row `i` of `col`, whose values are read as `kind`. */
cv_value cv_read(const qv_column *col, int64_t i, cv_kind kind);

/**
 * Appends `v` converted to `t` to builder `b`. Returns QV_OK, or EINVAL when this value does not
 * convert (not a number, out of range, no such date...); other errors come from the builder.
 */
int cv_append(const cv_value *v, cv_target t, qv_builder *b, qv_error *err);

/** Writes `v` as text into `buf` (NUL-terminated, truncated to `size_bytes`): the string a
 * cast to string gives, also used to quote a failing value in messages. */
void cv_format(const cv_value *v, char *buf, size_t size_bytes);

#endif /* QUIVER_CAST_VALUE_H */
