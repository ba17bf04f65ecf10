/* qv_reader_read_all: every remaining batch of a stream as one batch that owns its memory. */
#include "internal.h"

/** Concatenates column `f` of `batches` into `out` (owned). Dictionary columns sharing one
 * dictionary stay encoded, with an owned copy of the dictionary; otherwise they are decoded. */
static int concat_column(const qv_batch *batches, int64_t n_batches, int64_t f,
                         const qv_type *type, int64_t n_rows, qv_column *out, qv_error *err) {
  const qv_column *dict = NULL;
  bool shared = type->dictionary;
  for (int64_t b = 0; shared && b < n_batches; b++) {
    const qv_column *d = batches[b].columns[f].dictionary;
    if (dict == NULL) dict = d;
    else if (d != dict) shared = false;
  }
  qv_type bt = *type;
  if (shared) bt = qv_type_make(type->index_type);
  else bt.dictionary = false;
  qv_builder *builder = NULL;
  int rc = qv_builder_new(bt, n_rows, &builder, err);
  for (int64_t b = 0; rc == QV_OK && b < n_batches; b++) {
    const qv_column *src = &batches[b].columns[f];
    qv_column indices;
    if (shared) {
      qv_dictionary_indices_view_(src, &indices);
      src = &indices;
    }
    for (int64_t i = 0; rc == QV_OK && i < src->length; i++) {
      rc = qv_builder_append_from(builder, src, i, err);
    }
  }
  if (rc != QV_OK) {
    qv_builder_free(builder);
    return rc;
  }
  rc = qv_builder_finish(builder, out, err);
  if (rc != QV_OK || !shared) return rc;
  out->type = *type;
  qv_column *copy = malloc(sizeof *copy);
  if (copy == NULL) {
    qv_column_release(out);
    return qv_error_set(err, ENOMEM, "out of memory for a dictionary");
  }
  if (dict == NULL) {
    memset(copy, 0, sizeof *copy);
    copy->type = *type;
    copy->type.dictionary = false;
    copy->values = qv_empty_buffer_;
    copy->offsets = qv_empty_buffer_;
  } else {
    rc = qv_column_decode_dictionary(dict, copy, err);
    if (rc != QV_OK) {
      free(copy);
      qv_column_release(out);
      return rc;
    }
  }
  rc = qv_column_own_dictionary_(out, copy, err);
  if (rc != QV_OK) qv_column_release(out);
  return rc;
}

int qv_reader_read_all(qv_reader *reader, qv_batch *out, qv_error *err) {
  memset(out, 0, sizeof *out);
  const qv_schema *schema = qv_reader_schema(reader);
  qv_batch *batches = NULL;
  int64_t n = 0, n_rows = 0;
  int rc = QV_OK;
  for (;;) {
    qv_batch b;
    bool end;
    rc = qv_reader_next(reader, &b, &end, err);
    if (rc != QV_OK || end) break;
    qv_batch *grown = realloc(batches, (size_t)(n + 1) * sizeof *grown);
    if (grown == NULL || !qv_add_size_(n_rows, b.n_rows, &n_rows)) {
      qv_batch_release(&b);
      rc = qv_error_set(err, grown == NULL ? ENOMEM : EOVERFLOW, "too much data to concatenate");
      if (grown != NULL) batches = grown;
      break;
    }
    batches = grown;
    batches[n++] = b;
  }
  if (rc == QV_OK) rc = qv_batch_init(out, schema->n_fields, n_rows, err);
  for (int64_t f = 0; rc == QV_OK && f < schema->n_fields; f++) {
    rc = concat_column(batches, n, f, &schema->fields[f].type, n_rows, &out->columns[f], err);
  }
  for (int64_t b = 0; b < n; b++) qv_batch_release(&batches[b]);
  free(batches);
  if (rc != QV_OK) qv_batch_release(out);
  return rc;
}
