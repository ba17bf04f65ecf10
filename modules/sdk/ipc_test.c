/* Unit tests of the SDK's IPC reader and writer, builders and column helpers, built natively
 * with sanitizers and run by modules/sdk/sdk.test.ts. Streams that must be refused are built
 * by hand here, message by message, following Message.fbs / Schema.fbs (with the internal
 * FlatBuffers builder), so each refusal is checked on exactly the feature it names. Prints
 * "ok <n> checks" or the failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flatbuf.h"
#include "quiver.h"

static int checks = 0;
static int failures = 0;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    checks++;                                                                            \
    if (!(cond)) {                                                                       \
      failures++;                                                                        \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                             \
    }                                                                                    \
  } while (0)

/* --- hand-built streams ---------------------------------------------------------------- */

typedef struct spec {
  int version;          /* MetadataVersion: 4 = V5 */
  int endianness;       /* 0 little, 1 big */
  int type_tag;         /* Type union tag of field "x": 2 Int, 5 Utf8 */
  bool dictionary;      /* field "x" is dictionary-encoded (int32 indices, id 7) */
  int compression;      /* -1 none, else the codec of a BodyCompression table */
  bool continuation;    /* write the 0xFFFFFFFF marker */
  int64_t buffer_shift; /* added to the values buffer offset (out of bounds when large) */
} spec;

static void frame(fbb *out, fbb *m, const void *body, int64_t body_len, bool continuation) {
  fbb_align(m, 8, continuation ? 0 : 4);
  uint32_t marker = 0xFFFFFFFFu, len = (uint32_t)m->size;
  if (continuation) fbb_bytes(out, &marker, 4);
  fbb_bytes(out, &len, 4);
  fbb_bytes(out, m->p, m->size);
  fbb_bytes(out, body, body_len);
  fbb_free(m);
}

static void message(fbb *m, const spec *s, int header_type, int64_t body_len, fbb_table *msg) {
  fbb_init(m);
  uint32_t zero = 0;
  fbb_bytes(m, &zero, 4);
  fbb_begin(msg);
  fbb_scalar(msg, 0, 2, (uint64_t)s->version);
  fbb_scalar(msg, 1, 1, (uint64_t)header_type);
  fbb_offset_field(msg, 2);
  fbb_scalar(msg, 3, 8, (uint64_t)body_len);
  fbb_patch_at(m, 0, fbb_end(m, msg));
}

static int64_t int_table(fbb *m, int bits, bool is_signed) {
  fbb_table t;
  fbb_begin(&t);
  fbb_scalar(&t, 0, 4, (uint64_t)bits);
  fbb_scalar(&t, 1, 1, is_signed);
  return fbb_end(m, &t);
}

static void schema_message(fbb *out, const spec *s) {
  fbb m;
  fbb_table msg, sch, field;
  message(&m, s, 1, 0, &msg);
  fbb_begin(&sch);
  fbb_scalar(&sch, 0, 2, (uint64_t)s->endianness);
  fbb_offset_field(&sch, 1);
  fbb_patch(&m, &msg, 2, fbb_end(&m, &sch));
  int64_t vec = fbb_vector(&m, 1, 4, 4);
  uint32_t slot = 0;
  fbb_bytes(&m, &slot, 4);
  fbb_patch(&m, &sch, 1, vec);
  fbb_begin(&field);
  fbb_offset_field(&field, 0);
  fbb_scalar(&field, 1, 1, 1);
  fbb_scalar(&field, 2, 1, (uint64_t)s->type_tag);
  fbb_offset_field(&field, 3);
  if (s->dictionary) fbb_offset_field(&field, 4);
  fbb_patch_at(&m, vec + 4, fbb_end(&m, &field));
  fbb_patch(&m, &field, 0, fbb_string(&m, "x", 1));
  int64_t type;
  if (s->type_tag == 2) {
    type = int_table(&m, 32, true);
  } else {
    fbb_table empty;
    fbb_begin(&empty);
    type = fbb_end(&m, &empty);
  }
  fbb_patch(&m, &field, 3, type);
  if (s->dictionary) {
    fbb_table d;
    fbb_begin(&d);
    fbb_scalar(&d, 0, 8, 7);
    fbb_offset_field(&d, 1);
    fbb_patch(&m, &field, 4, fbb_end(&m, &d));
    fbb_patch(&m, &d, 1, int_table(&m, 32, true));
  }
  frame(out, &m, NULL, 0, s->continuation);
}

/** A RecordBatch (or the data of a DictionaryBatch with id 7) of `n` rows of one int32 or
 * utf8 column: buffers validity (empty), values/offsets, and data for utf8. */
static void batch_message(fbb *out, const spec *s, bool dictionary_batch, int type_tag,
                          int64_t n, const void *values, int64_t values_len, const void *data,
                          int64_t data_len) {
  uint8_t body[256] = {0};
  int64_t data_at = (values_len + 7) / 8 * 8;
  memcpy(body, values, (size_t)values_len);
  if (data_len > 0) memcpy(body + data_at, data, (size_t)data_len);
  int64_t body_len = data_at + (data_len + 7) / 8 * 8;
  fbb m;
  fbb_table msg, rb, outer;
  message(&m, s, dictionary_batch ? 2 : 3, body_len, &msg);
  if (dictionary_batch) {
    fbb_begin(&outer);
    fbb_scalar(&outer, 0, 8, 7);
    fbb_offset_field(&outer, 1);
    fbb_patch(&m, &msg, 2, fbb_end(&m, &outer));
  }
  fbb_begin(&rb);
  fbb_scalar(&rb, 0, 8, (uint64_t)n);
  fbb_offset_field(&rb, 1);
  fbb_offset_field(&rb, 2);
  if (s->compression >= 0 && !dictionary_batch) fbb_offset_field(&rb, 3);
  int64_t rb_pos = fbb_end(&m, &rb);
  fbb_patch(&m, dictionary_batch ? &outer : &msg, dictionary_batch ? 1 : 2, rb_pos);
  int64_t nodes[2] = {n, 0};
  fbb_patch(&m, &rb, 1, fbb_vector(&m, 1, 16, 8));
  fbb_bytes(&m, nodes, 16);
  int n_buffers = type_tag == 5 ? 3 : 2;
  int64_t buffers[6] = {0, 0, s->buffer_shift, values_len, data_at, data_len};
  fbb_patch(&m, &rb, 2, fbb_vector(&m, n_buffers, 16, 8));
  fbb_bytes(&m, buffers, 16 * n_buffers);
  if (s->compression >= 0 && !dictionary_batch) {
    fbb_table c;
    fbb_begin(&c);
    fbb_scalar(&c, 0, 1, (uint64_t)s->compression);
    fbb_patch(&m, &rb, 3, fbb_end(&m, &c));
  }
  frame(out, &m, body, body_len, s->continuation);
}

static void end_of_stream(fbb *out) {
  uint32_t eos[2] = {0xFFFFFFFFu, 0};
  fbb_bytes(out, eos, 8);
}

static const spec plain = {4, 0, 2, false, -1, true, 0};

/** A stream of field x: int32 with one batch [1, 2, 3] under `s`. */
static void int_stream(fbb *out, const spec *s) {
  fbb_init(out);
  int32_t v[3] = {1, 2, 3};
  schema_message(out, s);
  batch_message(out, s, false, 2, 3, v, 12, NULL, 0);
  end_of_stream(out);
}

/** Opens and reads `bytes` fully; returns the first error code (QV_OK if none). */
static int read_everything(const uint8_t *bytes, int64_t size, qv_error *err, int64_t *rows) {
  qv_reader *r;
  *rows = 0;
  int rc = qv_reader_open_memory(bytes, size, &r, err);
  while (rc == QV_OK) {
    qv_batch b;
    bool end;
    rc = qv_reader_next(r, &b, &end, err);
    if (rc != QV_OK || end) break;
    *rows += b.n_rows;
    qv_batch_release(&b);
  }
  qv_reader_close(r);
  return rc;
}

static void expect_refusal(const spec *s, int code, const char *needle) {
  fbb out;
  int_stream(&out, s);
  qv_error err = {0, ""};
  int64_t rows;
  int rc = read_everything(out.p, out.size, &err, &rows);
  CHECK(rc == code);
  if (strstr(err.message, needle) == NULL) {
    failures++;
    printf("FAIL: message '%s' lacks '%s'\n", err.message, needle);
  }
  fbb_free(&out);
}

static void test_hand_built_streams(void) {
  fbb out;
  qv_error err;
  int64_t rows;
  int_stream(&out, &plain);
  qv_reader *r;
  CHECK(qv_reader_open_memory(out.p, out.size, &r, &err) == QV_OK);
  qv_batch b;
  bool end;
  CHECK(qv_reader_next(r, &b, &end, &err) == QV_OK && !end && b.n_rows == 3);
  CHECK(qv_column_int64_at(&b.columns[0], 0) == 1 && qv_column_int64_at(&b.columns[0], 2) == 3);
  CHECK(qv_reader_schema(r)->fields[0].type.id == QV_TYPE_INT32);
  qv_batch_release(&b);
  CHECK(qv_reader_next(r, &b, &end, &err) == QV_OK && end);
  qv_reader_close(r);

  /* the same stream in the IPC file format's wrapper */
  uint8_t *file = malloc((size_t)out.size + 8);
  memcpy(file, "ARROW1\0\0", 8);
  memcpy(file + 8, out.p, (size_t)out.size);
  CHECK(read_everything(file, out.size + 8, &err, &rows) == QV_OK && rows == 3);
  free(file);
  /* truncated in the middle of the batch body */
  CHECK(read_everything(out.p, out.size - 12, &err, &rows) == EINVAL);
  CHECK(strstr(err.message, "exceeds") != NULL);
  /* no end-of-stream marker: the end of the data ends the stream */
  CHECK(read_everything(out.p, out.size - 8, &err, &rows) == QV_OK && rows == 3);
  fbb_free(&out);

  spec legacy = plain;
  legacy.continuation = false;
  int_stream(&out, &legacy);
  CHECK(read_everything(out.p, out.size - 8, &err, &rows) == QV_OK && rows == 3);
  fbb_free(&out);

  spec big = plain;
  big.endianness = 1;
  expect_refusal(&big, ENOTSUP, "unsupported feature: big-endian IPC stream");
  spec v3 = plain;
  v3.version = 2;
  expect_refusal(&v3, ENOTSUP, "unsupported IPC metadata version V3");
  spec zstd = plain;
  zstd.compression = 1;
  expect_refusal(&zstd, ENOTSUP, "unsupported feature: compressed IPC bodies (ZSTD)");
  spec lz4 = plain;
  lz4.compression = 0;
  expect_refusal(&lz4, ENOTSUP, "compressed IPC bodies (LZ4_FRAME)");
  spec outside = plain;
  outside.buffer_shift = 1 << 20;
  expect_refusal(&outside, EINVAL, "field 'x': buffer 1 (offset 1048576, 12 bytes) lies outside");
  spec decimal = plain;
  decimal.type_tag = 7;
  expect_refusal(&decimal, ENOTSUP, "unsupported Arrow type Decimal128 in field 'x'");
  spec bview = plain;
  bview.type_tag = 23;
  expect_refusal(&bview, ENOTSUP, "unsupported Arrow type BinaryView in field 'x'");
  spec unknown = plain;
  unknown.type_tag = 99;
  expect_refusal(&unknown, EINVAL, "unknown Arrow type tag 99");

  /* utf8 with decreasing offsets */
  spec utf8 = plain;
  utf8.type_tag = 5;
  fbb_init(&out);
  int32_t offsets[3] = {0, 3, 1};
  schema_message(&out, &utf8);
  batch_message(&out, &utf8, false, 5, 2, offsets, 12, "abc", 3);
  end_of_stream(&out);
  CHECK(read_everything(out.p, out.size, &err, &rows) == EINVAL);
  CHECK(strstr(err.message, "field 'x': offsets decrease at row 1") != NULL);
  fbb_free(&out);

  /* dictionary: values ["p", "q"], then indices [1, 0, 5] (5 is outside) */
  spec dict = utf8;
  dict.dictionary = true;
  fbb_init(&out);
  int32_t dict_offsets[3] = {0, 1, 2};
  int32_t good[2] = {1, 0}, bad[3] = {1, 0, 5};
  schema_message(&out, &dict);
  batch_message(&out, &dict, true, 5, 2, dict_offsets, 12, "pq", 2);
  batch_message(&out, &dict, false, 2, 2, good, 8, NULL, 0);
  batch_message(&out, &dict, false, 2, 3, bad, 12, NULL, 0);
  end_of_stream(&out);
  CHECK(qv_reader_open_memory(out.p, out.size, &r, &err) == QV_OK);
  CHECK(qv_reader_next(r, &b, &end, &err) == QV_OK && b.n_rows == 2);
  qv_str s0 = qv_column_str_at(&b.columns[0], 0), s1 = qv_column_str_at(&b.columns[0], 1);
  CHECK(s0.size_bytes == 1 && s0.data[0] == 'q' && s1.size_bytes == 1 && s1.data[0] == 'p');
  CHECK(b.columns[0].type.dictionary && b.columns[0].type.index_type == QV_TYPE_INT32);
  qv_batch_release(&b);
  CHECK(qv_reader_next(r, &b, &end, &err) == EINVAL);
  CHECK(strstr(err.message, "dictionary index 5 at row 2 is outside the dictionary of 2") != NULL);
  qv_reader_close(r);
  fbb_free(&out);
}

/* --- builders, take, read_all, writer ---------------------------------------------------- */

static void test_builders(void) {
  qv_error err;
  qv_builder *b;
  CHECK(qv_builder_new(qv_type_dictionary(QV_TYPE_UTF8, QV_TYPE_INT8), 0, &b, &err) == QV_OK);
  const char *in[5] = {"a", "b", "a", NULL, "b"};
  for (int i = 0; i < 5; i++) {
    CHECK((in[i] ? qv_builder_append_str(b, in[i], &err) : qv_builder_append_null(b, &err)) ==
          QV_OK);
  }
  qv_column c;
  CHECK(qv_builder_finish(b, &c, &err) == QV_OK);
  CHECK(c.length == 5 && c.null_count == 1 && c.dictionary->length == 2);
  const int8_t *idx = c.values;
  CHECK(idx[0] == 0 && idx[1] == 1 && idx[2] == 0 && idx[4] == 1);
  CHECK(qv_column_is_null(&c, 3) && !qv_column_is_null(&c, 4));
  CHECK(qv_column_validate(&c, &err) == QV_OK);

  int64_t pick[3] = {4, -1, 0};
  qv_column t;
  CHECK(qv_column_take(&c, pick, 3, &t, &err) == QV_OK);
  CHECK(t.length == 3 && qv_column_is_null(&t, 1) && t.dictionary == c.dictionary);
  CHECK(qv_column_str_at(&t, 0).data[0] == 'b' && qv_column_str_at(&t, 2).data[0] == 'a');
  qv_column_release(&t);
  int64_t wrong[1] = {5};
  CHECK(qv_column_take(&c, wrong, 1, &t, &err) == EINVAL);
  CHECK(strstr(err.message, "index 5 out of range") != NULL);
  qv_column plain_col;
  CHECK(qv_column_decode_dictionary(&c, &plain_col, &err) == QV_OK);
  CHECK(!plain_col.type.dictionary && plain_col.type.id == QV_TYPE_UTF8 && plain_col.length == 5);
  CHECK(qv_column_str_at(&plain_col, 4).data[0] == 'b' && qv_column_is_null(&plain_col, 3));
  qv_column_release(&plain_col);
  qv_column_release(&c);

  /* int8 indices hold 128 distinct values, not 129 */
  CHECK(qv_builder_new(qv_type_dictionary(QV_TYPE_INT64, QV_TYPE_INT8), 0, &b, &err) == QV_OK);
  int rc = QV_OK;
  for (int i = 0; i < 129 && rc == QV_OK; i++) rc = qv_builder_append_int64(b, i * 1000, &err);
  CHECK(rc == ERANGE && qv_builder_length(b) == 128);
  qv_builder_free(b);

  CHECK(qv_builder_new(qv_type_make(QV_TYPE_INT8), 0, &b, &err) == QV_OK);
  CHECK(qv_builder_append_int64(b, 300, &err) == ERANGE);
  CHECK(strcmp(err.message, "value 300 does not fit a int8 column") == 0);
  CHECK(qv_builder_append_str(b, "x", &err) == EINVAL);
  qv_builder_free(b);
  CHECK(qv_builder_new(qv_type_make(QV_TYPE_UINT64), 0, &b, &err) == QV_OK);
  CHECK(qv_builder_append_int64(b, -1, &err) == ERANGE);
  CHECK(qv_builder_append_uint64(b, UINT64_MAX, &err) == QV_OK);
  CHECK(qv_builder_finish(b, &c, &err) == QV_OK && qv_column_uint64_at(&c, 0) == UINT64_MAX);
  CHECK(qv_column_double_at(&c, 0) == 18446744073709551615.0);
  qv_column_release(&c);
}

/** A batch of one dictionary-of-utf8 column holding `values` (NULL = null). */
static void dict_batch(qv_batch *out, const char **values, int n) {
  qv_error err;
  qv_builder *b;
  if (qv_batch_init(out, 1, n, &err) != QV_OK ||
      qv_builder_new(qv_type_dictionary(QV_TYPE_UTF8, QV_TYPE_INT16), 0, &b, &err) != QV_OK) {
    abort();
  }
  for (int i = 0; i < n; i++) {
    if ((values[i] ? qv_builder_append_str(b, values[i], &err)
                   : qv_builder_append_null(b, &err)) != QV_OK) {
      abort();
    }
  }
  if (qv_builder_finish(b, &out->columns[0], &err) != QV_OK) abort();
}

static void test_writer_and_read_all(void) {
  qv_error err;
  qv_schema schema;
  CHECK(qv_schema_init(&schema, 1, &err) == QV_OK);
  CHECK(qv_schema_set_field(&schema, 0, "d", qv_type_dictionary(QV_TYPE_UTF8, QV_TYPE_INT16),
                            true, &err) == QV_OK);
  const char *first[3] = {"a", "b", "a"}, *second[2] = {"c", NULL};
  for (int same = 0; same < 2; same++) {
    qv_writer *w;
    CHECK(qv_writer_open_memory(&schema, &w, &err) == QV_OK);
    qv_batch b1, b2;
    dict_batch(&b1, first, 3);
    dict_batch(&b2, same ? first : second, same ? 3 : 2);
    CHECK(qv_writer_write(w, &b1, &err) == QV_OK && qv_writer_write(w, &b2, &err) == QV_OK);
    qv_batch_release(&b1);
    qv_batch_release(&b2);
    uint8_t *bytes;
    int64_t size;
    CHECK(qv_writer_finish_memory(w, &bytes, &size, &err) == QV_OK);
    qv_reader *r;
    qv_batch all;
    CHECK(qv_reader_open_memory(bytes, size, &r, &err) == QV_OK);
    CHECK(qv_reader_read_all(r, &all, &err) == QV_OK);
    qv_reader_close(r); /* read_all's batch owns its memory */
    CHECK(all.n_rows == (same ? 6 : 5) && all.n_columns == 1);
    /* one shared dictionary stays encoded; a replaced one is decoded */
    CHECK(all.columns[0].type.dictionary == (same == 1));
    CHECK(qv_column_str_at(&all.columns[0], 1).data[0] == 'b');
    CHECK(qv_column_str_at(&all.columns[0], 3).data[0] == (same ? 'a' : 'c'));
    CHECK(qv_column_is_null(&all.columns[0], 4) == !same);
    CHECK(qv_column_validate(&all.columns[0], &err) == QV_OK);
    qv_batch_release(&all);
    free(bytes);
  }

  /* a schema and no batch */
  qv_writer *w;
  CHECK(qv_writer_open_memory(&schema, &w, &err) == QV_OK);
  uint8_t *bytes;
  int64_t size;
  CHECK(qv_writer_finish_memory(w, &bytes, &size, &err) == QV_OK);
  qv_reader *r;
  qv_batch all;
  CHECK(qv_reader_open_memory(bytes, size, &r, &err) == QV_OK);
  CHECK(qv_reader_read_all(r, &all, &err) == QV_OK && all.n_rows == 0 && all.n_columns == 1);
  qv_batch_release(&all);
  qv_reader_close(r);
  free(bytes);

  /* a column of the wrong type is refused, naming it */
  CHECK(qv_writer_open_memory(&schema, &w, &err) == QV_OK);
  qv_batch b;
  qv_builder *bld;
  CHECK(qv_batch_init(&b, 1, 0, &err) == QV_OK);
  CHECK(qv_builder_new(qv_type_make(QV_TYPE_INT32), 0, &bld, &err) == QV_OK);
  CHECK(qv_builder_finish(bld, &b.columns[0], &err) == QV_OK);
  CHECK(qv_writer_write(w, &b, &err) == EINVAL);
  CHECK(strcmp(err.message, "column 'd': a int32 column for a dictionary of utf8 field") == 0);
  qv_batch_release(&b);
  qv_writer_close(w, NULL);
  qv_schema_release(&schema);
}

int main(void) {
  test_hand_built_streams();
  test_builders();
  test_writer_and_read_all();
  if (failures > 0) {
    printf("%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("ok %d checks\n", checks);
  return 0;
}
