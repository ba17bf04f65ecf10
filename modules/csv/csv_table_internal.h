/*
 * csv_table_internal.h — state shared by csv_table.c (chunks), csv_phase.c (header, sample,
 * build), csv_batch.c (batches) and csv_row.c (checking one record). Private to the csv
 * module.
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
 * overflow and the module's memory stays bounded while streaming: one batch, plus its copy in
 * the IPC writer, plus one chunk and one pending record. */
#define BATCH_DATA_LIMIT_BYTES ((size_t)16 << 20)

/* Wide files get shorter batches so that the fixed-width buffers of one batch (about 13 bytes
 * per cell: value, offset, validity) stay near this size (same reason). */
#define BATCH_CELLS_LIMIT_BYTES ((size_t)16 << 20)

/** How a record is checked: while sampling for types (kinds may widen), or while building
 * batches (kinds are fixed). */
typedef enum pass_mode { MODE_INFER, MODE_BUILD } pass_mode;
/** What became of one record. */
typedef enum row_status { ROW_OK, ROW_SKIP, ROW_FAIL } row_status;

/** Where the table is in its input. */
typedef enum table_phase {
  PHASE_HEADER, /* waiting for the header record */
  PHASE_SAMPLE, /* buffering and classifying the first data rows */
  PHASE_BUILD,  /* schema fixed: rows go to batches as they come */
  PHASE_DONE,   /* ended, or failed */
} table_phase;

/** The state of one table; every pointer member is owned by it except `opt`, `sink` and
 * `res` (the caller's). */
struct csv_table {
  const csv_options *opt;
  const csv_sink *sink;
  csv_result *res;
  csv_reader reader;
  table_phase phase;
  bool bom_checked;
  /* Input not yet consumed, starting at a record boundary: the record cut by the last chunk,
   * or (while sampling) every data row since the header. */
  uint8_t *pending;
  size_t pending_size_bytes;
  size_t pending_capacity_bytes;
  /* Physical line of pending[0]. */
  uint64_t pending_line;
  /* While sampling: offset in `pending` of the next record to classify, and its line. */
  size_t sample_pos;
  uint64_t sample_line;
  /* Read again only when this many bytes wait past the incomplete record's start, so that
   * a record spanning many chunks is rescanned a logarithmic number of times. */
  size_t retry_bytes;
  /* Without a header, the first parse error seen before any record set the column count
   * (reported in fail mode once that count is known, as the first error of the input). */
  int early_status;
  char early_error[CSV_MESSAGE_SIZE_BYTES];
  bool columns_known;
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
};
typedef struct csv_table table;

/** Writes "line L, column C" for byte `offset` on physical line `line`, naming the record's
 * first line when the spot is on a later one. */
void csv_format_position(const table *t, size_t offset, uint64_t line, char *buf, size_t cap);

/** Reports a malformed row: in fail mode fills res->error, sets t->status and returns
 * ROW_FAIL; in skip mode counts it (while building: sampled rows are read again then) and
 * returns ROW_SKIP. */
row_status csv_row_error(table *t, pass_mode mode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Checks the reader's current record against the columns and parses its values into
 * t->values and t->is_null. In MODE_INFER a value that does not fit a column's kind widens
 * it; in MODE_BUILD it is a row error. */
row_status csv_check_row(table *t, pass_mode mode);

/** The bytes being read: the pending buffer, or a chunk read in place. `start` is the first
 * byte still needed (a record boundary, on physical line `start_line`): the record not yet
 * complete, or while sampling the first data row. */
typedef struct csv_window {
  const uint8_t *base;
  size_t size_bytes;
  size_t start;
  uint64_t start_line;
} csv_window;

/** Reads what the window holds, phase after phase (header, sample, build), moving
 * w->start past what is no longer needed. Returns 0 or the table's error (see csv_stop). */
int csv_read_window(table *t, csv_window *w, bool final);

/** Ends the table with error `status` (res->error or the sink holds the message); returns
 * `status`. */
int csv_stop(table *t, int status);

/** Fills res->error with "out of memory for <what>" and ends the table with ENOMEM. */
int csv_out_of_memory(table *t, const char *what);

/** Empties the batch for the fixed kinds (keeping its memory). */
void csv_batch_clear(table *t);

/** Sends the schema to the sink (columns fixed, NULL kinds already utf8). */
int csv_batch_begin(table *t);

/** Appends the checked row in t->values/t->is_null to the batch, flushing a full batch. */
int csv_batch_append_row(table *t);

/** Sends the batch to the sink if it holds rows. */
int csv_batch_flush(table *t);

#endif /* CSV_TABLE_INTERNAL_H */
