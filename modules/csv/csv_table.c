/* csv_table.c — CSV bytes to typed column batches; see csv_table.h. */
#include "csv_table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_column.h"
#include "csv_names.h"

/* A batch is flushed before its text data would pass this size, so int32 offsets never
 * overflow and a batch stays a reasonable transfer unit. */
#define BATCH_DATA_LIMIT_BYTES ((size_t)256 << 20)

/* Wide files get shorter batches so that the fixed-width buffers of one batch (about 13 bytes
 * per cell: value, offset, validity) stay near this size. */
#define BATCH_CELLS_LIMIT_BYTES ((size_t)128 << 20)

typedef enum pass_mode { MODE_INFER, MODE_CHECK, MODE_BUILD } pass_mode;
typedef enum row_status { ROW_OK, ROW_SKIP, ROW_WIDEN, ROW_FAIL } row_status;

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

/* "line L, column C", naming the record's first line when the spot is on a later one. */
static void format_position(const table *t, size_t offset, uint64_t line, char *buf,
                            size_t cap) {
  uint64_t column = csv_column_of(t->data, t->size_bytes, offset);
  if (line == t->reader.record_line) {
    snprintf(buf, cap, "line %llu, column %llu", (unsigned long long)line,
             (unsigned long long)column);
  } else {
    snprintf(buf, cap, "line %llu, column %llu (record starts on line %llu)",
             (unsigned long long)line, (unsigned long long)column,
             (unsigned long long)t->reader.record_line);
  }
}

/* A field value for a message: at most 40 bytes of valid UTF-8, control bytes blanked. */
static void format_value(const csv_field *f, char *buf, size_t cap) {
  size_t shown = f->size_bytes > 40 ? 40 : f->size_bytes;
  size_t n = csv_utf8_sanitize(f->data, shown, buf, cap > 4 ? cap - 4 : cap);
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)buf[i] < 0x20) buf[i] = ' ';
  }
  if (shown < f->size_bytes) strcpy(buf + n, "...");
}

/* Reports a malformed row: an error in fail mode, else (while building) a counted skip. */
__attribute__((format(printf, 3, 4))) static row_status row_error(table *t, pass_mode mode,
                                                                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (!t->opt->skip_bad_rows) {
    vsnprintf(t->res->error, sizeof t->res->error, fmt, ap);
    t->status = EINVAL;
    va_end(ap);
    return ROW_FAIL;
  }
  if (mode == MODE_BUILD) {
    if (t->res->n_kept_messages < CSV_KEPT_MESSAGES) {
      vsnprintf(t->res->kept_messages[t->res->n_kept_messages++], CSV_MESSAGE_SIZE_BYTES, fmt,
                ap);
    }
    t->res->n_skipped_rows++;
  }
  va_end(ap);
  return ROW_SKIP;
}

static bool is_null_token(const table *t, const csv_field *f) {
  if (f->quoted || f->size_bytes > t->max_null_token_bytes) return false;
  if (f->size_bytes == 0) return t->empty_is_null;
  if (!t->null_token_starts[f->data[0]]) return false;
  for (size_t i = 0; i < t->opt->n_null_tokens; i++) {
    const csv_bytes *tok = &t->opt->null_tokens[i];
    if (tok->size_bytes == f->size_bytes &&
        (f->size_bytes == 0 || memcmp(tok->data, f->data, f->size_bytes) == 0)) {
      return true;
    }
  }
  return false;
}

/* Parses `f` as `kind` into `*v`; false if it does not have that kind's form. */
static bool conforms(csv_kind kind, bool forced, const csv_field *f, csv_value *v) {
  bool has_zone;
  switch (kind) {
  case CSV_KIND_NULL:
    return false;
  case CSV_KIND_BOOL:
    return csv_parse_bool(f->data, f->size_bytes, &v->b);
  case CSV_KIND_INT64:
    return csv_parse_int64(f->data, f->size_bytes, &v->i64) &&
           (forced || !csv_has_leading_zero(f->data, f->size_bytes));
  case CSV_KIND_FLOAT64:
    return csv_parse_float64(f->data, f->size_bytes, &v->f64) &&
           (forced || !csv_has_leading_zero(f->data, f->size_bytes));
  case CSV_KIND_DATE32:
    return csv_parse_date32(f->data, f->size_bytes, &v->days);
  case CSV_KIND_TIMESTAMP:
    return csv_parse_timestamp(f->data, f->size_bytes, &v->i64, &has_zone) &&
           (forced || !has_zone);
  case CSV_KIND_TIMESTAMP_TZ:
    return csv_parse_timestamp(f->data, f->size_bytes, &v->i64, &has_zone) && has_zone;
  case CSV_KIND_UTF8:
    return true;
  }
  return false;
}

/* Checks the current record; parses its values into t->values and t->is_null. In
 * MODE_INFER/MODE_CHECK a value that does not fit widens its column; in MODE_BUILD it does
 * too, and the row reports ROW_WIDEN. */
static row_status check_row(table *t, pass_mode mode) {
  const csv_reader *r = &t->reader;
  char where[160];
  if (r->n_fields != t->n_columns) {
    if (r->n_fields > t->n_columns) {
      const csv_field *extra = &r->fields[t->n_columns];
      format_position(t, extra->offset, extra->line, where, sizeof where);
      return row_error(t, mode, "%s: expected %zu fields, found %zu (field %zu starts here)",
                       where, t->n_columns, r->n_fields, t->n_columns + 1);
    }
    uint64_t end_line = r->line - (r->record_end < t->size_bytes ? 1 : 0);
    format_position(t, r->record_end, end_line, where, sizeof where);
    return row_error(t, mode, "%s: expected %zu fields, found %zu (the record ends here)", where,
                     t->n_columns, r->n_fields);
  }
  /* Forced columns first, so that a row rejected for them does not widen other columns. */
  for (size_t j = 0; j < t->n_columns; j++) {
    if (!t->forced[j]) continue;
    const csv_field *f = &r->fields[j];
    t->is_null[j] = is_null_token(t, f);
    if (t->is_null[j] || conforms(t->kinds[j], true, f, &t->values[j])) continue;
    char value[64];
    format_position(t, f->offset, f->line, where, sizeof where);
    format_value(f, value, sizeof value);
    return row_error(t, mode, "%s (field %zu \"%s\"): \"%s\" is not a valid %s", where, j + 1,
                     t->names[j], value, csv_kind_name(t->kinds[j]));
  }
  bool widened = false;
  for (size_t j = 0; j < t->n_columns; j++) {
    if (t->forced[j]) continue;
    const csv_field *f = &r->fields[j];
    t->is_null[j] = is_null_token(t, f);
    if (t->is_null[j] || conforms(t->kinds[j], false, f, &t->values[j])) continue;
    t->kinds[j] = csv_kind_join(t->kinds[j], csv_classify(f->data, f->size_bytes));
    widened = true;
  }
  return (widened && mode == MODE_BUILD) ? ROW_WIDEN : ROW_OK;
}

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
    format_position(t, r->fields[0].offset, r->record_line, where, sizeof where);
    return row_error(t, MODE_BUILD, "%s: record holds more than 1 GiB of text", where) ==
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
      format_position(t, perr.offset, perr.line, where, sizeof where);
      if (row_error(t, mode, "%s: %s", where, csv_parse_status_text(perr.status)) == ROW_FAIL) {
        return t->status;
      }
      continue;
    }
    row_status st = check_row(t, mode);
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
      format_position(t, perr.offset, perr.line, where, sizeof where);
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
