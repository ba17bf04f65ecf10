/*
 * csv_table.h — CSV bytes to typed columns, batch by batch: header, type inference with
 * widening, per-column forced types, null tokens, row errors (fail or skip).
 *
 * How types are found: the first `infer_rows` rows are classified (csv_value.h) and each
 * column gets the join of its values' kinds. While the file is then parsed, a value that does
 * not fit its inferred kind widens the column: the rest of the file is only classified, the
 * sink is told to discard what it received (reset), and the file is parsed again with the
 * widened kinds. So the result equals inference over every row, and no value is ever
 * silently coerced. A column with no non-null value is utf8.
 *
 * Pure: no I/O and no global state; output goes to the caller's csv_sink.
 */
#ifndef CSV_TABLE_H
#define CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv_parse.h"
#include "csv_value.h"

/** A byte string, borrowed. */
typedef struct csv_bytes {
  const uint8_t *data;
  size_t size_bytes;
} csv_bytes;

/** A forced column type: `name` (NUL-terminated, borrowed) must be a column of the file. */
typedef struct csv_column_type {
  const char *name;
  csv_kind kind; /* BOOL, INT64, FLOAT64, DATE32, TIMESTAMP or UTF8 */
} csv_column_type;

/** Everything the caller chooses. Arrays are borrowed for the duration of csv_read_table. */
typedef struct csv_options {
  bool header;
  csv_dialect dialect;
  /** Unquoted fields equal to one of these are null. */
  const csv_bytes *null_tokens;
  size_t n_null_tokens;
  /** Rows sampled before parsing; 0 = every row. */
  size_t infer_rows;
  const csv_column_type *column_types;
  size_t n_column_types;
  /** Skip malformed rows (and count them) instead of failing. */
  bool skip_bad_rows;
  /** Most rows per batch (at least 1); lowered for very wide files so that one batch's
   * fixed-width buffers stay near 128 MiB. */
  size_t batch_size_rows;
} csv_options;

/** One output column as the sink sees it: a name and an Arrow layout (see csv_column.h). */
typedef struct csv_out_column {
  /** NUL-terminated valid UTF-8, borrowed for the whole call. */
  const char *name;
  /** Never CSV_KIND_NULL. TIMESTAMP and TIMESTAMP_TZ are microseconds, the latter in UTC. */
  csv_kind kind;
  /** Buffers (NULL in `begin`): borrowed until the callback returns. */
  int64_t null_count;
  const uint8_t *validity;
  const void *values;
  const int32_t *offsets;
  const uint8_t *data;
  int64_t data_size_bytes;
} csv_out_column;

/**
 * Where the table goes. Each callback returns 0, or non-zero to stop csv_read_table (which
 * then returns that value and leaves the message to the sink).
 */
typedef struct csv_sink {
  void *ctx;
  /** The schema, before any batch (and again after `reset`). */
  int (*begin)(void *ctx, const csv_out_column *columns, size_t n_columns);
  /** One batch of `n_rows` rows (at least 1). */
  int (*batch)(void *ctx, const csv_out_column *columns, size_t n_columns, int64_t n_rows);
  /** Forget everything since `begin`: a column was widened and parsing starts again. */
  int (*reset)(void *ctx);
} csv_sink;

/** How many skipped-row messages csv_result keeps. */
#define CSV_KEPT_MESSAGES 10
/** Size of each message, in bytes with the NUL. */
#define CSV_MESSAGE_SIZE_BYTES 320

/** What happened. Plain value owned by the caller. */
typedef struct csv_result {
  int64_t n_rows;
  int64_t n_columns;
  int64_t n_batches;
  /** Rows skipped as malformed (skip mode), and the first messages about them. */
  int64_t n_skipped_rows;
  int n_kept_messages;
  char kept_messages[CSV_KEPT_MESSAGES][CSV_MESSAGE_SIZE_BYTES];
  /** Text fields in which invalid UTF-8 bytes were replaced by U+FFFD. */
  int64_t n_replaced_text_fields;
  /** Times the file was parsed again after a column was widened. */
  int n_reparses;
  /** When csv_read_table fails with EINVAL/ENOMEM: what and where. */
  char error[CSV_MESSAGE_SIZE_BYTES];
} csv_result;

/**
 * Parses `size_bytes` bytes at `data` (borrowed; a leading UTF-8 BOM is skipped) and sends
 * the table to `sink`. Returns 0; EINVAL for malformed data in fail mode, a bad header or bad
 * options (res->error names line, column, field and value where they apply); ENOMEM; or
 * what a sink callback returned.
 */
int csv_read_table(const uint8_t *data, size_t size_bytes, const csv_options *options,
                   const csv_sink *sink, csv_result *res);

#endif /* CSV_TABLE_H */
