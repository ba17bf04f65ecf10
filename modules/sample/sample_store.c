/*
 * sample_store.c — the reservoir's copies. After each batch the rows that slots hold are
 * rebuilt into one compact batch of plain columns (rows from the batch just read, and rows kept
 * from before); when no slot took a row of the batch, nothing is copied, which is the common
 * case once the input is much larger than the reservoir (a row is taken with probability
 * capacity / rows so far).
 */
#include "sample_store.h"

#include <stdlib.h>
#include <string.h>

static void *store_alloc(int64_t n, size_t size) {
  return qv_calloc_or_fail("sample", (size_t)(n > 0 ? n : 1), size);
}

void store_init(sample_store *s, const qv_schema *schema, int64_t capacity) {
  qv_error err;
  memset(s, 0, sizeof *s);
  if (qv_schema_copy(schema, &s->schema_copy, &err) != QV_OK) qv_fail("sample: %s", err.message);
  s->schema = &s->schema_copy;
  s->capacity = capacity;
  s->input_row = store_alloc(capacity, sizeof *s->input_row);
  s->at = store_alloc(capacity, sizeof *s->at);
  if (qv_batch_init(&s->values, schema->n_fields, 0, &err) != QV_OK) qv_fail("sample: %s", err.message);
  for (int64_t c = 0; c < schema->n_fields; c++) s->values.columns[c].type = schema->fields[c].type;
}

void store_set(sample_store *s, int64_t slot, int64_t input_row) {
  if (slot == s->filled) s->filled++;
  s->input_row[slot] = input_row;
  s->at[slot] = -1;
}

/** Builds column `c` of the compacted copies: slot k's value becomes row k. */
static void rebuild_column(sample_store *s, const qv_batch *in, int64_t first_row, int64_t c,
                           qv_column *out) {
  qv_error err;
  qv_builder *b;
  int rc = qv_builder_new(s->schema->fields[c].type, s->filled, &b, &err);
  for (int64_t k = 0; rc == QV_OK && k < s->filled; k++) {
    rc = s->at[k] < 0 ? qv_builder_append_from(b, &in->columns[c], s->input_row[k] - first_row, &err)
                      : qv_builder_append_from(b, &s->values.columns[c], s->at[k], &err);
  }
  if (rc == QV_OK) rc = qv_builder_finish(b, out, &err);
  else qv_builder_free(b);
  if (rc != QV_OK) qv_fail("sample: column \"%s\": %s", s->schema->fields[c].name, err.message);
}

void store_absorb(sample_store *s, const qv_batch *in, int64_t first_row) {
  bool any = false;
  for (int64_t k = 0; k < s->filled && !any; k++) any = s->at[k] < 0;
  if (!any) return;
  qv_error err;
  qv_batch next;
  if (qv_batch_init(&next, in->n_columns, s->filled, &err) != QV_OK) qv_fail("sample: %s", err.message);
  for (int64_t c = 0; c < in->n_columns; c++) rebuild_column(s, in, first_row, c, &next.columns[c]);
  qv_batch_release(&s->values);
  s->values = next;
  for (int64_t k = 0; k < s->filled; k++) s->at[k] = k;
}

/** Orders slots by input row (for qsort of slot numbers). */
static const int64_t *sort_rows;
static int by_input_row(const void *a, const void *b) {
  int64_t x = sort_rows[*(const int64_t *)a], y = sort_rows[*(const int64_t *)b];
  return (x > y) - (x < y);
}

void store_write(sample_store *s, qv_step *step) {
  qv_error err;
  int64_t *order = store_alloc(s->filled, sizeof *order);
  sort_rows = s->input_row;
  int64_t *slots = store_alloc(s->filled, sizeof *slots);
  for (int64_t k = 0; k < s->filled; k++) slots[k] = k;
  qsort(slots, (size_t)s->filled, sizeof *slots, by_input_row);
  for (int64_t k = 0; k < s->filled; k++) order[k] = s->at[slots[k]];
  qv_batch out;
  if (qv_batch_init(&out, s->values.n_columns, s->filled, &err) != QV_OK) qv_fail("sample: %s", err.message);
  for (int64_t c = 0; c < s->values.n_columns; c++) out.columns[c].type = s->schema->fields[c].type;
  for (int64_t c = 0; s->filled > 0 && c < s->values.n_columns; c++)
    if (qv_column_take(&s->values.columns[c], order, s->filled, &out.columns[c], &err) != QV_OK)
      qv_fail("sample: %s", err.message);
  if (s->filled > 0 && qv_step_write(step, 0, &out, &err) != QV_OK) qv_fail("sample: %s", err.message);
  qv_batch_release(&out);
  qv_batch_release(&s->values);
  qv_schema_release(&s->schema_copy);
  free(order), free(slots), free(s->input_row), free(s->at);
}
