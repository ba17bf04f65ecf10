/*
 * csv_table_internal.h — state shared by csv_table.c (passes, batches) and csv_row.c (checking
 * one record). Private to the csv module.
 */
#ifndef CSV_TABLE_INTERNAL_H
#define CSV_TABLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv_column.h"
#include "csv_parse.h"
#include "csv_table.h"

/* A batch is flushed before its text data would pass this size, so int32 offsets never
 * overflow and a batch stays a reasonable transfer unit. */
#define BATCH_DATA_LIMIT_BYTES ((size_t)256 << 20)

/* Wide files get shorter batches so that the fixed-width buffers of one batch (about 13 bytes
 * per cell: value, offset, validity) stay near this size. */
#define BATCH_CELLS_LIMIT_BYTES ((size_t)128 << 20)

/** A pass over the data rows: sample for types, check the rest after a widening, or build. */
typedef enum pass_mode { MODE_INFER, MODE_CHECK, MODE_BUILD } pass_mode;
/** What became of one record. */
typedef enum row_status { ROW_OK, ROW_SKIP, ROW_WIDEN, ROW_FAIL } row_status;

/** The state of one csv_read_table call; every pointer member is owned by it except `data`,
 * `opt`, `sink` and `res` (the caller's). */
typedef struct table {
  const uint8_t *data;
  size_t size_bytes;
  const csv_options *opt;
  const csv_sink *sink;
  csv_result *res;
  csv_reader reader;
  size_t data_start;
  uint64_t data_start_line;
  size_t n_columns;
  char **names;
  csv_kind *kinds;
  bool *forced;
  csv_column_buffers *cols;
  csv_out_column *out;
  csv_value *values;
  uint8_t *is_null;
  size_t max_null_token_bytes;
  /* Fast rejection for null tokens: is "" a token, and which bytes start a longer one. */
  bool empty_is_null;
  bool null_token_starts[256];
  size_t rows_capacity;
  /* opt->batch_size_rows, lowered for wide files (see BATCH_CELLS_LIMIT_BYTES). */
  size_t batch_size_rows;
  int64_t batch_rows;
  size_t batch_data_bytes;
  int status; /* error code once a row failed */
} table;


/** Writes "line L, column C" for byte `offset` on physical line `line`, naming the record's
 * first line when the spot is on a later one. */
void csv_format_position(const table *t, size_t offset, uint64_t line, char *buf, size_t cap);

/** Reports a malformed row: in fail mode fills res->error, sets t->status and returns
 * ROW_FAIL; in skip mode counts it (while building) and returns ROW_SKIP. */
row_status csv_row_error(table *t, pass_mode mode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Checks the reader's current record against the columns and parses its values into
 * t->values and t->is_null. A value that does not fit an inferred kind widens the column;
 * in MODE_BUILD the row then reports ROW_WIDEN. */
row_status csv_check_row(table *t, pass_mode mode);

#endif /* CSV_TABLE_INTERNAL_H */
