/*
 * limit — writes rows offset .. offset+count-1 of input `in` to `out` (SQL
 * `LIMIT count OFFSET offset`), in input order, with the input's schema.
 *
 * Params (see limit.json): {"offset": 0, "count": 100}.
 *
 * The window spans record batches, so the module takes batches in order, keeping a running
 * row position: a batch wholly inside the window is passed on as it is, a batch cut by the
 * window is copied for the rows inside it, and the module says it is done (QV_DONE) once the
 * window is full, so the host stops feeding it (ABI v2) or the SDK stops decoding (v1). Not
 * streamable per batch (an instance per batch would not know the position).
 */
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

/** The window: input rows [offset, end_row). */
static int64_t offset, end_row;
/** Input row number of the next batch's first row. */
static int64_t position;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  int64_t count;
  if (params->kind != QV_JSON_OBJECT)
    return qv_error_set(err, EINVAL, "limit: parameters must be a JSON object");
  for (int64_t i = 0; i < params->n_children; i++) {
    const char *key = params->children[i].key;
    if (strcmp(key, "offset") != 0 && strcmp(key, "count") != 0)
      return qv_error_set(err, EINVAL, "limit: parameter object has an unknown member \"%s\"",
                          key);
  }
  int rc = qv_json_get_int64_or(params, "offset", 0, &offset, err);
  if (rc == QV_OK) rc = qv_json_get_int64(params, "count", &count, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "limit: %s", err->message);
  if (offset < 0)
    return qv_error_set(err, EINVAL, "limit: parameter 'offset' must be 0 or more, found %lld",
                        (long long)offset);
  if (count < 0)
    return qv_error_set(err, EINVAL, "limit: parameter 'count' must be 0 or more, found %lld",
                        (long long)count);
  end_row = offset + count; /* both <= 2^53 (JSON integers), so no overflow */
  rc = qv_step_open_output(step, 0, qv_step_input_schema(step, 0), err);
  if (rc != QV_OK) return qv_error_set(err, rc, "limit: %s", err->message);
  return count == 0 ? QV_DONE : QV_OK;
}

/** Writes rows lo..hi-1 of `in` (lo..hi not the whole batch): copies of those rows. */
static int write_part(qv_step *step, const qv_batch *in, int64_t lo, int64_t hi, qv_error *err) {
  int64_t *indices = malloc((size_t)(hi - lo) * sizeof *indices);
  if (indices == NULL)
    return qv_error_set(err, ENOMEM, "limit: out of memory (%lld rows)", (long long)(hi - lo));
  for (int64_t i = lo; i < hi; i++) indices[i - lo] = i;
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, hi - lo, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++)
    if ((rc = qv_column_take(&in->columns[c], indices, hi - lo, &out.columns[c], err)) != QV_OK)
      rc = qv_error_set(err, rc, "limit: column %lld: %s", (long long)c, err->message);
  if (rc == QV_OK && (rc = qv_step_write(step, 0, &out, err)) != QV_OK)
    rc = qv_error_set(err, rc, "limit: %s", err->message);
  qv_batch_release(&out);
  free(indices);
  return rc;
}

/** Passes on the rows of `in` inside the window; QV_DONE once the window is full. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  int64_t lo = offset > position ? offset - position : 0;
  int64_t hi = end_row - position < in->n_rows ? end_row - position : in->n_rows;
  position += in->n_rows;
  int rc = QV_OK;
  if (lo < hi && lo == 0 && hi == in->n_rows) {
    rc = qv_step_write(step, 0, in, err); /* a whole batch: columns borrowed */
    if (rc != QV_OK) rc = qv_error_set(err, rc, "limit: %s", err->message);
  } else if (lo < hi) {
    rc = write_part(step, in, lo, hi, err);
  }
  if (rc != QV_OK) return rc;
  return position >= end_row ? QV_DONE : QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "limit", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch)
