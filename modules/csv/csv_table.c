/* csv_table.c — CSV chunks to typed column batches: the table's life (open, feed, end,
 * free) and the pending bytes between chunks; the phases are in csv_phase.c. See
 * csv_table.h. */
#include "csv_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_column.h"
#include "csv_names.h"
#include "csv_table_internal.h"

/* Pending buffers start at this size and double. */
#define PENDING_MIN_CAPACITY_BYTES ((size_t)64 << 10)

/* Appends `n` bytes to the pending buffer (growing it geometrically); ENOMEM ends the table. */
static int pending_append(table *t, const uint8_t *data, size_t n) {
  if (n > SIZE_MAX / 2 - t->pending_size_bytes) return csv_out_of_memory(t, "a record");
  size_t need = t->pending_size_bytes + n;
  if (need > t->pending_capacity_bytes) {
    size_t cap = t->pending_capacity_bytes ? t->pending_capacity_bytes : PENDING_MIN_CAPACITY_BYTES;
    while (cap < need) cap *= 2;
    uint8_t *grown = realloc(t->pending, cap);
    if (!grown) return csv_out_of_memory(t, "a record");
    t->pending = grown;
    t->pending_capacity_bytes = cap;
  }
  if (n) memcpy(t->pending + t->pending_size_bytes, data, n);
  t->pending_size_bytes = need;
  return 0;
}

/* Drops the first `n` pending bytes; the rest starts on physical line `line`. */
static void pending_consume(table *t, size_t n, uint64_t line) {
  if (n > 0) {
    memmove(t->pending, t->pending + n, t->pending_size_bytes - n);
    t->pending_size_bytes -= n;
  }
  t->pending_line = line;
}

/* Where the first record not yet read starts in the pending bytes. */
static size_t pending_record_start(const table *t) {
  return t->phase == PHASE_SAMPLE ? t->sample_pos : 0;
}

/* After reading a window: the pending bytes now start at what the window still needs.
 * A stalled record is read again once as many bytes again have arrived after it. */
static void after_window(table *t, const csv_window *w) {
  t->pending_line = w->start_line;
  if (t->phase == PHASE_SAMPLE) t->sample_pos -= w->start;
  t->retry_bytes = 2 * (t->pending_size_bytes - pending_record_start(t));
}

/* Skips a UTF-8 byte-order mark at the start of the input (`*data`, `*size_bytes`). */
static void skip_bom(table *t, const uint8_t **data, size_t *size_bytes) {
  const uint8_t *p = *data;
  if (*size_bytes >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    *data += 3;
    *size_bytes -= 3;
  }
  t->bom_checked = true;
}

/* Reads the pending bytes. */
static int process_pending(table *t, bool final) {
  if (!t->bom_checked) {
    if (t->pending_size_bytes < 3 && !final) return 0;
    const uint8_t *data = t->pending;
    size_t size = t->pending_size_bytes;
    skip_bom(t, &data, &size);
    pending_consume(t, t->pending_size_bytes - size, 1);
  }
  csv_window w = {t->pending, t->pending_size_bytes, 0, t->pending_line};
  int rc = csv_read_window(t, &w, final);
  if (rc) return rc;
  pending_consume(t, w.start, w.start_line);
  after_window(t, &w);
  return 0;
}

/* Reads the pending bytes if enough have arrived since the last stall. */
static int process_if_due(table *t) {
  if (t->pending_size_bytes - pending_record_start(t) < t->retry_bytes) return 0;
  return process_pending(t, false);
}

/* With nothing pending: reads the chunk in place and keeps what it does not complete. */
static int feed_in_place(table *t, const uint8_t *data, size_t size_bytes) {
  if (!t->bom_checked) skip_bom(t, &data, &size_bytes);
  csv_window w = {data, size_bytes, 0, t->pending_line};
  int rc = csv_read_window(t, &w, false);
  if (!rc) rc = pending_append(t, data + w.start, size_bytes - w.start);
  if (rc) return rc;
  after_window(t, &w);
  /* The building record was cut by the chunk's end: its next line will complete it. */
  if (t->phase == PHASE_BUILD) t->retry_bytes = 0;
  return 0;
}

/* Offset after the first line break (LF, CRLF or CR) in `data`, or `size_bytes`. */
static size_t first_line_end(const uint8_t *data, size_t size_bytes) {
  for (size_t i = 0; i < size_bytes; i++) {
    if (data[i] == '\n') return i + 1;
    if (data[i] == '\r') return i + 1 < size_bytes && data[i + 1] == '\n' ? i + 2 : size_bytes;
  }
  return size_bytes;
}

static int finished_status(table *t) {
  if (t->status) return t->status;
  snprintf(t->res->error, sizeof t->res->error, "the table has already ended");
  return EINVAL;
}

int csv_table_feed(table *t, const uint8_t *data, size_t size_bytes) {
  if (t->phase == PHASE_DONE) return finished_status(t);
  if (size_bytes == 0) return 0;
  /* A byte-order mark is only known with 3 bytes; sampled rows are kept together. */
  if ((!t->bom_checked && size_bytes < 3) ||
      (t->pending_size_bytes > 0 && t->phase != PHASE_BUILD)) {
    int rc = pending_append(t, data, size_bytes);
    return rc ? rc : process_if_due(t);
  }
  if (t->pending_size_bytes > 0) {
    /* Complete the pending record with the chunk's first line, then read the rest in place;
     * a record longer than a line (quoted line breaks) keeps gathering. */
    size_t offset = first_line_end(data, size_bytes);
    int rc = pending_append(t, data, offset);
    if (!rc) rc = process_if_due(t);
    if (rc) return rc;
    if (t->pending_size_bytes > 0) {
      rc = pending_append(t, data + offset, size_bytes - offset);
      return rc ? rc : process_if_due(t);
    }
    data += offset;
    size_bytes -= offset;
  }
  return feed_in_place(t, data, size_bytes);
}

int csv_table_end(table *t) {
  if (t->phase == PHASE_DONE) return finished_status(t);
  return process_pending(t, true);
}

int csv_table_open(const csv_options *options, const csv_sink *sink, csv_result *res,
                   table **out) {
  memset(res, 0, sizeof *res);
  *out = NULL;
  if (options->batch_size_rows == 0) {
    snprintf(res->error, sizeof res->error, "batchSizeRows must be at least 1");
    return EINVAL;
  }
  const csv_dialect *d = &options->dialect;
  if (d->delimiter == '\n' || d->delimiter == '\r' || (int)d->delimiter == d->quote ||
      (int)d->delimiter == d->escape || d->quote == '\n' || d->quote == '\r') {
    snprintf(res->error, sizeof res->error,
             "the delimiter must differ from the quote and escape characters and from line breaks");
    return EINVAL;
  }
  table *t = calloc(1, sizeof *t);
  if (!t) {
    snprintf(res->error, sizeof res->error, "out of memory");
    return ENOMEM;
  }
  t->opt = options;
  t->sink = sink;
  t->res = res;
  t->pending_line = 1;
  t->sample_line = 1;
  t->phase = options->header ? PHASE_HEADER : PHASE_SAMPLE;
  csv_reader_init(&t->reader, *d);
  for (size_t i = 0; i < options->n_null_tokens; i++) {
    const csv_bytes *tok = &options->null_tokens[i];
    if (tok->size_bytes > t->max_null_token_bytes) t->max_null_token_bytes = tok->size_bytes;
    if (tok->size_bytes == 0) t->empty_is_null = true;
    else t->null_token_starts[tok->data[0]] = true;
  }
  *out = t;
  return 0;
}

void csv_table_free(table *t) {
  if (!t) return;
  csv_reader_free(&t->reader);
  if (t->names) csv_names_free(t->names, t->n_columns);
  if (t->cols) {
    for (size_t j = 0; j < t->n_columns; j++) csv_column_buffers_free(&t->cols[j]);
  }
  free(t->kinds);
  free(t->forced);
  free(t->cols);
  free(t->out);
  free(t->values);
  free(t->is_null);
  free(t->pending);
  free(t);
}

int csv_read_table(const uint8_t *data, size_t size_bytes, const csv_options *options,
                   const csv_sink *sink, csv_result *res) {
  table *t = NULL;
  int rc = csv_table_open(options, sink, res, &t);
  if (!rc) rc = csv_table_feed(t, data, size_bytes);
  if (!rc) rc = csv_table_end(t);
  csv_table_free(t);
  return rc;
}
