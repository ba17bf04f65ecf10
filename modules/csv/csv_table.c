/* csv_table.c — CSV bytes to typed column batches; see csv_table.h. */
#include "csv_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_column.h"
#include "csv_names.h"
#include "csv_table_internal.h"

static void fill_out_column(table *t, size_t j, bool with_buffers) {
  csv_out_column *o = &t->out[j];
  const csv_column_buffers *c = &t->cols[j];
  o->name = t->names[j];
  o->kind = t->kinds[j] == CSV_KIND_NULL ? CSV_KIND_UTF8 : t->kinds[j];
  o->null_count = with_buffers ? c->null_count : 0;
  o->validity = with_buffers && c->null_count ? c->validity : NULL;
  o->values = with_buffers && o->kind != CSV_KIND_UTF8 ? c->values : NULL;
  o->offsets = with_buffers && o->kind == CSV_KIND_UTF8 ? c->offsets : NULL;
  o->data = with_buffers && o->kind == CSV_KIND_UTF8 ? c->data : NULL;
  o->data_size_bytes = with_buffers && o->kind == CSV_KIND_UTF8 ? (int64_t)c->data_size_bytes : 0;
}

static void clear_batch(table *t) {
  for (size_t j = 0; j < t->n_columns; j++) {
    csv_column_clear(&t->cols[j], t->kinds[j] == CSV_KIND_NULL ? CSV_KIND_UTF8 : t->kinds[j]);
  }
  t->batch_rows = 0;
  t->batch_data_bytes = 0;
}

static int flush(table *t) {
  if (t->batch_rows == 0) return 0;
  for (size_t j = 0; j < t->n_columns; j++) fill_out_column(t, j, true);
  int rc = t->sink->batch(t->sink->ctx, t->out, t->n_columns, t->batch_rows);
  if (rc) return rc;
  t->res->n_batches++;
  t->res->n_rows += t->batch_rows;
  clear_batch(t);
  return 0;
}

/* Appends the checked row in t->values/t->is_null to the batch. */
static int append_row(table *t) {
  const csv_reader *r = &t->reader;
  size_t text_bound = 0; /* bytes the row's text may take, with U+FFFD replacements */
  for (size_t j = 0; j < t->n_columns; j++) {
    if (!t->is_null[j] && t->cols[j].kind == CSV_KIND_UTF8) text_bound += r->fields[j].size_bytes * 3;
  }
  if (text_bound > (size_t)INT32_MAX / 2) {
    char where[160];
    csv_format_position(t, r->fields[0].offset, r->record_line, where, sizeof where);
    return csv_row_error(t, MODE_BUILD, "%s: record holds more than 1 GiB of text", where) ==
                   ROW_SKIP
               ? 0
               : t->status;
  }
  if (t->batch_rows > 0 && t->batch_data_bytes + text_bound > BATCH_DATA_LIMIT_BYTES) {
    int rc = flush(t);
    if (rc) return rc;
  }
  if ((size_t)t->batch_rows + 1 > t->rows_capacity) {
    size_t cap = t->rows_capacity ? t->rows_capacity * 2 : 64;
    if (cap > t->batch_size_rows) cap = t->batch_size_rows;
    for (size_t j = 0; j < t->n_columns; j++) {
      if (!csv_column_reserve(&t->cols[j], cap)) {
        snprintf(t->res->error, sizeof t->res->error, "out of memory for %zu rows", cap);
        return ENOMEM;
      }
    }
    t->rows_capacity = cap;
  }
  for (size_t j = 0; j < t->n_columns; j++) {
    csv_column_buffers *c = &t->cols[j];
    if (t->is_null[j]) {
      csv_column_append_null(c);
    } else if (c->kind == CSV_KIND_UTF8) {
      size_t before = c->data_size_bytes;
      int rc = csv_column_append_text(c, r->fields[j].data, r->fields[j].size_bytes);
      if (rc < 0) {
        snprintf(t->res->error, sizeof t->res->error, "out of memory for text of column \"%s\"",
                 t->names[j]);
        return ENOMEM;
      }
      t->res->n_replaced_text_fields += rc;
      t->batch_data_bytes += c->data_size_bytes - before;
    } else {
      csv_column_append_value(c, t->values[j]);
    }
  }
  t->batch_rows++;
  if ((size_t)t->batch_rows >= t->batch_size_rows) return flush(t);
  return 0;
}

/*
 * One pass over the data rows. MODE_INFER stops after opt->infer_rows rows; MODE_BUILD
 * appends rows and flushes batches until a value widens a column, then goes on in MODE_CHECK
 * to widen with the rest of the file. `*out_widened` tells whether that happened.
 */
static int run_pass(table *t, pass_mode mode, bool *out_widened) {
  csv_reader_seek(&t->reader, t->data_start, t->data_start_line);
  size_t rows = 0;
  *out_widened = false;
  for (;;) {
    csv_parse_error perr;
    int rc = csv_reader_next(&t->reader, &perr);
    if (rc == 0) break;
    if (rc < 0) {
      if (perr.status == CSV_PARSE_NO_MEMORY) {
        snprintf(t->res->error, sizeof t->res->error, "out of memory while parsing line %llu",
                 (unsigned long long)perr.line);
        return ENOMEM;
      }
      char where[160];
      csv_format_position(t, perr.offset, perr.line, where, sizeof where);
      if (csv_row_error(t, mode, "%s: %s", where, csv_parse_status_text(perr.status)) == ROW_FAIL) {
        return t->status;
      }
      continue;
    }
    row_status st = csv_check_row(t, mode);
    if (st == ROW_FAIL) return t->status;
    if (st == ROW_SKIP) continue;
    if (mode == MODE_INFER) {
      if (t->opt->infer_rows && ++rows >= t->opt->infer_rows) break;
    } else if (st == ROW_WIDEN) {
      mode = MODE_CHECK;
      *out_widened = true;
    } else if (mode == MODE_BUILD) {
      int arc = append_row(t);
      if (arc) return arc;
    }
  }
  return mode == MODE_BUILD ? flush(t) : 0;
}

static int begin(table *t) {
  clear_batch(t);
  for (size_t j = 0; j < t->n_columns; j++) fill_out_column(t, j, false);
  return t->sink->begin(t->sink->ctx, t->out, t->n_columns);
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
    return ENOMEM;
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
      return EINVAL;
    }
    t->kinds[j] = ct->kind;
    t->forced[j] = true;
  }
  return 0;
}

/* Reads the header (or counts the first record's fields) and names the columns. */
static int read_columns(table *t) {
  csv_parse_error perr;
  if (t->opt->header) {
    int rc = csv_reader_next(&t->reader, &perr);
    if (rc < 0) {
      char where[160];
      csv_format_position(t, perr.offset, perr.line, where, sizeof where);
      snprintf(t->res->error, sizeof t->res->error, "header: %s: %s", where,
               csv_parse_status_text(perr.status));
      return perr.status == CSV_PARSE_NO_MEMORY ? ENOMEM : EINVAL;
    }
    size_t n = rc == 0 ? 0 : t->reader.n_fields;
    int arc = alloc_columns(t, n);
    if (arc) return arc;
    t->data_start = t->reader.pos;
    t->data_start_line = t->reader.line;
    t->names = csv_names_from_header(t->reader.fields, n);
  } else {
    /* The first record that tokenizes sets the number of columns. */
    size_t n = 0;
    for (;;) {
      int rc = csv_reader_next(&t->reader, &perr);
      if (rc < 0 && perr.status == CSV_PARSE_NO_MEMORY) return ENOMEM;
      if (rc < 0) continue;
      n = rc == 0 ? 0 : t->reader.n_fields;
      break;
    }
    int arc = alloc_columns(t, n);
    if (arc) return arc;
    t->names = csv_names_generated(n);
  }
  if (!t->names) {
    snprintf(t->res->error, sizeof t->res->error, "out of memory for column names");
    return ENOMEM;
  }
  return 0;
}

static void free_table(table *t) {
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
}

static int read_table(table *t) {
  int rc = read_columns(t);
  if (rc) return rc;
  rc = apply_column_types(t);
  if (rc) return rc;
  t->res->n_columns = (int64_t)t->n_columns;
  if (t->n_columns == 0) return begin(t);
  size_t wide_rows = BATCH_CELLS_LIMIT_BYTES / (13 * t->n_columns);
  t->batch_size_rows = t->opt->batch_size_rows;
  if (t->batch_size_rows > wide_rows) t->batch_size_rows = wide_rows > 0 ? wide_rows : 1;
  bool widened;
  rc = run_pass(t, MODE_INFER, &widened);
  if (rc) return rc;
  for (;;) {
    rc = begin(t);
    if (rc) return rc;
    rc = run_pass(t, MODE_BUILD, &widened);
    if (rc || !widened) return rc;
    rc = t->sink->reset(t->sink->ctx);
    if (rc) return rc;
    t->res->n_reparses++;
    t->res->n_rows = 0;
    t->res->n_batches = 0;
    t->res->n_skipped_rows = 0;
    t->res->n_kept_messages = 0;
    t->res->n_replaced_text_fields = 0;
  }
}

int csv_read_table(const uint8_t *data, size_t size_bytes, const csv_options *options,
                   const csv_sink *sink, csv_result *res) {
  memset(res, 0, sizeof *res);
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
  table t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.size_bytes = size_bytes;
  t.opt = options;
  t.sink = sink;
  t.res = res;
  size_t start = 0;
  if (size_bytes >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) start = 3;
  csv_reader_init(&t.reader, data, size_bytes, *d, start, 1);
  t.data_start = start;
  t.data_start_line = 1;
  for (size_t i = 0; i < options->n_null_tokens; i++) {
    const csv_bytes *tok = &options->null_tokens[i];
    if (tok->size_bytes > t.max_null_token_bytes) t.max_null_token_bytes = tok->size_bytes;
    if (tok->size_bytes == 0) t.empty_is_null = true;
    else t.null_token_starts[tok->data[0]] = true;
  }
  int rc = read_table(&t);
  free_table(&t);
  return rc;
}
