/*
 * csv_column.h — growable column buffers in Arrow's memory layout, filled row by row while
 * the csv module parses, handed out batch by batch, then cleared and reused (no per-value
 * allocation).
 */
#ifndef CSV_COLUMN_H
#define CSV_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv_value.h"

/**
 * One column's buffers for the current batch. `kind` decides the layout: BOOL keeps bits in
 * `values`; INT64, TIMESTAMP and TIMESTAMP_TZ keep int64_t; FLOAT64 double; DATE32 int32_t
 * days; UTF8 int32_t `offsets` (n_rows + 1 entries) and `data`. `validity` is a bitmap, bit
 * set = valid, LSB first. Every buffer is owned by the column (csv_column_buffers_free).
 */
typedef struct csv_column_buffers {
  csv_kind kind;
  int64_t n_rows;
  int64_t null_count;
  uint8_t *validity;
  uint8_t *values;
  int32_t *offsets;
  uint8_t *data;
  size_t data_size_bytes;
  size_t rows_capacity;
  size_t data_capacity_bytes;
} csv_column_buffers;

/** A parsed value, as csv_column_append stores it (the member matching the kind). */
typedef union csv_value {
  bool b;
  int64_t i64;
  double f64;
  int32_t days;
} csv_value;

/** Empties the column for a new batch of `kind` values, keeping its memory. */
void csv_column_clear(csv_column_buffers *col, csv_kind kind);

/** Makes room for `rows` rows in total. False when out of memory. */
bool csv_column_reserve(csv_column_buffers *col, size_t rows);

/** Appends a null row. Room must have been reserved. */
void csv_column_append_null(csv_column_buffers *col);

/** Appends a fixed-width value (not UTF8). Room must have been reserved. */
void csv_column_append_value(csv_column_buffers *col, csv_value value);

/**
 * Appends text to a UTF8 column; each byte that is not part of a valid UTF-8 sequence is
 * replaced by U+FFFD. Returns 1 if a replacement happened, 0 if not, -1 when out of memory
 * or past INT32_MAX bytes of data in the batch (the caller flushes batches well before).
 */
int csv_column_append_text(csv_column_buffers *col, const uint8_t *s, size_t n);

/** Frees the buffers and zeroes the column. */
void csv_column_buffers_free(csv_column_buffers *col);

/**
 * Copies `s` into `out` (capacity `out_capacity` bytes, at least 4) as valid UTF-8 without
 * NUL bytes, replacing invalid bytes and NULs by U+FFFD, truncated on a character boundary;
 * always NUL-terminated. Returns the number of bytes written without the terminator.
 */
size_t csv_utf8_sanitize(const uint8_t *s, size_t n, char *out, size_t out_capacity);

/** Length of the valid UTF-8 sequence starting at s[0] (1..4), or 0 if s[0] starts none. */
size_t csv_utf8_sequence_length(const uint8_t *s, size_t n);

#endif /* CSV_COLUMN_H */
