/* Native test harness for the SDK's IPC reader and writer (built with sanitizers by
 * modules/sdk/sdk.test.ts). For each file argument: read every batch (also through
 * qv_reader_read_all), write them back to memory, read that again and compare; print one
 * line "<file>: ok <batches> <rows>" or "<file>: error <code> <message>". Exit status 0 unless
 * a round trip disagrees with its source (a bug, not a rejected input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

static bool same_value(const qv_column *a, const qv_column *b, int64_t i) {
  if (qv_column_is_null(a, i) != qv_column_is_null(b, i)) return false;
  if (qv_column_is_null(a, i)) return true;
  if (qv_type_id_is_binary_like(a->type.id)) {
    qv_str x = qv_column_str_at(a, i), y = qv_column_str_at(b, i);
    return x.size_bytes == y.size_bytes && memcmp(x.data, y.data, (size_t)x.size_bytes) == 0;
  }
  if (a->type.id == QV_TYPE_FLOAT32 || a->type.id == QV_TYPE_FLOAT64) {
    double x = qv_column_double_at(a, i), y = qv_column_double_at(b, i);
    return memcmp(&x, &y, sizeof x) == 0;
  }
  return qv_column_uint64_at(a, i) == qv_column_uint64_at(b, i) &&
         qv_column_int64_at(a, i) == qv_column_int64_at(b, i) &&
         qv_column_bool_at(a, i) == qv_column_bool_at(b, i);
}

/** Reads `data` fully; on success also round-trips it through the writer. Returns 0 when
 * the input was rejected or round-tripped identically, 1 on a mismatch. */
static int check(const char *name, const uint8_t *data, int64_t size) {
  qv_error err = {0, ""};
  qv_reader *r = NULL;
  qv_writer *w = NULL;
  int64_t n_batches = 0, n_rows = 0;
  int rc = qv_reader_open_memory(data, size, &r, &err);
  if (rc == QV_OK) rc = qv_writer_open_memory(qv_reader_schema(r), &w, &err);
  qv_batch *kept = NULL;
  while (rc == QV_OK) {
    qv_batch b;
    bool end;
    rc = qv_reader_next(r, &b, &end, &err);
    if (rc != QV_OK || end) break;
    n_batches++;
    n_rows += b.n_rows;
    rc = qv_writer_write(w, &b, &err);
    qv_batch *grown = realloc(kept, (size_t)n_batches * sizeof *kept);
    if (grown == NULL) abort();
    kept = grown;
    kept[n_batches - 1] = b;
  }
  int mismatch = 0;
  if (rc == QV_OK) {
    uint8_t *out;
    int64_t out_size;
    rc = qv_writer_finish_memory(w, &out, &out_size, &err);
    w = NULL;
    qv_reader *again = NULL;
    if (rc == QV_OK && qv_reader_open_memory(out, out_size, &again, &err) != QV_OK) {
      printf("%s: MISMATCH rereading our own output: %s\n", name, err.message);
      mismatch = 1;
    }
    for (int64_t k = 0; again != NULL && !mismatch; k++) {
      qv_batch b;
      bool end;
      if (qv_reader_next(again, &b, &end, &err) != QV_OK) {
        printf("%s: MISMATCH rereading batch %lld: %s\n", name, (long long)k, err.message);
        mismatch = 1;
        break;
      }
      if (end) {
        if (k != n_batches) mismatch = 1;
        break;
      }
      if (k >= n_batches || b.n_rows != kept[k].n_rows) mismatch = 1;
      for (int64_t c = 0; !mismatch && c < b.n_columns; c++) {
        for (int64_t i = 0; !mismatch && i < b.n_rows; i++) {
          if (!same_value(&b.columns[c], &kept[k].columns[c], i)) {
            printf("%s: MISMATCH batch %lld column %lld row %lld\n", name, (long long)k,
                   (long long)c, (long long)i);
            mismatch = 1;
          }
        }
      }
      qv_batch_release(&b);
    }
    qv_reader_close(again);
    free(out);
  }
  for (int64_t k = 0; k < n_batches; k++) qv_batch_release(&kept[k]);
  free(kept);
  qv_writer_close(w, NULL);
  qv_reader_close(r);
  if (rc == QV_OK) {
    /* read_all over the same input must agree on the row count */
    qv_reader *r2 = NULL;
    qv_batch all;
    if (qv_reader_open_memory(data, size, &r2, &err) != QV_OK ||
        qv_reader_read_all(r2, &all, &err) != QV_OK) {
      printf("%s: MISMATCH read_all failed: %s\n", name, err.message);
      mismatch = 1;
    } else {
      if (all.n_rows != n_rows) mismatch = 1;
      qv_batch_release(&all);
    }
    qv_reader_close(r2);
  }
  if (!mismatch) {
    if (rc == QV_OK) printf("%s: ok %lld %lld\n", name, (long long)n_batches, (long long)n_rows);
    else printf("%s: error %d %s\n", name, rc, err.message);
  }
  return mismatch;
}

int main(int argc, char **argv) {
  int failures = 0;
  for (int a = 1; a < argc; a++) {
    FILE *f = fopen(argv[a], "rb");
    if (f == NULL) {
      printf("%s: cannot open\n", argv[a]);
      return 2;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) return 2;
    fclose(f);
    /* +1 offset: also exercise a misaligned input buffer */
    uint8_t *shifted = malloc((size_t)size + 2);
    if (shifted == NULL) return 2;
    memcpy(shifted + 1, data, (size_t)size);
    failures += check(argv[a], data, size);
    failures += check(argv[a], shifted + 1, size) ? 1 : 0;
    free(shifted);
    free(data);
  }
  return failures == 0 ? 0 : 1;
}
