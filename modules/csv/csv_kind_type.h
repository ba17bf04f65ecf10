/*
 * The Arrow type a csv_kind column is written as: shared by the csv module and the json module,
 * which infers its columns with the csv module's value forms (json_value.c).
 */
#ifndef QUIVER_CSV_KIND_TYPE_H
#define QUIVER_CSV_KIND_TYPE_H

#include "csv_value.h"
#include "quiver.h"

/** Timestamps are microseconds; text with an offset becomes a UTC timestamp; text is utf8. */
static inline qv_type csv_kind_type(csv_kind kind) {
  switch (kind) {
  case CSV_KIND_BOOL:
    return qv_type_make(QV_TYPE_BOOL);
  case CSV_KIND_INT64:
    return qv_type_make(QV_TYPE_INT64);
  case CSV_KIND_FLOAT64:
    return qv_type_make(QV_TYPE_FLOAT64);
  case CSV_KIND_DATE32:
    return qv_type_make(QV_TYPE_DATE32);
  case CSV_KIND_TIMESTAMP:
    return qv_type_timestamp(QV_TIME_UNIT_MICROSECOND, NULL);
  case CSV_KIND_TIMESTAMP_TZ:
    return qv_type_timestamp(QV_TIME_UNIT_MICROSECOND, "UTC");
  default:
    return qv_type_make(QV_TYPE_UTF8);
  }
}

#endif
