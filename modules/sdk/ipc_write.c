/*
 * Arrow IPC stream writer of the Quiver guest SDK (see quiver.h). Writes the format read by
 * ipc_read.c: encapsulated messages with the 0xFFFFFFFF continuation marker, metadata
 * version V5, 8-byte aligned metadata and body buffers, uncompressed, little-endian, and the
 * end-of-stream marker 0xFFFFFFFF 0x00000000. Dictionary columns are written with a
 * DictionaryBatch (a replacement, never a delta) whenever their dictionary changes.
 *
 * Every message is appended to one buffer (`memory`): a file writer writes it out and reuses
 * it; a memory writer keeps the stream, or, for ABI v2, the bytes pending until the host
 * drains them (qv_writer_pending_, qv_writer_clear_pending_), so the buffer is reused.
 */
#include <stdio.h>

#include "flatbuf.h"
#include "ipc_schema.h"

struct qv_writer {
  FILE *file;   /* NULL for a memory writer */
  fbb memory;   /* the stream, for a memory writer */
  qv_schema schema;
  fbb *last_dict; /* per field: the last dictionary message written (empty if none) */
  bool failed;
};

/* --- output ---------------------------------------------------------------------------- */

/** Writes out what `w->memory` holds if `w` writes to a file (the buffer is then reused);
 * a memory writer keeps the bytes. */
static int flush_file(qv_writer *w, qv_error *err) {
  if (w->file == NULL) return QV_OK;
  int64_t n = w->memory.size;
  w->memory.size = 0;
  if (n > 0 && fwrite(w->memory.p, 1, (size_t)n, w->file) != (size_t)n) {
    return qv_error_set(err, EIO, "error writing the output stream: %s", strerror(errno));
  }
  return QV_OK;
}

static int emit(qv_writer *w, const uint8_t *p, int64_t n, qv_error *err) {
  fbb_bytes(&w->memory, p, n);
  if (w->memory.failed) return qv_error_set(err, ENOMEM, "out of memory writing a stream");
  return flush_file(w, err);
}

/* --- bodies ---------------------------------------------------------------------------- */

/**
 * A message body, laid out in two passes over the same columns: the first (`dst` NULL) only
 * records the FieldNode and Buffer lists and the size, so that the metadata can be written
 * first; the second copies the buffers straight into `dst`, after the metadata. So each
 * value is copied once, into the output.
 */
typedef struct body_lists {
  int64_t *nodes;
  int64_t *buffers;
  int64_t n_nodes;
  int64_t n_buffers;
  int64_t size; /* bytes of body so far */
  fbb *dst;     /* NULL in the layout pass */
} body_lists;

static void body_put(body_lists *b, const void *p, int64_t n) {
  if (b->dst != NULL) fbb_bytes(b->dst, p, n);
  b->size += n;
}

/** Starts a body buffer of `n` bytes at the next 8-aligned body offset. */
static void body_begin_buffer(body_lists *b, int64_t n) {
  static const uint8_t zeros[8] = {0};
  body_put(b, zeros, (8 - b->size % 8) % 8);
  b->buffers[2 * b->n_buffers] = b->size;
  b->buffers[2 * b->n_buffers + 1] = n;
  b->n_buffers++;
}

static void add_buffer(body_lists *b, const void *p, int64_t n) {
  body_begin_buffer(b, n);
  body_put(b, p, n);
}

/** Adds the offsets of rows 0..len rebased to start at 0 (a sliced column). */
static void add_rebased_offsets(body_lists *b, const void *offsets, int64_t len, bool large,
                                int64_t first) {
  body_begin_buffer(b, (len + 1) * (large ? 8 : 4));
  if (b->dst == NULL) {
    b->size += (len + 1) * (large ? 8 : 4);
    return;
  }
  for (int64_t i = 0; i <= len; i++) {
    int64_t o = len == 0 ? 0 : large ? ((const int64_t *)offsets)[i] : ((const int32_t *)offsets)[i];
    o -= first;
    if (large) {
      body_put(b, &o, 8);
    } else {
      int32_t o32 = (int32_t)o;
      body_put(b, &o32, 4);
    }
  }
}

/** Appends a plain column (or a dictionary's indices view) to the body. */
static void add_column(body_lists *b, const qv_column *col) {
  int64_t len = col->length;
  b->nodes[2 * b->n_nodes] = len;
  b->nodes[2 * b->n_nodes + 1] = col->type.id == QV_TYPE_NULL ? len : col->null_count;
  b->n_nodes++;
  qv_type_id id = col->type.id;
  if (id == QV_TYPE_NULL) return;
  add_buffer(b, col->validity, col->null_count > 0 ? qv_bitmap_size_bytes_(len) : 0);
  if (qv_type_id_is_binary_like(id)) {
    bool large = id == QV_TYPE_LARGE_UTF8 || id == QV_TYPE_LARGE_BINARY;
    int64_t first = 0, last = 0;
    if (len > 0) {
      first = large ? ((const int64_t *)col->offsets)[0] : ((const int32_t *)col->offsets)[0];
      last = large ? ((const int64_t *)col->offsets)[len] : ((const int32_t *)col->offsets)[len];
    }
    if (first == 0 && len > 0) {
      add_buffer(b, col->offsets, (len + 1) * (large ? 8 : 4));
    } else {
      add_rebased_offsets(b, col->offsets, len, large, first);
    }
    add_buffer(b, col->data != NULL ? col->data + first : NULL, last - first);
    return;
  }
  int width = qv_type_id_width_bytes(id);
  add_buffer(b, col->values, width == 0 ? qv_bitmap_size_bytes_(len) : len * width);
}

/** Runs one pass of add_column over `cols`, ending the body 8-aligned. */
static void add_columns(body_lists *b, const qv_column *const *cols, int64_t n_cols) {
  b->n_nodes = 0;
  b->n_buffers = 0;
  b->size = 0;
  for (int64_t i = 0; i < n_cols; i++) {
    qv_column indices;
    const qv_column *c = cols[i];
    if (c->type.dictionary) {
      qv_dictionary_indices_view_(c, &indices);
      c = &indices;
    }
    add_column(b, c);
  }
  static const uint8_t zeros[8] = {0};
  body_put(b, zeros, (8 - b->size % 8) % 8);
}

/* --- metadata -------------------------------------------------------------------------- */

/** Writes a RecordBatch table for `length` rows and the body lists; returns its position. */
static int64_t record_batch_table(fbb *m, int64_t length, const body_lists *b) {
  fbb_table t;
  fbb_begin(&t);
  fbb_scalar(&t, 0, 8, (uint64_t)length);
  fbb_offset_field(&t, 1);
  fbb_offset_field(&t, 2);
  int64_t pos = fbb_end(m, &t);
  int64_t nodes = fbb_vector(m, b->n_nodes, 16, 8);
  fbb_bytes(m, b->nodes, 16 * b->n_nodes);
  fbb_patch(m, &t, 1, nodes);
  int64_t buffers = fbb_vector(m, b->n_buffers, 16, 8);
  fbb_bytes(m, b->buffers, 16 * b->n_buffers);
  fbb_patch(m, &t, 2, buffers);
  return pos;
}

/** Starts a Message: root offset, Message table; returns the table (to patch the header). */
static void message_begin(fbb *m, int header_type, int64_t body_size_bytes, fbb_table *t) {
  uint32_t zero = 0;
  fbb_bytes(m, &zero, 4); /* root offset, patched below */
  fbb_begin(t);
  fbb_scalar(t, 0, 2, 4); /* MetadataVersion V5 */
  fbb_scalar(t, 1, 1, (uint64_t)header_type);
  fbb_offset_field(t, 2);
  fbb_scalar(t, 3, 8, (uint64_t)body_size_bytes);
  int64_t pos = fbb_end(m, t);
  fbb_patch_at(m, 0, pos);
}

/** Appends the encapsulation prefix and metadata `m` (padded to 8 bytes) of a message whose
 * body of `body_size_bytes` follows; reserves room for the whole message first, so the body
 * is appended without growing `out` again. */
static void frame_head(fbb *out, fbb *m, int64_t body_size_bytes) {
  fbb_align(m, 8, 0);
  if (!fbb_reserve(out, 8 + m->size + body_size_bytes)) return;
  uint32_t head[2] = {0xFFFFFFFFu, (uint32_t)m->size};
  fbb_bytes(out, head, 8);
  fbb_bytes(out, m->p, m->size);
}

/** Writes a `type` table for a field; returns the Arrow type tag and the table position. */
static int64_t type_table(fbb *m, const qv_type *type, int *tag) {
  fbb_table t;
  fbb_begin(&t);
  bool tz = false;
  switch (type->id) {
  case QV_TYPE_NULL: *tag = ARROW_NULL; break;
  case QV_TYPE_BOOL: *tag = ARROW_BOOL; break;
  case QV_TYPE_UTF8: *tag = ARROW_UTF8; break;
  case QV_TYPE_LARGE_UTF8: *tag = ARROW_LARGE_UTF8; break;
  case QV_TYPE_BINARY: *tag = ARROW_BINARY; break;
  case QV_TYPE_LARGE_BINARY: *tag = ARROW_LARGE_BINARY; break;
  case QV_TYPE_FLOAT32:
  case QV_TYPE_FLOAT64:
    *tag = ARROW_FLOATING_POINT;
    fbb_scalar(&t, 0, 2, type->id == QV_TYPE_FLOAT32 ? 1 : 2);
    break;
  case QV_TYPE_DATE32:
  case QV_TYPE_DATE64:
    *tag = ARROW_DATE;
    fbb_scalar(&t, 0, 2, type->id == QV_TYPE_DATE32 ? 0 : 1);
    break;
  case QV_TYPE_TIME32:
  case QV_TYPE_TIME64:
    *tag = ARROW_TIME;
    fbb_scalar(&t, 0, 2, (uint64_t)type->unit);
    fbb_scalar(&t, 1, 4, type->id == QV_TYPE_TIME32 ? 32 : 64);
    break;
  case QV_TYPE_TIMESTAMP:
    *tag = ARROW_TIMESTAMP;
    fbb_scalar(&t, 0, 2, (uint64_t)type->unit);
    tz = type->timezone[0] != '\0';
    if (tz) fbb_offset_field(&t, 1);
    break;
  case QV_TYPE_DURATION:
    *tag = ARROW_DURATION;
    fbb_scalar(&t, 0, 2, (uint64_t)type->unit);
    break;
  default: /* integers */
    *tag = ARROW_INT;
    fbb_scalar(&t, 0, 4, (uint64_t)(8 * qv_type_id_width_bytes(type->id)));
    fbb_scalar(&t, 1, 1, type->id <= QV_TYPE_INT64 ? 1 : 0);
    break;
  }
  int64_t pos = fbb_end(m, &t);
  if (tz) fbb_patch(m, &t, 1, fbb_string(m, type->timezone, (int64_t)strlen(type->timezone)));
  return pos;
}

static int64_t field_table(fbb *m, const qv_field *f, int64_t dict_id) {
  fbb_table t;
  int tag = 0;
  fbb_begin(&t);
  fbb_offset_field(&t, 0);
  fbb_scalar(&t, 1, 1, f->nullable ? 1 : 0);
  fbb_scalar(&t, 2, 1, 0); /* type tag, set below */
  fbb_offset_field(&t, 3);
  if (f->type.dictionary) fbb_offset_field(&t, 4);
  fbb_offset_field(&t, 5);
  int64_t pos = fbb_end(m, &t);
  fbb_patch(m, &t, 0, fbb_string(m, f->name, (int64_t)strlen(f->name)));
  qv_type value_type = f->type;
  value_type.dictionary = false;
  int64_t type_pos = type_table(m, &value_type, &tag);
  if (!m->failed) m->p[t.at[2]] = (uint8_t)tag;
  fbb_patch(m, &t, 3, type_pos);
  if (f->type.dictionary) {
    fbb_table d;
    fbb_begin(&d);
    fbb_scalar(&d, 0, 8, (uint64_t)dict_id);
    fbb_offset_field(&d, 1);
    fbb_scalar(&d, 2, 1, f->type.dictionary_ordered ? 1 : 0);
    fbb_patch(m, &t, 4, fbb_end(m, &d));
    qv_type index = qv_type_make(f->type.index_type);
    int itag;
    fbb_patch(m, &d, 1, type_table(m, &index, &itag));
  }
  fbb_patch(m, &t, 5, fbb_vector(m, 0, 4, 4));
  return pos;
}

/* --- public API ------------------------------------------------------------------------ */

static int write_schema(qv_writer *w, qv_error *err) {
  fbb m, out;
  fbb_init(&m);
  fbb_init(&out);
  fbb_table msg, s;
  message_begin(&m, 1, 0, &msg);
  fbb_begin(&s);
  fbb_scalar(&s, 0, 2, 0); /* little-endian */
  fbb_offset_field(&s, 1);
  int64_t spos = fbb_end(&m, &s);
  fbb_patch(&m, &msg, 2, spos);
  int64_t n = w->schema.n_fields;
  int64_t vec = fbb_vector(&m, n, 4, 4);
  int64_t slots = fbb_bytes(&m, NULL, 0);
  for (int64_t i = 0; i < n; i++) {
    uint32_t zero = 0;
    fbb_bytes(&m, &zero, 4);
  }
  fbb_patch(&m, &s, 1, vec);
  for (int64_t i = 0; i < n; i++) {
    int64_t fpos = field_table(&m, &w->schema.fields[i], i);
    fbb_patch_at(&m, slots + 4 * i, fpos);
  }
  frame_head(&out, &m, 0);
  int rc = (m.failed || out.failed) ? qv_error_set(err, ENOMEM, "out of memory writing a schema")
                                    : emit(w, out.p, out.size, err);
  fbb_free(&m);
  fbb_free(&out);
  return rc;
}

static int open_common(qv_writer *w, const qv_schema *schema, qv_error *err) {
  int rc = qv_schema_copy(schema, &w->schema, err);
  if (rc != QV_OK) return rc;
  w->last_dict = calloc((size_t)schema->n_fields + 1, sizeof(fbb));
  if (w->last_dict == NULL) return qv_error_set(err, ENOMEM, "out of memory for a writer");
  return write_schema(w, err);
}

static void writer_free(qv_writer *w) {
  if (w->last_dict != NULL) {
    for (int64_t i = 0; i < w->schema.n_fields; i++) fbb_free(&w->last_dict[i]);
    free(w->last_dict);
  }
  qv_schema_release(&w->schema);
  fbb_free(&w->memory);
  free(w);
}

int qv_writer_open_memory(const qv_schema *schema, qv_writer **out, qv_error *err) {
  *out = NULL;
  qv_writer *w = calloc(1, sizeof *w);
  if (w == NULL) return qv_error_set(err, ENOMEM, "out of memory for a writer");
  fbb_init(&w->memory);
  int rc = open_common(w, schema, err);
  if (rc != QV_OK) {
    writer_free(w);
    return rc;
  }
  *out = w;
  return QV_OK;
}

int qv_writer_open_path(const char *path, const qv_schema *schema, qv_writer **out,
                        qv_error *err) {
  *out = NULL;
  qv_writer *w = calloc(1, sizeof *w);
  if (w == NULL) return qv_error_set(err, ENOMEM, "out of memory for a writer");
  fbb_init(&w->memory);
  w->file = fopen(path, "wb");
  if (w->file == NULL) {
    int code = errno == ENOENT ? ENOENT : EIO;
    int rc = qv_error_set(err, code, "cannot create %s: %s", path, strerror(errno));
    writer_free(w);
    return rc;
  }
  int rc = open_common(w, schema, err);
  if (rc != QV_OK) {
    fclose(w->file);
    writer_free(w);
    return rc;
  }
  *out = w;
  return QV_OK;
}

static int check_batch(const qv_writer *w, const qv_batch *batch, qv_error *err) {
  if (batch->n_columns != w->schema.n_fields || batch->n_rows < 0) {
    return qv_error_set(err, EINVAL, "batch has %lld columns, the schema %lld fields",
                        (long long)batch->n_columns, (long long)w->schema.n_fields);
  }
  for (int64_t i = 0; i < batch->n_columns; i++) {
    const qv_field *f = &w->schema.fields[i];
    const qv_column *c = &batch->columns[i];
    int rc = QV_OK;
    if (!qv_type_equals(&c->type, &f->type)) {
      rc = qv_error_set(err, EINVAL, "column '%s': a %s%s column for a %s%s field", f->name,
                        c->type.dictionary ? "dictionary of " : "", qv_type_id_name(c->type.id),
                        f->type.dictionary ? "dictionary of " : "", qv_type_id_name(f->type.id));
    } else if (c->length != batch->n_rows) {
      rc = qv_error_set(err, EINVAL, "column '%s' has %lld rows, the batch %lld", f->name,
                        (long long)c->length, (long long)batch->n_rows);
    } else {
      rc = qv_column_validate(c, err);
      if (rc != QV_OK) {
        char msg[QV_ERROR_MESSAGE_SIZE_BYTES];
        snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
        rc = qv_error_set(err, rc, "column '%s': %s", f->name, msg);
      }
    }
    if (rc != QV_OK) return rc;
  }
  return QV_OK;
}

/** Appends one message (RecordBatch or DictionaryBatch) holding `cols` to `out`. */
static int build_batch_message(const qv_column *const *cols, int64_t n_cols, int64_t length,
                               int64_t dict_id, fbb *out, qv_error *err) {
  body_lists b;
  memset(&b, 0, sizeof b);
  b.nodes = malloc((size_t)(n_cols + 1) * 2 * sizeof(int64_t));
  b.buffers = malloc((size_t)(n_cols + 1) * 6 * sizeof(int64_t));
  fbb m;
  fbb_init(&m);
  int rc = QV_OK;
  if (b.nodes == NULL || b.buffers == NULL) {
    rc = qv_error_set(err, ENOMEM, "out of memory writing a batch");
  } else {
    add_columns(&b, cols, n_cols); /* layout pass: lists and size */
    fbb_table msg;
    message_begin(&m, dict_id >= 0 ? 2 : 3, b.size, &msg);
    if (dict_id >= 0) {
      fbb_table d;
      fbb_begin(&d);
      fbb_scalar(&d, 0, 8, (uint64_t)dict_id);
      fbb_offset_field(&d, 1);
      fbb_scalar(&d, 2, 1, 0); /* isDelta: false (a replacement) */
      fbb_patch(&m, &msg, 2, fbb_end(&m, &d));
      fbb_patch(&m, &d, 1, record_batch_table(&m, length, &b));
    } else {
      fbb_patch(&m, &msg, 2, record_batch_table(&m, length, &b));
    }
    if (!m.failed) frame_head(out, &m, b.size);
    b.dst = out;
    if (!m.failed && !out->failed) add_columns(&b, cols, n_cols); /* copy pass */
    if (m.failed || out->failed) rc = qv_error_set(err, ENOMEM, "out of memory writing a batch");
  }
  free(b.nodes);
  free(b.buffers);
  fbb_free(&m);
  return rc;
}

int qv_writer_write(qv_writer *w, const qv_batch *batch, qv_error *err) {
  if (w->failed) return qv_error_set(err, EIO, "the writer failed earlier");
  int rc = check_batch(w, batch, err);
  if (rc != QV_OK) return rc;
  for (int64_t i = 0; rc == QV_OK && i < batch->n_columns; i++) {
    const qv_column *c = &batch->columns[i];
    if (!c->type.dictionary) continue;
    fbb msg;
    fbb_init(&msg);
    const qv_column *dict = c->dictionary;
    rc = build_batch_message(&dict, 1, dict->length, i, &msg, err);
    fbb *last = &w->last_dict[i];
    bool same = rc == QV_OK && last->size == msg.size &&
                (msg.size == 0 || memcmp(last->p, msg.p, (size_t)msg.size) == 0);
    if (rc == QV_OK && !same) {
      rc = emit(w, msg.p, msg.size, err);
      fbb_free(last);
      *last = msg;
    } else {
      fbb_free(&msg);
    }
  }
  if (rc == QV_OK) {
    const qv_column **cols = malloc((size_t)(batch->n_columns + 1) * sizeof *cols);
    if (cols == NULL) {
      rc = qv_error_set(err, ENOMEM, "out of memory writing a batch");
    } else {
      for (int64_t i = 0; i < batch->n_columns; i++) cols[i] = &batch->columns[i];
      /* Straight into the output buffer: the batch's only copy. */
      rc = build_batch_message(cols, batch->n_columns, batch->n_rows, -1, &w->memory, err);
      if (rc == QV_OK) rc = flush_file(w, err);
      free(cols);
    }
  }
  if (rc != QV_OK && rc != EINVAL) w->failed = true;
  return rc;
}

static int finish(qv_writer *w, qv_error *err) {
  static const uint8_t eos[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
  if (w->failed) return qv_error_set(err, EIO, "the writer failed earlier");
  return emit(w, eos, 8, err);
}

int qv_writer_close(qv_writer *w, qv_error *err) {
  if (w == NULL) return QV_OK;
  int rc = finish(w, err);
  if (w->file != NULL) {
    if (fclose(w->file) != 0 && rc == QV_OK) {
      rc = qv_error_set(err, EIO, "error closing the output stream: %s", strerror(errno));
    }
  }
  writer_free(w);
  return rc;
}

int qv_writer_finish_memory(qv_writer *w, uint8_t **out_data, int64_t *out_size_bytes,
                            qv_error *err) {
  *out_data = NULL;
  *out_size_bytes = 0;
  if (w->file != NULL) {
    qv_writer_close(w, NULL);
    return qv_error_set(err, EINVAL, "qv_writer_finish_memory on a file writer");
  }
  int rc = finish(w, err);
  if (rc == QV_OK) {
    *out_data = w->memory.p;
    *out_size_bytes = w->memory.size;
    w->memory.p = NULL;
  }
  writer_free(w);
  return rc;
}

void qv_writer_pending_(const qv_writer *w, const uint8_t **out_data, int64_t *out_size_bytes) {
  *out_data = w->memory.p;
  *out_size_bytes = w->memory.size;
}

void qv_writer_clear_pending_(qv_writer *w) {
  w->memory.size = 0;
}

