/* csv_table.c — CSV chunks to typed column batches: the phases (header, sample, build) and
 * the pending bytes between chunks; see csv_table.h. */
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

/* Ends the table with error `status` (res->error or the sink holds the message). */
static int stop(table *t, int status) {
  t->phase = PHASE_DONE;
  t->status = status;
  return status;
}

static int out_of_memory(table *t, const char *what) {
  snprintf(t->res->error, sizeof t->res->error, "out of memory for %s", what);
  return stop(t, ENOMEM);
}

static int pending_append(table *t, const uint8_t *data, size_t n) {
  if (n > SIZE_MAX / 2 - t->pending_size_bytes) return out_of_memory(t, "a record");
  size_t need = t->pending_size_bytes + n;
  if (need > t->pending_capacity_bytes) {
    size_t cap = t->pending_capacity_bytes ? t->pending_capacity_bytes : PENDING_MIN_CAPACITY_BYTES;
    while (cap < need) cap *= 2;
    uint8_t *grown = realloc(t->pending, cap);
    if (!grown) return out_of_memory(t, "a record");
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

/* Allocates the per-column arrays for `n` columns. */
static int alloc_columns(table *t, size_t n) {
  t->n_columns = n;
  size_t m = n ? n : 1;
  t->kinds = calloc(m, sizeof *t->kinds);
  t->forced = calloc(m, sizeof *t->forced);
  t->cols = calloc(m, sizeof *t->cols);
  t->out = calloc(m, sizeof *t->out);
  t->values = calloc(m, sizeof *t->values);
  t->is_null = calloc(m, sizeof *t->is_null);
  if (!t->kinds || !t->forced || !t->cols || !t->out || !t->values || !t->is_null) {
    snprintf(t->res->error, sizeof t->res->error, "out of memory for %zu columns", n);
    return stop(t, ENOMEM);
  }
  return 0;
}

/* Applies options->column_types; EINVAL for a name the file does not have. */
static int apply_column_types(table *t) {
  for (size_t i = 0; i < t->opt->n_column_types; i++) {
    const csv_column_type *ct = &t->opt->column_types[i];
    size_t j = 0;
    while (j < t->n_columns && strcmp(t->names[j], ct->name) != 0) j++;
    if (j == t->n_columns) {
      snprintf(t->res->error, sizeof t->res->error,
               "columnTypes names column \"%.100s\", which the file does not have", ct->name);
      return stop(t, EINVAL);
    }
    t->kinds[j] = ct->kind;
    t->forced[j] = true;
  }
  return 0;
}

/* Sets the columns: `n` of them, named from the header record `fields` or generated. */
static int set_columns(table *t, size_t n, const csv_field *fields) {
  int rc = alloc_columns(t, n);
  if (rc) return rc;
  t->names = fields ? csv_names_from_header(fields, n) : csv_names_generated(n);
  if (!t->names) return out_of_memory(t, "column names");
  t->columns_known = true;
  t->res->n_columns = (int64_t)n;
  rc = apply_column_types(t);
  if (rc) return rc;
  /* Without a header, a parse error before the first good record is the input's first
   * error: in fail mode it is the one reported. */
  if (t->early_status && !t->opt->skip_bad_rows) {
    memcpy(t->res->error, t->early_error, sizeof t->res->error);
    return stop(t, t->early_status);
  }
  return 0;
}

/* Reports a record the tokenizer rejected (see csv_row_error). */
static int parse_error(table *t, pass_mode mode, const csv_parse_error *perr) {
  if (perr->status == CSV_PARSE_NO_MEMORY) {
    snprintf(t->res->error, sizeof t->res->error, "out of memory while parsing line %llu",
             (unsigned long long)perr->line);
    return stop(t, ENOMEM);
  }
  char where[160];
  csv_format_position(t, perr->offset, perr->line, where, sizeof where);
  if (!t->columns_known) {
    if (!t->early_status) {
      snprintf(t->early_error, sizeof t->early_error, "%s: %s", where,
               csv_parse_status_text(perr->status));
      t->early_status = EINVAL;
    }
    return 0;
  }
  if (csv_row_error(t, mode, "%s: %s", where, csv_parse_status_text(perr->status)) == ROW_FAIL) {
    return stop(t, t->status);
  }
  return 0;
}

/* Reads the header record from the pending bytes; the data rows then start at pending[0]. */
static int read_header(table *t, bool final) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, t->pending, t->pending_size_bytes, 0, t->pending_line, final);
  csv_parse_error perr;
  int rc = csv_reader_next(r, &perr);
  if (rc == CSV_NEED_MORE) return 0;
  if (rc < 0) {
    char where[160];
    csv_format_position(t, perr.offset, perr.line, where, sizeof where);
    snprintf(t->res->error, sizeof t->res->error, "header: %s: %s", where,
             csv_parse_status_text(perr.status));
    return stop(t, perr.status == CSV_PARSE_NO_MEMORY ? ENOMEM : EINVAL);
  }
  rc = set_columns(t, rc == 0 ? 0 : r->n_fields, r->fields);
  if (rc) return rc;
  pending_consume(t, r->pos, r->line);
  t->sample_pos = 0;
  t->sample_line = t->pending_line;
  t->phase = PHASE_SAMPLE;
  return 0;
}

/* Fixes the schema after the sample and sends it; the build phase then reads the pending
 * bytes (the sampled rows) again from their start. */
static int fix_schema(table *t) {
  if (!t->columns_known) {
    int rc = set_columns(t, 0, NULL);
    if (rc) return rc;
  }
  for (size_t j = 0; j < t->n_columns; j++) {
    if (t->kinds[j] == CSV_KIND_NULL) t->kinds[j] = CSV_KIND_UTF8;
  }
  if (t->n_columns > 0) {
    size_t wide_rows = BATCH_CELLS_LIMIT_BYTES / (13 * t->n_columns);
    t->batch_size_rows = t->opt->batch_size_rows;
    if (t->batch_size_rows > wide_rows) t->batch_size_rows = wide_rows > 0 ? wide_rows : 1;
  }
  int rc = csv_batch_begin(t);
  if (rc) return stop(t, rc);
  /* No columns: nothing of the input could be read as a record. */
  t->phase = t->n_columns == 0 ? PHASE_DONE : PHASE_BUILD;
  return 0;
}

/* Classifies the pending records from t->sample_pos until the sample is full. */
static int sample(table *t, bool final) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, t->pending, t->pending_size_bytes, t->sample_pos, t->sample_line,
                       final);
  for (;;) {
    csv_parse_error perr;
    int rc = csv_reader_next(r, &perr);
    if (rc == CSV_NEED_MORE) break;
    if (rc == 0) return fix_schema(t);
    if (rc < 0) {
      rc = parse_error(t, MODE_INFER, &perr);
      if (rc) return rc;
      continue;
    }
    if (!t->columns_known) {
      rc = set_columns(t, r->n_fields, NULL);
      if (rc) return rc;
    }
    row_status st = csv_check_row(t, MODE_INFER);
    if (st == ROW_FAIL) return stop(t, t->status);
    if (st == ROW_OK && ++t->res->n_sample_rows == (int64_t)t->opt->infer_rows) {
      return fix_schema(t);
    }
  }
  t->sample_pos = r->pos;
  t->sample_line = r->line;
  return 0;
}

/* Reads the records of `size_bytes` bytes at `data` (from a record start on physical line
 * `line`) into batches. `*out_consumed` and `*out_line`: where the first record not
 * complete in them starts. */
static int build(table *t, const uint8_t *data, size_t size_bytes, uint64_t line, bool final,
                 size_t *out_consumed, uint64_t *out_line) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, data, size_bytes, 0, line, final);
  for (;;) {
    csv_parse_error perr;
    int rc = csv_reader_next(r, &perr);
    if (rc == CSV_NEED_MORE) break;
    if (rc == 0) {
      rc = csv_batch_flush(t);
      if (rc) return stop(t, rc);
      t->phase = PHASE_DONE;
      break;
    }
    if (rc < 0) {
      rc = parse_error(t, MODE_BUILD, &perr);
      if (rc) return rc;
      continue;
    }
    row_status st = csv_check_row(t, MODE_BUILD);
    if (st == ROW_FAIL) return stop(t, t->status);
    if (st == ROW_SKIP) continue;
    rc = csv_batch_append_row(t);
    if (rc) return stop(t, rc);
  }
  *out_consumed = r->pos;
  *out_line = r->line;
  return 0;
}

/* Where the first record not yet read starts in the pending bytes. */
static size_t pending_record_start(const table *t) {
  return t->phase == PHASE_SAMPLE ? t->sample_pos : 0;
}

/* Reads what the pending bytes hold, phase after phase. */
static int process_pending(table *t, bool final) {
  if (!t->bom_checked) {
    if (t->pending_size_bytes < 3 && !final) return 0;
    const uint8_t *p = t->pending;
    if (t->pending_size_bytes >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
      pending_consume(t, 3, 1);
    }
    t->bom_checked = true;
  }
  int rc = 0;
  if (t->phase == PHASE_HEADER) rc = read_header(t, final);
  if (!rc && t->phase == PHASE_SAMPLE) rc = sample(t, final);
  if (!rc && t->phase == PHASE_BUILD) {
    size_t consumed = 0;
    uint64_t line = 0;
    rc = build(t, t->pending, t->pending_size_bytes, t->pending_line, final, &consumed, &line);
    if (!rc) pending_consume(t, consumed, line);
  }
  /* A stalled record is read again once as many bytes again have arrived after it. */
  if (!rc) t->retry_bytes = 2 * (t->pending_size_bytes - pending_record_start(t));
  return rc;
}

/* Reads the pending bytes if enough have arrived since the last stall. */
static int process_if_due(table *t) {
  if (t->pending_size_bytes - pending_record_start(t) < t->retry_bytes) return 0;
  return process_pending(t, false);
}

/* Offset after the first line break (LF, CRLF or CR) in `data`, or `size_bytes`. */
static size_t first_line_end(const uint8_t *data, size_t size_bytes) {
  for (size_t i = 0; i < size_bytes; i++) {
    if (data[i] == '\n') return i + 1;
    if (data[i] == '\r') return i + 1 < size_bytes && data[i + 1] == '\n' ? i + 2 : size_bytes;
  }
  return size_bytes;
}

/* In the build phase: completes the pending record with the chunk's first line, then reads
 * the rest of the chunk in place, keeping only its incomplete last record. */
static int feed_build(table *t, const uint8_t *data, size_t size_bytes) {
  size_t offset = 0;
  if (t->pending_size_bytes > 0) {
    offset = first_line_end(data, size_bytes);
    int rc = pending_append(t, data, offset);
    if (!rc) rc = process_if_due(t);
    if (rc) return rc;
    if (t->pending_size_bytes > 0) {
      /* A record longer than a line (quoted line breaks): keep gathering. */
      rc = pending_append(t, data + offset, size_bytes - offset);
      return rc ? rc : process_if_due(t);
    }
  }
  size_t consumed = 0;
  uint64_t line = 0;
  int rc = build(t, data + offset, size_bytes - offset, t->pending_line, false, &consumed, &line);
  if (rc) return rc;
  t->pending_line = line;
  t->retry_bytes = 0;
  return pending_append(t, data + offset + consumed, size_bytes - offset - consumed);
}

static int finished_status(table *t) {
  if (t->status) return t->status;
  snprintf(t->res->error, sizeof t->res->error, "the table has already ended");
  return EINVAL;
}

int csv_table_feed(table *t, const uint8_t *data, size_t size_bytes) {
  if (t->phase == PHASE_DONE) return finished_status(t);
  if (size_bytes == 0) return 0;
  if (t->phase == PHASE_BUILD) return feed_build(t, data, size_bytes);
  int rc = pending_append(t, data, size_bytes);
  return rc ? rc : process_if_due(t);
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
