/*
 * csv_table.h — CSV bytes to typed columns, batch by batch, fed in chunks: header, type
 * inference, per-column forced types, null tokens, row errors (fail or skip).
 *
 * Streaming: csv_table_feed takes the input in chunks split anywhere (inside a quoted field,
 * a line, a UTF-8 character or a CRLF); the table keeps only the bytes of a record not yet
 * complete, plus the rows of the inference sample until the schema is fixed. Each record
 * batch goes to the sink as soon as it is full.
 *
 * How types are found (as DuckDB's read_csv does with its sample_size): the first
 * `infer_rows` data rows (all rows when 0, or when the input is shorter) are buffered and
 * classified (csv_value.h); each column gets the join of its values' kinds, and a column with
 * no non-null value in the sample is utf8. The schema is then fixed. A later value that does
 * not fit its column's type is a row error (fail, or skip and count it) whose message names
 * the line, column, value and inferred type, and suggests a larger inferRows or a forced
 * type: the batches already sent cannot be taken back, and no value is ever silently coerced.
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

/** Everything the caller chooses. Arrays are borrowed until the table is freed. */
typedef struct csv_options {
  bool header;
  csv_dialect dialect;
  /** Unquoted fields equal to one of these are null. */
  const csv_bytes *null_tokens;
  size_t n_null_tokens;
  /** Data rows buffered and sampled for types before the schema is fixed; 0 = every row
   * (the whole input is then held in memory until its end). */
  size_t infer_rows;
  const csv_column_type *column_types;
  size_t n_column_types;
  /** Skip malformed rows (and count them) instead of failing. */
  bool skip_bad_rows;
  /** strptime-style formats (modules/sdk/strtime.h) of dates and timestamps, tried before
   * ISO 8601 in inference and parsing; NULL: ISO 8601 only. A timestamp format with %z makes
   * a UTC-zoned column. */
  const char *date_format;
  const char *timestamp_format;
  /** Most rows per batch (at least 1). A batch also ends before 16 MiB of text, and wide
   * files get fewer rows so that one batch's fixed-width buffers stay near 16 MiB. */
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
 * Where the table goes. Each callback returns 0, or non-zero to stop the table (the feed or
 * end call returns that value and leaves the message to the sink).
 */
typedef struct csv_sink {
  void *ctx;
  /** The schema, once, before any batch. */
  int (*begin)(void *ctx, const csv_out_column *columns, size_t n_columns);
  /** One batch of `n_rows` rows (at least 1). */
  int (*batch)(void *ctx, const csv_out_column *columns, size_t n_columns, int64_t n_rows);
} csv_sink;

/** How many skipped-row messages csv_result keeps. */
#define CSV_KEPT_MESSAGES 10
/** Size of each message, in bytes with the NUL. */
#define CSV_MESSAGE_SIZE_BYTES 512

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
  /** Data rows in the inference sample (at most options.infer_rows unless that is 0). */
  int64_t n_sample_rows;
  /** When a call fails with EINVAL/ENOMEM: what and where. */
  char error[CSV_MESSAGE_SIZE_BYTES];
} csv_result;

/** A table being read (opaque). */
typedef struct csv_table csv_table;

/**
 * Starts reading a table with `options`, `sink` and `res` (all borrowed until
 * csv_table_free; `res` is zeroed and filled as rows go). Returns 0 with `*out` owned by the
 * caller, EINVAL for bad options or ENOMEM, with res->error saying what.
 */
int csv_table_open(const csv_options *options, const csv_sink *sink, csv_result *res,
                   csv_table **out);

/**
 * Feeds the next `size_bytes` bytes of the input (borrowed for the call only; a leading
 * UTF-8 BOM of the whole input is skipped). Returns 0; EINVAL for malformed data in fail
 * mode or a bad header (res->error names line, column, field and value where they apply);
 * ENOMEM; or what a sink callback returned. After an error the table only accepts
 * csv_table_free.
 */
int csv_table_feed(csv_table *table, const uint8_t *data, size_t size_bytes);

/** Ends the input: reads the last record, fixes the schema if the sample was not full yet
 * and sends the last batch. Returns as csv_table_feed. */
int csv_table_end(csv_table *table);

/** Frees the table and everything it owns. NULL is ignored. */
void csv_table_free(csv_table *table);

/** The whole input at once: open, one feed, end, free. Returns as csv_table_feed. */
int csv_read_table(const uint8_t *data, size_t size_bytes, const csv_options *options,
                   const csv_sink *sink, csv_result *res);

#endif /* CSV_TABLE_H */
