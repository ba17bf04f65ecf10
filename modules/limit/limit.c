/*
 * limit — writes rows offset .. offset+count-1 of input `in` to `out` (SQL
 * `LIMIT count OFFSET offset`), in input order, with the input's schema.
 *
 * Params (see limit.json): {"offset": 0, "count": 100}.
 *
 * The window spans record batches, so the module reads batches in order, keeping a running
 * row position: a batch wholly inside the window is passed on with its columns borrowed, a
 * batch cut by the window is copied for the rows inside it, and decoding stops once the
 * window is full (the SDK has already read the file into memory). Not streamable per batch (a
 * fresh instance per batch would not know the position), but it decodes one batch at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

int main(void) {
  qv_error err;
  qv_json *params;
  qv_reader *reader;
  int64_t offset, count;
  if (qv_read_params(&params, &err) != QV_OK) qv_fail("limit: %s", err.message);
  if (params->kind != QV_JSON_OBJECT) qv_fail("limit: parameters must be a JSON object");
  for (int64_t i = 0; i < params->n_children; i++) {
    const char *key = params->children[i].key;
    if (strcmp(key, "offset") != 0 && strcmp(key, "count") != 0)
      qv_fail("limit: parameter object has an unknown member \"%s\"", key);
  }
  if (qv_json_get_int64_or(params, "offset", 0, &offset, &err) != QV_OK ||
      qv_json_get_int64(params, "count", &count, &err) != QV_OK)
    qv_fail("limit: %s", err.message);
  if (offset < 0) qv_fail("limit: parameter 'offset' must be 0 or more, found %lld", (long long)offset);
  if (count < 0) qv_fail("limit: parameter 'count' must be 0 or more, found %lld", (long long)count);
  int64_t end_row = offset + count; /* both <= 2^53 (JSON integers), so no overflow */

  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("limit: input 'in': %s", err.message);
  qv_writer *writer;
  if (qv_write_output("out", qv_reader_schema(reader), &writer, &err) != QV_OK)
    qv_fail("limit: output 'out': %s", err.message);

  int64_t *indices = NULL;
  int64_t position = 0; /* input row number of the current batch's first row */
  while (position < end_row) {
    qv_batch in, out;
    bool end;
    if (qv_reader_next(reader, &in, &end, &err) != QV_OK)
      qv_fail("limit: input 'in': %s", err.message);
    if (end) break;
    int64_t lo = offset > position ? offset - position : 0;
    int64_t hi = end_row - position < in.n_rows ? end_row - position : in.n_rows;
    position += in.n_rows;
    if (lo >= hi) {
      qv_batch_release(&in);
      continue;
    }
    if (qv_batch_init(&out, in.n_columns, hi - lo, &err) != QV_OK)
      qv_fail("limit: %s", err.message);
    if (lo == 0 && hi == in.n_rows) {
      for (int64_t c = 0; c < in.n_columns; c++) qv_column_borrow(&in.columns[c], &out.columns[c]);
    } else {
      free(indices);
      indices = malloc((size_t)(hi - lo) * sizeof *indices);
      if (indices == NULL) qv_fail("limit: out of memory (%lld rows)", (long long)(hi - lo));
      for (int64_t i = lo; i < hi; i++) indices[i - lo] = i;
      for (int64_t c = 0; c < in.n_columns; c++)
        if (qv_column_take(&in.columns[c], indices, hi - lo, &out.columns[c], &err) != QV_OK)
          qv_fail("limit: column %lld: %s", (long long)c, err.message);
    }
    if (qv_writer_write(writer, &out, &err) != QV_OK)
      qv_fail("limit: output 'out': %s", err.message);
    qv_batch_release(&out);
    qv_batch_release(&in);
  }
  free(indices);
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("limit: output 'out': %s", err.message);
  qv_reader_close(reader);
  qv_json_free(params);
  return 0;
}
