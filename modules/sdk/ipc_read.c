/*
 * Arrow IPC stream reader of the Quiver guest SDK (see quiver.h).
 *
 * Source: the Arrow columnar format and IPC specification
 * (https://arrow.apache.org/docs/format/Columnar.html#serialization-and-interprocess-communication-ipc)
 * and the FlatBuffers schemas Schema.fbs and Message.fbs. A stream is a sequence of
 * encapsulated messages: [0xFFFFFFFF continuation] int32 metadata size, a FlatBuffer
 * `Message` (padded), then `bodyLength` bytes of body. The pre-1.0 form has no continuation
 * marker. A size of 0 (or the end of the data) ends the stream. The first message is the
 * Schema; DictionaryBatch and RecordBatch messages follow.
 *
 * Everything read from the stream is validated before use: FlatBuffer offsets (flatbuf.h),
 * buffer extents inside the body, column lengths, offsets and dictionary indices.
 *
 * For ABI v2 the stream arrives in blocks (qv_reader_open_block_, qv_reader_feed_): columns
 * and dictionaries point into the current block, so before a block is freed its dictionaries
 * are copied (qv_reader_detach_); the other columns are done with by then.
 */
#include <stdio.h>

#include "flatbuf.h"
#include "ipc_schema.h"

/** One dictionary id of the schema: its value type and current values. */
typedef struct dict_entry {
  int64_t id;
  qv_type value_type;
  const char *field_name; /* borrowed from the schema */
  qv_column *values;      /* heap; NULL until the first dictionary batch */
  bool referenced;        /* a returned batch points at `values` */
  bool borrowed;          /* `values` points into the current block (qv_reader_feed_) */
} dict_entry;

struct qv_reader {
  const uint8_t *data;
  int64_t size_bytes;
  uint8_t *owned_data;
  int64_t pos;
  int64_t message_index;
  qv_schema schema;
  int64_t *field_dict; /* per field: index into dicts, or -1 */
  dict_entry *dicts;
  int64_t n_dicts;
  qv_column **retired; /* replaced dictionaries still referenced by returned batches */
  int64_t n_retired;
  int64_t n_batches;
  bool ended;
};

/** A decoded message. */
typedef struct message {
  int64_t header_type;
  fb_buf meta;
  fb_table header;
  const uint8_t *body;
  int64_t body_size_bytes;
  int64_t offset; /* of the message in the stream, for errors */
} message;

enum { HEADER_SCHEMA = 1, HEADER_DICTIONARY_BATCH = 2, HEADER_RECORD_BATCH = 3 };

/* Rows per batch are capped: more cannot be addressed by 32-bit offsets and wasm32 memory. */
#define MAX_ROWS INT32_MAX

/** Reads the next message. Sets *end on the end-of-stream marker or the end of the data. */
static int read_message(qv_reader *r, message *m, bool *end, qv_error *err) {
  *end = false;
  memset(m, 0, sizeof *m);
  m->offset = r->pos;
  int64_t left = r->size_bytes - r->pos;
  if (left == 0) {
    *end = true;
    return QV_OK;
  }
  if (left < 4) {
    return qv_error_set(err, EINVAL, "truncated message header at byte %lld", (long long)r->pos);
  }
  uint32_t word;
  memcpy(&word, r->data + r->pos, 4);
  int64_t meta_size;
  if (word == 0xFFFFFFFFu) {
    if (left < 8) {
      return qv_error_set(err, EINVAL, "truncated message header at byte %lld",
                          (long long)r->pos);
    }
    int32_t len;
    memcpy(&len, r->data + r->pos + 4, 4);
    meta_size = len;
    r->pos += 8;
  } else {
    meta_size = (int32_t)word; /* legacy form without the continuation marker */
    r->pos += 4;
  }
  if (meta_size == 0) {
    *end = true;
    return QV_OK;
  }
  if (meta_size < 0 || meta_size > r->size_bytes - r->pos) {
    return qv_error_set(err, EINVAL,
                        "message at byte %lld: metadata size %lld exceeds the %lld bytes left",
                        (long long)m->offset, (long long)meta_size,
                        (long long)(r->size_bytes - r->pos));
  }
  m->meta.p = r->data + r->pos;
  m->meta.size = meta_size;
  r->pos += meta_size;
  fb_table msg;
  int64_t version, body_len;
  if (!fb_root(&m->meta, &msg) || !fb_scalar(&msg, 0, 2, true, 0, &version) ||
      !fb_scalar(&msg, 1, 1, false, 0, &m->header_type) ||
      !fb_scalar(&msg, 3, 8, true, 0, &body_len)) {
    return qv_error_set(err, EINVAL, "message at byte %lld: malformed Message metadata",
                        (long long)m->offset);
  }
  if (version < 3 || version > 4) {
    return qv_error_set(err, ENOTSUP,
                        "message at byte %lld: unsupported IPC metadata version V%lld (only V4 "
                        "and V5 are supported)",
                        (long long)m->offset, (long long)version + 1);
  }
  int rc = fb_subtable(&msg, 2, &m->header);
  if (rc < 0) {
    return qv_error_set(err, EINVAL, "message at byte %lld: malformed message header",
                        (long long)m->offset);
  }
  if (rc == 0) m->header_type = 0;
  if (body_len < 0 || body_len > r->size_bytes - r->pos) {
    return qv_error_set(err, EINVAL,
                        "message at byte %lld: body length %lld exceeds the %lld bytes left",
                        (long long)m->offset, (long long)body_len,
                        (long long)(r->size_bytes - r->pos));
  }
  m->body = r->data + r->pos;
  m->body_size_bytes = body_len;
  r->pos += body_len;
  r->message_index++;
  return QV_OK;
}

/* --- columns from a RecordBatch body --------------------------------------------------- */

/** The RecordBatch metadata being decoded. */
typedef struct batch_meta {
  int64_t length;
  fb_vec nodes;   /* FieldNode structs: int64 length, int64 null_count */
  fb_vec buffers; /* Buffer structs: int64 offset, int64 length */
  int64_t next_node;
  int64_t next_buffer;
  const uint8_t *body;
  int64_t body_size_bytes;
} batch_meta;

static int parse_batch_meta(const fb_table *rb, const message *m, batch_meta *bm,
                            const char *what, qv_error *err) {
  memset(bm, 0, sizeof *bm);
  fb_table compression;
  fb_vec variadic;
  if (!fb_scalar(rb, 0, 8, true, 0, &bm->length) || fb_vector(rb, 1, 16, &bm->nodes) < 0 ||
      fb_vector(rb, 2, 16, &bm->buffers) < 0 || fb_vector(rb, 4, 8, &variadic) < 0) {
    return qv_error_set(err, EINVAL, "%s at byte %lld: malformed RecordBatch metadata", what,
                        (long long)m->offset);
  }
  int rc = fb_subtable(rb, 3, &compression);
  if (rc < 0) {
    return qv_error_set(err, EINVAL, "%s at byte %lld: malformed compression metadata", what,
                        (long long)m->offset);
  }
  if (rc > 0) {
    int64_t codec = 0;
    fb_scalar(&compression, 0, 1, true, 0, &codec);
    return qv_error_set(err, ENOTSUP, "unsupported feature: compressed IPC bodies (%s) in %s",
                        codec == 0 ? "LZ4_FRAME" : codec == 1 ? "ZSTD" : "unknown codec", what);
  }
  if (variadic.len > 0) {
    return qv_error_set(err, ENOTSUP, "unsupported feature: variadic buffers (view types) in %s",
                        what);
  }
  if (bm->length < 0 || bm->length > MAX_ROWS) {
    return qv_error_set(err, bm->length < 0 ? EINVAL : ENOTSUP,
                        "%s at byte %lld: length %lld outside 0..2^31-1 rows", what,
                        (long long)m->offset, (long long)bm->length);
  }
  bm->body = m->body;
  bm->body_size_bytes = m->body_size_bytes;
  return QV_OK;
}

/** Takes the next body buffer: `*p`/`*size` (NULL/0 when empty). */
static int next_buffer(batch_meta *bm, const uint8_t **p, int64_t *size, const char *field,
                       qv_error *err) {
  if (bm->next_buffer >= bm->buffers.len) {
    return qv_error_set(err, EINVAL, "field '%s': the batch lists too few buffers (%lld)", field,
                        (long long)bm->buffers.len);
  }
  int64_t k = bm->next_buffer++;
  int64_t off = fb_vec_i64(&bm->buffers, k, 16, 0);
  int64_t len = fb_vec_i64(&bm->buffers, k, 16, 8);
  if (off < 0 || len < 0 || off > bm->body_size_bytes || len > bm->body_size_bytes - off) {
    return qv_error_set(err, EINVAL,
                        "field '%s': buffer %lld (offset %lld, %lld bytes) lies outside the "
                        "%lld-byte body",
                        field, (long long)k, (long long)off, (long long)len,
                        (long long)bm->body_size_bytes);
  }
  *p = len > 0 ? bm->body + off : NULL;
  *size = len;
  return QV_OK;
}

/** Points `*slot` at `p`, or at an aligned heap copy owned by `col` when `p` is misaligned. */
static int place(qv_column *col, const void **slot, const uint8_t *p, int64_t size, int align,
                 qv_error *err) {
  if (p == NULL) {
    *slot = qv_empty_buffer_;
    return QV_OK;
  }
  if ((uintptr_t)p % (uintptr_t)align == 0) {
    *slot = p;
    return QV_OK;
  }
  void *copy = malloc((size_t)size);
  if (copy == NULL) return qv_error_set(err, ENOMEM, "out of memory copying a buffer");
  memcpy(copy, p, (size_t)size);
  *slot = copy;
  return qv_column_own_(col, copy, err);
}

/** Decodes the next field node and its buffers as a plain column of `type` (for dictionary
 * fields, the index type). `col` may own copies on return, also on failure. */
static int load_column(batch_meta *bm, qv_type type, const char *field, qv_column *col,
                       qv_error *err) {
  memset(col, 0, sizeof *col);
  col->type = type;
  if (bm->next_node >= bm->nodes.len) {
    return qv_error_set(err, EINVAL, "field '%s': the batch lists too few field nodes (%lld)",
                        field, (long long)bm->nodes.len);
  }
  int64_t length = fb_vec_i64(&bm->nodes, bm->next_node, 16, 0);
  int64_t null_count = fb_vec_i64(&bm->nodes, bm->next_node, 16, 8);
  bm->next_node++;
  if (length != bm->length) {
    return qv_error_set(err, EINVAL, "field '%s': %lld rows in a batch of %lld rows", field,
                        (long long)length, (long long)bm->length);
  }
  if (null_count < 0 || null_count > length) {
    return qv_error_set(err, EINVAL, "field '%s': invalid null count %lld for %lld rows", field,
                        (long long)null_count, (long long)length);
  }
  col->length = length;
  if (type.id == QV_TYPE_NULL) { /* no buffers */
    col->null_count = length;
    return QV_OK;
  }
  const uint8_t *p;
  int64_t size;
  int rc = next_buffer(bm, &p, &size, field, err);
  if (rc != QV_OK) return rc;
  if (null_count > 0) {
    if (size < qv_bitmap_size_bytes_(length)) {
      return qv_error_set(err, EINVAL, "field '%s': validity bitmap of %lld bytes for %lld rows",
                          field, (long long)size, (long long)length);
    }
    col->validity = p;
    col->null_count = null_count;
  }
  if (qv_type_id_is_binary_like(type.id)) {
    int ow = (type.id == QV_TYPE_LARGE_UTF8 || type.id == QV_TYPE_LARGE_BINARY) ? 8 : 4;
    rc = next_buffer(bm, &p, &size, field, err);
    if (rc != QV_OK) return rc;
    if (length > 0 && size / ow < length + 1) {
      return qv_error_set(err, EINVAL, "field '%s': offsets buffer of %lld bytes for %lld rows",
                          field, (long long)size, (long long)length);
    }
    rc = place(col, &col->offsets, p, size, ow, err);
    if (rc != QV_OK) return rc;
    rc = next_buffer(bm, &p, &size, field, err);
    if (rc != QV_OK) return rc;
    col->data = p;
    col->data_size_bytes = size;
  } else {
    rc = next_buffer(bm, &p, &size, field, err);
    if (rc != QV_OK) return rc;
    int w = qv_type_id_width_bytes(type.id);
    int64_t need = w == 0 ? qv_bitmap_size_bytes_(length) : length * w;
    if (size < need) {
      return qv_error_set(err, EINVAL, "field '%s': values buffer of %lld bytes for %lld rows",
                          field, (long long)size, (long long)length);
    }
    rc = place(col, &col->values, p, size, w == 0 ? 1 : w, err);
    if (rc != QV_OK) return rc;
  }
  rc = qv_column_validate(col, err);
  if (rc != QV_OK) {
    char msg[QV_ERROR_MESSAGE_SIZE_BYTES];
    snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
    return qv_error_set(err, rc, "field '%s': %s", field, msg);
  }
  return QV_OK;
}

static int check_all_used(const batch_meta *bm, const char *what, qv_error *err) {
  if (bm->next_node != bm->nodes.len || bm->next_buffer != bm->buffers.len) {
    return qv_error_set(err, EINVAL,
                        "%s: %lld field nodes and %lld buffers listed, %lld and %lld expected",
                        what, (long long)bm->nodes.len, (long long)bm->buffers.len,
                        (long long)bm->next_node, (long long)bm->next_buffer);
  }
  return QV_OK;
}

/* --- dictionaries ---------------------------------------------------------------------- */

static int retire(qv_reader *r, qv_column *old, bool referenced, qv_error *err) {
  if (old == NULL) return QV_OK;
  if (!referenced) {
    qv_column_release(old);
    free(old);
    return QV_OK;
  }
  qv_column **grown = realloc(r->retired, (size_t)(r->n_retired + 1) * sizeof *grown);
  if (grown == NULL) {
    qv_column_release(old);
    free(old);
    return qv_error_set(err, ENOMEM, "out of memory");
  }
  r->retired = grown;
  r->retired[r->n_retired++] = old;
  return QV_OK;
}

/** Concatenates two plain columns of one type into a new owned column. */
static int concat2(const qv_column *a, const qv_column *b, qv_column *out, qv_error *err) {
  qv_builder *bld = NULL;
  int rc = qv_builder_new(a->type, a->length + b->length, &bld, err);
  for (int64_t i = 0; rc == QV_OK && i < a->length; i++) rc = qv_builder_append_from(bld, a, i, err);
  for (int64_t i = 0; rc == QV_OK && i < b->length; i++) rc = qv_builder_append_from(bld, b, i, err);
  if (rc != QV_OK) {
    qv_builder_free(bld);
    return rc;
  }
  return qv_builder_finish(bld, out, err);
}

static int apply_dictionary_batch(qv_reader *r, const message *m, qv_error *err) {
  int64_t id, is_delta;
  fb_table rb;
  char what[64];
  snprintf(what, sizeof what, "dictionary batch at byte %lld", (long long)m->offset);
  if (!fb_scalar(&m->header, 0, 8, true, 0, &id) ||
      !fb_scalar(&m->header, 2, 1, false, 0, &is_delta) || fb_subtable(&m->header, 1, &rb) != 1) {
    return qv_error_set(err, EINVAL, "%s: malformed DictionaryBatch metadata", what);
  }
  dict_entry *e = NULL;
  for (int64_t k = 0; k < r->n_dicts; k++) {
    if (r->dicts[k].id == id) e = &r->dicts[k];
  }
  if (e == NULL) {
    return qv_error_set(err, EINVAL, "%s: no field uses dictionary id %lld", what, (long long)id);
  }
  batch_meta bm;
  int rc = parse_batch_meta(&rb, m, &bm, what, err);
  if (rc != QV_OK) return rc;
  qv_column *fresh = calloc(1, sizeof *fresh);
  if (fresh == NULL) return qv_error_set(err, ENOMEM, "out of memory for a dictionary");
  rc = load_column(&bm, e->value_type, e->field_name, fresh, err);
  if (rc == QV_OK) rc = check_all_used(&bm, what, err);
  if (rc == QV_OK && is_delta && e->values != NULL) {
    qv_column *merged = calloc(1, sizeof *merged);
    rc = merged == NULL ? qv_error_set(err, ENOMEM, "out of memory for a dictionary")
                        : concat2(e->values, fresh, merged, err);
    qv_column_release(fresh);
    free(fresh);
    fresh = merged;
  }
  if (rc != QV_OK) {
    if (fresh != NULL) qv_column_release(fresh);
    free(fresh);
    return rc;
  }
  rc = retire(r, e->values, e->referenced, err);
  e->borrowed = !(is_delta && e->values != NULL); /* a merged delta owns its buffers */
  e->values = fresh;
  e->referenced = false;
  return rc;
}

/* --- record batches -------------------------------------------------------------------- */

static int read_record_batch(qv_reader *r, const message *m, qv_batch *out, qv_error *err) {
  char what[64];
  snprintf(what, sizeof what, "record batch %lld", (long long)r->n_batches);
  batch_meta bm;
  int rc = parse_batch_meta(&m->header, m, &bm, what, err);
  if (rc != QV_OK) return rc;
  rc = qv_batch_init(out, r->schema.n_fields, bm.length, err);
  for (int64_t f = 0; rc == QV_OK && f < r->schema.n_fields; f++) {
    const qv_field *field = &r->schema.fields[f];
    qv_column *col = &out->columns[f];
    if (!field->type.dictionary) {
      rc = load_column(&bm, field->type, field->name, col, err);
      continue;
    }
    dict_entry *e = &r->dicts[r->field_dict[f]];
    if (e->values == NULL) { /* no dictionary yet: an empty one, so any index is refused */
      e->values = calloc(1, sizeof(qv_column));
      if (e->values == NULL) {
        rc = qv_error_set(err, ENOMEM, "out of memory");
        break;
      }
      e->values->type = e->value_type;
      e->values->values = qv_empty_buffer_;
      e->values->offsets = qv_empty_buffer_;
    }
    rc = load_column(&bm, qv_type_make(field->type.index_type), field->name, col, err);
    if (rc != QV_OK) break;
    col->type = field->type;
    col->dictionary = e->values;
    e->referenced = true;
    /* The dictionary was validated when it was loaded: check only the indices here, so a
     * large dictionary is not re-scanned for every batch. */
    rc = qv_dictionary_indices_validate_(col, err);
    if (rc != QV_OK) {
      char msg[QV_ERROR_MESSAGE_SIZE_BYTES];
      snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
      rc = qv_error_set(err, rc, "%s, field '%s': %s", what, field->name, msg);
    }
  }
  if (rc == QV_OK) rc = check_all_used(&bm, what, err);
  if (rc != QV_OK) {
    qv_batch_release(out);
    return rc;
  }
  r->n_batches++;
  return QV_OK;
}

/* --- public API ------------------------------------------------------------------------ */

static int open_common(qv_reader *r, qv_error *err) {
  message m;
  bool end;
  int rc = read_message(r, &m, &end, err);
  if (rc != QV_OK) return rc;
  if (end) return qv_error_set(err, EINVAL, "empty IPC stream: no schema message");
  if (m.header_type != HEADER_SCHEMA) {
    return qv_error_set(err, EINVAL, "the first IPC message is not a schema (header type %lld)",
                        (long long)m.header_type);
  }
  ipc_dict_ref *refs = NULL;
  rc = qv_ipc_parse_schema_(&m.header, &r->schema, &refs, err);
  if (rc != QV_OK) return rc;
  r->field_dict = malloc((size_t)(r->schema.n_fields + 1) * sizeof(int64_t));
  r->dicts = calloc((size_t)(r->schema.n_fields + 1), sizeof(dict_entry));
  if (r->field_dict == NULL || r->dicts == NULL) {
    free(refs);
    return qv_error_set(err, ENOMEM, "out of memory");
  }
  for (int64_t f = 0; f < r->schema.n_fields; f++) {
    r->field_dict[f] = -1;
    if (!r->schema.fields[f].type.dictionary) continue;
    qv_type vt = r->schema.fields[f].type;
    vt.dictionary = false;
    int64_t k = 0;
    while (k < r->n_dicts && r->dicts[k].id != refs[f].id) k++;
    if (k == r->n_dicts) {
      r->dicts[k].id = refs[f].id;
      r->dicts[k].value_type = vt;
      r->dicts[k].field_name = r->schema.fields[f].name;
      r->n_dicts++;
    } else if (!qv_type_equals(&r->dicts[k].value_type, &vt)) {
      int64_t id = refs[f].id;
      free(refs);
      return qv_error_set(err, EINVAL,
                          "fields '%s' and '%s' share dictionary id %lld with different value "
                          "types",
                          r->dicts[k].field_name, r->schema.fields[f].name, (long long)id);
    }
    r->field_dict[f] = k;
  }
  free(refs);
  return QV_OK;
}

int qv_reader_open_memory(const uint8_t *data, int64_t size_bytes, qv_reader **out,
                          qv_error *err) {
  *out = NULL;
  if (size_bytes < 0 || (data == NULL && size_bytes > 0)) {
    return qv_error_set(err, EINVAL, "invalid buffer");
  }
  qv_reader *r = calloc(1, sizeof *r);
  if (r == NULL) return qv_error_set(err, ENOMEM, "out of memory for a reader");
  r->data = data;
  r->size_bytes = size_bytes;
  /* The IPC file format is "ARROW1", 2 bytes of padding, a stream, a footer and "ARROW1":
   * read its stream, which ends with the end-of-stream marker before the footer. */
  if (size_bytes >= 8 && memcmp(data, "ARROW1\0\0", 8) == 0) r->pos = 8;
  int rc = open_common(r, err);
  if (rc != QV_OK) {
    qv_reader_close(r);
    return rc;
  }
  *out = r;
  return QV_OK;
}

int qv_reader_open_path(const char *path, qv_reader **out, qv_error *err) {
  *out = NULL;
  uint8_t *data;
  int64_t size;
  int rc = qv_read_file_(path, &data, &size, err);
  if (rc != QV_OK) return rc;
  rc = qv_reader_open_memory(data, size, out, err);
  if (rc != QV_OK) {
    free(data);
    char msg[QV_ERROR_MESSAGE_SIZE_BYTES];
    snprintf(msg, sizeof msg, "%s", err != NULL ? err->message : "");
    return qv_error_set(err, rc, "%s: %s", path, msg);
  }
  (*out)->owned_data = data;
  return QV_OK;
}

const qv_schema *qv_reader_schema(const qv_reader *r) {
  return &r->schema;
}

int64_t qv_reader_batch_count(const qv_reader *r) {
  return r->n_batches;
}

int qv_reader_next(qv_reader *r, qv_batch *out, bool *out_end, qv_error *err) {
  memset(out, 0, sizeof *out);
  *out_end = false;
  while (!r->ended) {
    message m;
    bool end;
    int rc = read_message(r, &m, &end, err);
    if (rc != QV_OK) return rc;
    if (end) {
      r->ended = true;
      break;
    }
    switch (m.header_type) {
    case HEADER_RECORD_BATCH: return read_record_batch(r, &m, out, err);
    case HEADER_DICTIONARY_BATCH:
      rc = apply_dictionary_batch(r, &m, err);
      if (rc != QV_OK) return rc;
      break;
    case HEADER_SCHEMA:
      return qv_error_set(err, EINVAL, "message at byte %lld: a second schema message",
                          (long long)m.offset);
    case 4:
    case 5:
      return qv_error_set(err, ENOTSUP, "unsupported IPC message type %s at byte %lld",
                          m.header_type == 4 ? "Tensor" : "SparseTensor", (long long)m.offset);
    default:
      return qv_error_set(err, EINVAL, "message at byte %lld: unknown header type %lld",
                          (long long)m.offset, (long long)m.header_type);
    }
  }
  *out_end = true;
  return QV_OK;
}

/* --- pushed blocks (ABI v2, see internal.h) -------------------------------------------- */

int qv_reader_open_block_(const uint8_t *data, int64_t size_bytes, qv_reader **out,
                          qv_error *err) {
  int rc = qv_reader_open_memory(data, size_bytes, out, err);
  if (rc != QV_OK) return rc;
  int64_t left = size_bytes - (*out)->pos;
  if (left != 0) {
    qv_reader_close(*out);
    *out = NULL;
    return qv_error_set(err, EINVAL,
                        "the first block must hold the Schema message alone (%lld bytes follow "
                        "it)",
                        (long long)left);
  }
  /* The schema is copied; nothing borrows the block any more. */
  (*out)->data = NULL;
  (*out)->size_bytes = 0;
  (*out)->pos = 0;
  return QV_OK;
}

void qv_reader_feed_(qv_reader *r, const uint8_t *data, int64_t size_bytes) {
  r->data = data;
  r->size_bytes = size_bytes;
  r->pos = 0;
  r->ended = false;
}

/** Frees the retired dictionaries and clears the `referenced` marks: no batch is alive. */
static void forget_batches(qv_reader *r) {
  for (int64_t k = 0; k < r->n_retired; k++) {
    qv_column_release(r->retired[k]);
    free(r->retired[k]);
  }
  r->n_retired = 0;
  for (int64_t k = 0; k < r->n_dicts; k++) r->dicts[k].referenced = false;
}

int qv_reader_detach_(qv_reader *r, bool batches_alive, qv_error *err) {
  if (!batches_alive) forget_batches(r);
  for (int64_t k = 0; k < r->n_dicts; k++) {
    dict_entry *e = &r->dicts[k];
    if (!e->borrowed) continue;
    qv_column *copy = calloc(1, sizeof *copy);
    if (copy == NULL) return qv_error_set(err, ENOMEM, "out of memory copying a dictionary");
    int rc = qv_column_decode_dictionary(e->values, copy, err); /* a plain column: a copy */
    if (rc != QV_OK) {
      qv_column_release(copy);
      free(copy);
      return rc;
    }
    rc = retire(r, e->values, e->referenced, err);
    e->values = copy;
    e->referenced = false;
    e->borrowed = false;
    if (rc != QV_OK) return rc;
  }
  r->data = NULL;
  r->size_bytes = 0;
  r->pos = 0;
  return QV_OK;
}

void qv_reader_close(qv_reader *r) {
  if (r == NULL) return;
  for (int64_t k = 0; k < r->n_dicts; k++) {
    if (r->dicts[k].values != NULL) {
      qv_column_release(r->dicts[k].values);
      free(r->dicts[k].values);
    }
  }
  for (int64_t k = 0; k < r->n_retired; k++) {
    qv_column_release(r->retired[k]);
    free(r->retired[k]);
  }
  free(r->retired);
  free(r->dicts);
  free(r->field_dict);
  qv_schema_release(&r->schema);
  free(r->owned_data);
  free(r);
}
