/* csv_phase.c — the csv module's phases over a window of input: header, sample (type
 * inference) and build (batches). See csv_table_internal.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_names.h"
#include "csv_table_internal.h"

int csv_stop(table *t, int status) {
  t->phase = PHASE_DONE;
  t->status = status;
  return status;
}

int csv_out_of_memory(table *t, const char *what) {
  snprintf(t->res->error, sizeof t->res->error, "out of memory for %s", what);
  return csv_stop(t, ENOMEM);
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
    return csv_stop(t, ENOMEM);
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
      return csv_stop(t, EINVAL);
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
  if (!t->names) return csv_out_of_memory(t, "column names");
  t->columns_known = true;
  t->res->n_columns = (int64_t)n;
  rc = apply_column_types(t);
  if (rc) return rc;
  /* Without a header, a parse error before the first good record is the input's first
   * error: in fail mode it is the one reported. */
  if (t->early_status && !t->opt->skip_bad_rows) {
    memcpy(t->res->error, t->early_error, sizeof t->res->error);
    return csv_stop(t, t->early_status);
  }
  return 0;
}

/* Reports a record the tokenizer rejected (see csv_row_error). */
static int parse_error(table *t, pass_mode mode, const csv_parse_error *perr) {
  if (perr->status == CSV_PARSE_NO_MEMORY) {
    snprintf(t->res->error, sizeof t->res->error, "out of memory while parsing line %llu",
             (unsigned long long)perr->line);
    return csv_stop(t, ENOMEM);
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
    return csv_stop(t, t->status);
  }
  return 0;
}


/* Reads the header record at w->start; the data rows then start after it. */
static int read_header(table *t, csv_window *w, bool final) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, w->base, w->size_bytes, w->start, w->start_line, final);
  csv_parse_error perr;
  int rc = csv_reader_next(r, &perr);
  if (rc == CSV_NEED_MORE) return 0;
  if (rc < 0) {
    char where[160];
    csv_format_position(t, perr.offset, perr.line, where, sizeof where);
    snprintf(t->res->error, sizeof t->res->error, "header: %s: %s", where,
             csv_parse_status_text(perr.status));
    return csv_stop(t, perr.status == CSV_PARSE_NO_MEMORY ? ENOMEM : EINVAL);
  }
  rc = set_columns(t, rc == 0 ? 0 : r->n_fields, r->fields);
  if (rc) return rc;
  w->start = r->pos;
  w->start_line = r->line;
  t->sample_pos = w->start;
  t->sample_line = w->start_line;
  t->phase = PHASE_SAMPLE;
  return 0;
}

/* Fixes the schema after the sample and sends it; the build phase then reads the sampled
 * rows again from their start. */
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
  if (rc) return csv_stop(t, rc);
  /* No columns: nothing of the input could be read as a record. */
  t->phase = t->n_columns == 0 ? PHASE_DONE : PHASE_BUILD;
  return 0;
}

/* Classifies the records from t->sample_pos until the sample is full. */
static int sample(table *t, const csv_window *w, bool final) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, w->base, w->size_bytes, t->sample_pos, t->sample_line, final);
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
    if (st == ROW_FAIL) return csv_stop(t, t->status);
    if (st == ROW_OK && ++t->res->n_sample_rows == (int64_t)t->opt->infer_rows) {
      return fix_schema(t);
    }
  }
  t->sample_pos = r->pos;
  t->sample_line = r->line;
  return 0;
}

/* Reads the records from w->start into batches; w->start then is where the first record not
 * complete in the window starts. */
static int build(table *t, csv_window *w, bool final) {
  csv_reader *r = &t->reader;
  csv_reader_set_input(r, w->base, w->size_bytes, w->start, w->start_line, final);
  for (;;) {
    csv_parse_error perr;
    int rc = csv_reader_next(r, &perr);
    if (rc == CSV_NEED_MORE) break;
    if (rc == 0) {
      rc = csv_batch_flush(t);
      if (rc) return csv_stop(t, rc);
      t->phase = PHASE_DONE;
      break;
    }
    if (rc < 0) {
      rc = parse_error(t, MODE_BUILD, &perr);
      if (rc) return rc;
      continue;
    }
    row_status st = csv_check_row(t, MODE_BUILD);
    if (st == ROW_FAIL) return csv_stop(t, t->status);
    if (st == ROW_SKIP) continue;
    rc = csv_batch_append_row(t);
    if (rc) return csv_stop(t, rc);
  }
  w->start = r->pos;
  w->start_line = r->line;
  return 0;
}

int csv_read_window(table *t, csv_window *w, bool final) {
  int rc = 0;
  if (t->phase == PHASE_HEADER) rc = read_header(t, w, final);
  if (!rc && t->phase == PHASE_SAMPLE) rc = sample(t, w, final);
  if (!rc && t->phase == PHASE_BUILD) rc = build(t, w, final);
  return rc;
}

