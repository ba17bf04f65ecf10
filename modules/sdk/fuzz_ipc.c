/* libFuzzer target for the SDK's Arrow IPC reader and writer (run by `npm run fuzz`).
 * Reads an input stream; when it is accepted, writes every batch back to memory, reads that
 * again and checks that the values agree (a disagreement aborts: a bug, not a bad input).
 * Also exercises qv_reader_read_all and the getters on every row. */
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

/** Touches every value through the public getters (ASan catches any stray read). */
static uint64_t touch(const qv_batch *b) {
  uint64_t h = 0;
  for (int64_t c = 0; c < b->n_columns; c++) {
    const qv_column *col = &b->columns[c];
    for (int64_t i = 0; i < b->n_rows; i++) {
      qv_str s = qv_column_str_at(col, i);
      h += (uint64_t)qv_column_is_null(col, i) + (uint64_t)qv_column_int64_at(col, i) +
           (uint64_t)s.size_bytes + (s.size_bytes > 0 ? (uint8_t)s.data[s.size_bytes - 1] : 0);
    }
  }
  return h;
}

static bool same(const qv_column *a, const qv_column *b, int64_t i) {
  if (qv_column_is_null(a, i) != qv_column_is_null(b, i)) return false;
  qv_str x = qv_column_str_at(a, i), y = qv_column_str_at(b, i);
  if (x.size_bytes != y.size_bytes || memcmp(x.data, y.data, (size_t)x.size_bytes) != 0) {
    return false;
  }
  double dx = qv_column_double_at(a, i), dy = qv_column_double_at(b, i);
  return qv_column_uint64_at(a, i) == qv_column_uint64_at(b, i) &&
         qv_column_bool_at(a, i) == qv_column_bool_at(b, i) && memcmp(&dx, &dy, sizeof dx) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  qv_error err;
  qv_reader *r = NULL;
  if (qv_reader_open_memory(data, (int64_t)size, &r, &err) != QV_OK) return 0;
  qv_writer *w = NULL;
  if (qv_writer_open_memory(qv_reader_schema(r), &w, &err) != QV_OK) abort();
  qv_batch kept[16];
  int64_t n = 0;
  bool ok = true;
  volatile uint64_t sink = 0;
  for (;;) {
    qv_batch b;
    bool end;
    if (qv_reader_next(r, &b, &end, &err) != QV_OK) {
      ok = false;
      break;
    }
    if (end) break;
    sink += touch(&b);
    if (qv_writer_write(w, &b, &err) != QV_OK) abort(); /* a batch we accepted must write */
    if (n < 16) kept[n++] = b;
    else qv_batch_release(&b);
  }
  uint8_t *out = NULL;
  int64_t out_size = 0;
  if (qv_writer_finish_memory(w, &out, &out_size, &err) != QV_OK) abort();
  if (ok) {
    qv_reader *again = NULL;
    if (qv_reader_open_memory(out, out_size, &again, &err) != QV_OK) abort();
    for (int64_t k = 0; k < n; k++) {
      qv_batch b;
      bool end;
      if (qv_reader_next(again, &b, &end, &err) != QV_OK || end) abort();
      if (b.n_rows != kept[k].n_rows || b.n_columns != kept[k].n_columns) abort();
      for (int64_t c = 0; c < b.n_columns; c++) {
        for (int64_t i = 0; i < b.n_rows; i++) {
          if (!same(&b.columns[c], &kept[k].columns[c], i)) abort();
        }
      }
      qv_batch_release(&b);
    }
    qv_reader_close(again);
  }
  for (int64_t k = 0; k < n; k++) qv_batch_release(&kept[k]);
  free(out);
  qv_reader_close(r);
  /* read_all over the same bytes */
  if (qv_reader_open_memory(data, (int64_t)size, &r, &err) == QV_OK) {
    qv_batch all;
    if (qv_reader_read_all(r, &all, &err) == QV_OK) {
      sink += touch(&all);
      qv_batch_release(&all);
    }
    qv_reader_close(r);
  }
  (void)sink;
  return 0;
}
