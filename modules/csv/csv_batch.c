/* csv_batch.c — the csv module's record batches: rows appended to Arrow column buffers and
 * handed to the sink when full. See csv_table_internal.h. */
#include <errno.h>
#include <stdio.h>

#include "csv_column.h"
#include "csv_table_internal.h"

static void fill_out_column(table *t, size_t j, bool with_buffers) {
  csv_out_column *o = &t->out[j];
  const csv_column_buffers *c = &t->cols[j];
  o->name = t->names[j];
  o->kind = t->kinds[j];
  o->null_count = with_buffers ? c->null_count : 0;
  o->validity = with_buffers && c->null_count ? c->validity : NULL;
  o->values = with_buffers && o->kind != CSV_KIND_UTF8 ? c->values : NULL;
  o->offsets = with_buffers && o->kind == CSV_KIND_UTF8 ? c->offsets : NULL;
  o->data = with_buffers && o->kind == CSV_KIND_UTF8 ? c->data : NULL;
  o->data_size_bytes = with_buffers && o->kind == CSV_KIND_UTF8 ? (int64_t)c->data_size_bytes : 0;
}

void csv_batch_clear(table *t) {
  for (size_t j = 0; j < t->n_columns; j++) {
    csv_column_clear(&t->cols[j], t->kinds[j]);
  }
  t->batch_rows = 0;
  t->batch_data_bytes = 0;
}

int csv_batch_flush(table *t) {
  if (t->batch_rows == 0) return 0;
  for (size_t j = 0; j < t->n_columns; j++) fill_out_column(t, j, true);
  int rc = t->sink->batch(t->sink->ctx, t->out, t->n_columns, t->batch_rows);
  if (rc) return rc;
  t->res->n_batches++;
  t->res->n_rows += t->batch_rows;
  csv_batch_clear(t);
  return 0;
}

int csv_batch_append_row(table *t) {
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
    int rc = csv_batch_flush(t);
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
  if ((size_t)t->batch_rows >= t->batch_size_rows) return csv_batch_flush(t);
  return 0;
}

int csv_batch_begin(table *t) {
  csv_batch_clear(t);
  for (size_t j = 0; j < t->n_columns; j++) fill_out_column(t, j, false);
  return t->sink->begin(t->sink->ctx, t->out, t->n_columns);
}

