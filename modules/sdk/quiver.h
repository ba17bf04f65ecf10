/*
 * quiver.h — the C guest SDK for Quiver step modules (module ABI v1 and v2).
 *
 * A Quiver module reads Arrow IPC streams and its parameters and writes Arrow IPC streams: in
 * ABI v1 a WASI command through files (/in/<port>.arrow, /params.json, /out/<port>.arrow), in
 * ABI v2 a reactor fed through its own memory. The contract is described in
 * modules/sdk/ABI.md; this header is the library that implements the data side of it, so a
 * module's own source holds only its transform (see QV_MODULE at the end: one source, either
 * ABI).
 *
 * Conventions (every function follows them):
 * - Every public name starts with `qv_` (types, functions) or `QV_` (constants).
 * - Functions that can fail return an `int`: QV_OK (0) on success, otherwise a positive
 *   errno value from <errno.h> (EINVAL: malformed data or bad argument, ENOTSUP: a valid
 *   but unsupported Arrow feature, ENOMEM: out of memory, ENOENT/EIO: file errors, ERANGE:
 *   a value does not fit the target type, EOVERFLOW: a size overflows). On failure they fill
 *   the caller's `qv_error` (which may be NULL if the caller does not want the message) and
 *   leave their output arguments in a state that is safe to release.
 * - Sizes and counts carry units in their names (`size_bytes`, `n_rows`, `capacity_rows`).
 *   Row and byte counts are int64_t, like Arrow's own lengths.
 * - Ownership is stated in every doc comment: "owned by the caller" means the caller must
 *   release it with the named function; "borrowed" means it stays owned by the object it
 *   came from and is valid only as long as that object.
 * - There is no hidden global state: every state lives in an object the caller holds.
 *
 * Formats implemented (from their public specifications, no code copied):
 * - Arrow columnar format and IPC streaming format, version 5 (Arrow 1.0+):
 *   https://arrow.apache.org/docs/format/Columnar.html and the FlatBuffers schemas
 *   Schema.fbs / Message.fbs of the Arrow project.
 * - JSON, RFC 8259.
 */
#ifndef QUIVER_H
#define QUIVER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The highest module ABI version this SDK implements (see ABI.md). */
#define QV_ABI_VERSION 2

/** The ABI a module is being built for: the build passes -DQV_ABI=1 or -DQV_ABI=2 (ABI.md
 * section 11.5); 1 when absent. A QV_MODULE module rarely needs it. */
#ifndef QV_ABI
#define QV_ABI 1
#endif

/** Success. Failures are positive errno values (see the conventions above). */
#define QV_OK 0

/* ------------------------------------------------------------------------------------- */
/* Errors                                                                                  */
/* ------------------------------------------------------------------------------------- */

/** Size of qv_error.message, in bytes, including the terminating NUL. */
#define QV_ERROR_MESSAGE_SIZE_BYTES 1024

/**
 * An error: the errno-style code and a human-readable, NUL-terminated message that says
 * what went wrong and where (field name, batch number, byte offset, JSON key...).
 * Plain value, owned by whoever declares it; no release needed.
 */
typedef struct qv_error {
  int code;
  char message[QV_ERROR_MESSAGE_SIZE_BYTES];
} qv_error;

/**
 * Sets `err` (if not NULL) to `code` and a printf-style message, and returns `code`, so a
 * function can `return qv_error_set(err, EINVAL, "bad %s", what);`. The arguments may include
 * `err->message` itself, to prefix it: `qv_error_set(err, rc, "filter: %s", err->message)`.
 */
int qv_error_set(qv_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Prints "error: <message>" and a newline to stderr and exits with status 1. The host shows
 * the last stderr lines as the step's error, so the message should name what failed and
 * where. Never returns.
 */
_Noreturn void qv_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------------------------------- */
/* Types, fields and schemas                                                               */
/* ------------------------------------------------------------------------------------- */

/** Logical value types supported by the SDK. Anything else is refused with ENOTSUP. */
typedef enum qv_type_id {
  QV_TYPE_NULL = 0,     /* no buffers; every value is null */
  QV_TYPE_BOOL,         /* values: bit-packed, LSB first */
  QV_TYPE_INT8,         /* values: int8_t[] */
  QV_TYPE_INT16,        /* values: int16_t[] */
  QV_TYPE_INT32,        /* values: int32_t[] */
  QV_TYPE_INT64,        /* values: int64_t[] */
  QV_TYPE_UINT8,        /* values: uint8_t[] */
  QV_TYPE_UINT16,       /* values: uint16_t[] */
  QV_TYPE_UINT32,       /* values: uint32_t[] */
  QV_TYPE_UINT64,       /* values: uint64_t[] */
  QV_TYPE_FLOAT32,      /* values: float[] */
  QV_TYPE_FLOAT64,      /* values: double[] */
  QV_TYPE_UTF8,         /* offsets: int32_t[length + 1], data: UTF-8 bytes */
  QV_TYPE_LARGE_UTF8,   /* offsets: int64_t[length + 1], data: UTF-8 bytes */
  QV_TYPE_BINARY,       /* offsets: int32_t[length + 1], data: bytes */
  QV_TYPE_LARGE_BINARY, /* offsets: int64_t[length + 1], data: bytes */
  QV_TYPE_DATE32,       /* values: int32_t[], days since 1970-01-01 */
  QV_TYPE_DATE64,       /* values: int64_t[], milliseconds since 1970-01-01 */
  QV_TYPE_TIMESTAMP,    /* values: int64_t[], `unit`s since the Unix epoch, in UTC */
  QV_TYPE_TIME32,       /* values: int32_t[], `unit`s since midnight (SECOND or MILLISECOND) */
  QV_TYPE_TIME64,       /* values: int64_t[], `unit`s since midnight (MICRO- or NANOSECOND) */
  QV_TYPE_DURATION,     /* values: int64_t[], a length of time in `unit`s */
  QV_TYPE_COUNT_        /* number of type ids; not a type */
} qv_type_id;

/** Unit of TIMESTAMP, TIME32, TIME64 and DURATION values. */
typedef enum qv_time_unit {
  QV_TIME_UNIT_SECOND = 0,
  QV_TIME_UNIT_MILLISECOND = 1,
  QV_TIME_UNIT_MICROSECOND = 2,
  QV_TIME_UNIT_NANOSECOND = 3
} qv_time_unit;

/** Size of qv_type.timezone in bytes, including the terminating NUL. Longer names are
 * refused with ENOTSUP when reading. */
#define QV_TIMEZONE_SIZE_BYTES 64

/**
 * A column's data type. A plain value: copy it freely, nothing to release.
 *
 * Dictionary-encoded columns keep their *value* type in `id` (so a dictionary of strings
 * has id QV_TYPE_UTF8 and reads like a string column through the getters), with
 * `dictionary` set and the integer type of the indices in `index_type`.
 */
typedef struct qv_type {
  qv_type_id id;
  /** TIMESTAMP, TIME32, TIME64, DURATION only; ignored otherwise. */
  qv_time_unit unit;
  /** TIMESTAMP only: IANA name ("Europe/Paris") or offset ("+07:30"); "" = no time zone
   * (a wall-clock time). NUL-terminated. */
  char timezone[QV_TIMEZONE_SIZE_BYTES];
  /** True for a dictionary-encoded column. */
  bool dictionary;
  /** Dictionary columns only: QV_TYPE_INT8..QV_TYPE_UINT64, the type of the indices. */
  qv_type_id index_type;
  /** Dictionary columns only: whether the dictionary's order is meaningful. */
  bool dictionary_ordered;
} qv_type;

/** Returns a type with the given id, no time zone, unit SECOND, not dictionary-encoded. */
qv_type qv_type_make(qv_type_id id);

/** Returns a TIMESTAMP type; `timezone` may be NULL or "" for none. A name of
 * QV_TIMEZONE_SIZE_BYTES bytes or more is truncated (real IANA names are under 40 bytes). */
qv_type qv_type_timestamp(qv_time_unit unit, const char *timezone);

/** Returns a dictionary type of `value_id` values with `index_type` indices (INT8..UINT64). */
qv_type qv_type_dictionary(qv_type_id value_id, qv_type_id index_type);

/** Lower-case name of a type id ("int64", "utf8", "timestamp"...); a static string. */
const char *qv_type_id_name(qv_type_id id);

/** Lower-case name of a time unit ("s", "ms", "us", "ns"); a static string. */
const char *qv_time_unit_name(qv_time_unit unit);

/** Width of one value in bytes for fixed-width types (1, 2, 4 or 8), 0 for NULL, BOOL
 * (bit-packed) and the variable-width types. */
int qv_type_id_width_bytes(qv_type_id id);

/** True for INT8..UINT64. */
bool qv_type_id_is_integer(qv_type_id id);

/** True for the integer and float types. */
bool qv_type_id_is_numeric(qv_type_id id);

/** True for UTF8, LARGE_UTF8, BINARY and LARGE_BINARY. */
bool qv_type_id_is_binary_like(qv_type_id id);

/** True if two types are equal in every field that matters for their id. */
bool qv_type_equals(const qv_type *a, const qv_type *b);

/** One column of a schema. `name` is a NUL-terminated UTF-8 string owned by the schema.
 * `nullable` is metadata, as in Arrow: neither the reader nor the writer checks it against
 * the data, so a module should set it truthfully for what it writes. */
typedef struct qv_field {
  char *name;
  qv_type type;
  bool nullable;
} qv_field;

/**
 * An ordered list of fields. Owned by whoever initialised it; release with
 * qv_schema_release(). A zero-initialised qv_schema is a valid empty schema.
 */
typedef struct qv_schema {
  int64_t n_fields;
  qv_field *fields;
} qv_schema;

/** Initialises `schema` with `n_fields` fields named "" of type NULL, nullable. The caller
 * owns the result (qv_schema_release). Fails with ENOMEM. */
int qv_schema_init(qv_schema *schema, int64_t n_fields, qv_error *err);

/** Sets field `i` of `schema`: copies `name` (the schema owns the copy). EINVAL if `i` is out
 * of range, ENOMEM. */
int qv_schema_set_field(qv_schema *schema, int64_t i, const char *name, qv_type type,
                        bool nullable, qv_error *err);

/** Deep-copies `src` into `dst` (caller owns `dst`; release with qv_schema_release). */
int qv_schema_copy(const qv_schema *src, qv_schema *dst, qv_error *err);

/** Index of the first field named `name`, or -1 if none. */
int64_t qv_schema_find(const qv_schema *schema, const char *name);

/** Frees what `schema` owns and zeroes it. Safe on a zeroed or already released schema. */
void qv_schema_release(qv_schema *schema);

/* ------------------------------------------------------------------------------------- */
/* Columns                                                                                 */
/* ------------------------------------------------------------------------------------- */

/**
 * One column of a record batch, in Arrow's memory layout. All pointers are read-only views.
 *
 * Layout by type (see qv_type_id): `values` holds the fixed-width values, the bit-packed
 * booleans, or, for dictionary columns, the indices (of type `type.index_type`); `offsets`
 * (int32_t or int64_t, `length + 1` entries) and `data` (`data_size_bytes` bytes) hold
 * variable-width values. `validity` is a bitmap (bit i set, LSB first = row i is valid) or
 * NULL when every row is valid. Every buffer is aligned to its element size.
 *
 * The SDK validates columns it reads (offsets monotonic and inside `data`, dictionary
 * indices inside the dictionary), so the getters below never read out of bounds.
 *
 * Ownership: a column either owns its buffers (built by a qv_builder, qv_column_take,
 * qv_column_decode_dictionary...) or borrows them (read from a qv_reader: valid until the
 * reader is closed; qv_column_borrow). qv_column_release() frees only what the column owns,
 * so it is always safe to call. A zero-initialised qv_column is an empty NULL-typed column.
 */
typedef struct qv_column {
  qv_type type;
  int64_t length;
  int64_t null_count;
  const uint8_t *validity;
  const void *values;
  const void *offsets;
  const uint8_t *data;
  int64_t data_size_bytes;
  /** Dictionary columns only: the dictionary's values (a plain column of type `type.id`,
   * with `type.dictionary` false). Owned by this column if it owns its buffers, else
   * borrowed like them. */
  const struct qv_column *dictionary;
  /** Private: allocations this column owns. Do not touch. */
  void *owned_;
} qv_column;

/** A borrowed string or byte sequence: `size_bytes` bytes at `data`, not NUL-terminated. */
typedef struct qv_str {
  const char *data;
  int64_t size_bytes;
} qv_str;

/** True if row `i` is null (for dictionary columns: the index or the value it points at is
 * null). Rows out of range read as null. */
bool qv_column_is_null(const qv_column *col, int64_t i);

/** Value of row `i` of a BOOL column (false when null, out of range or another type). */
bool qv_column_bool_at(const qv_column *col, int64_t i);

/**
 * Row `i` as int64: integer types (UINT64 values above INT64_MAX wrap; use
 * qv_column_uint64_at), BOOL (0/1), DATE32, DATE64, TIMESTAMP, TIME32, TIME64, DURATION
 * (their raw stored value), FLOAT32/FLOAT64 (truncated toward zero, saturating).
 * Dictionary columns are decoded. Returns 0 when null, out of range or non-numeric.
 */
int64_t qv_column_int64_at(const qv_column *col, int64_t i);

/** Row `i` of an unsigned or signed integer column as uint64 (negative values wrap). 0 when
 * null, out of range or another type. Dictionary columns are decoded. */
uint64_t qv_column_uint64_at(const qv_column *col, int64_t i);

/** Row `i` of any numeric, BOOL or temporal column as a double (raw stored value for
 * temporal types). 0.0 when null, out of range or another type. Dictionary columns are
 * decoded. */
double qv_column_double_at(const qv_column *col, int64_t i);

/** Row `i` of a UTF8/LARGE_UTF8/BINARY/LARGE_BINARY column (or a dictionary of them), as a
 * view borrowed from the column. {"" , 0} when null, out of range or another type. */
qv_str qv_column_str_at(const qv_column *col, int64_t i);

/** Makes `dst` a borrowed view of `src` (same buffers, owns nothing). `dst` is valid as long
 * as `src`'s buffers are. */
void qv_column_borrow(const qv_column *src, qv_column *dst);

/**
 * Materialises a dictionary column into a plain column of its value type (`dst` owned by
 * the caller, release with qv_column_release). If `src` is not dictionary-encoded, `dst`
 * becomes an owned copy. ENOMEM, EOVERFLOW.
 */
int qv_column_decode_dictionary(const qv_column *src, qv_column *dst, qv_error *err);

/**
 * Gathers rows `indices[0..n_indices)` of `src` into a new column `dst` (owned by the
 * caller; release with qv_column_release). An index of -1 produces a null row. Dictionary
 * columns stay dictionary-encoded and share `src`'s dictionary (borrowed: keep `src` alive
 * as long as `dst`). EINVAL if an index is out of range, ENOMEM.
 */
int qv_column_take(const qv_column *src, const int64_t *indices, int64_t n_indices,
                   qv_column *dst, qv_error *err);

/**
 * Checks that `col` is internally consistent: buffers present for its type, offsets
 * monotonic and inside `data`, dictionary indices inside the dictionary, null_count equal
 * to the number of unset validity bits. EINVAL naming the problem. The reader and the writer
 * call this themselves; modules may call it on columns they assemble by hand.
 */
int qv_column_validate(const qv_column *col, qv_error *err);

/** Frees what `col` owns (nothing for a borrowed column) and zeroes it. Safe to call twice. */
void qv_column_release(qv_column *col);

/* ------------------------------------------------------------------------------------- */
/* Record batches                                                                          */
/* ------------------------------------------------------------------------------------- */

/**
 * A record batch: `n_columns` columns of `n_rows` rows each, in schema order. The batch owns
 * its `columns` array and each column (which may itself borrow its buffers, see qv_column).
 * Release with qv_batch_release. A zero-initialised qv_batch is a valid empty batch.
 */
typedef struct qv_batch {
  int64_t n_rows;
  int64_t n_columns;
  qv_column *columns;
} qv_batch;

/** Initialises `batch` with `n_columns` zeroed columns and `n_rows` rows. The caller fills
 * each column (e.g. with qv_builder_finish or qv_column_borrow) and owns the batch
 * (qv_batch_release). ENOMEM. */
int qv_batch_init(qv_batch *batch, int64_t n_columns, int64_t n_rows, qv_error *err);

/** Releases every column, frees the columns array and zeroes `batch`. Safe to call twice. */
void qv_batch_release(qv_batch *batch);

/* ------------------------------------------------------------------------------------- */
/* Reading Arrow IPC streams                                                               */
/* ------------------------------------------------------------------------------------- */

/** An Arrow IPC stream reader (opaque). Owned by the caller; close with qv_reader_close. */
typedef struct qv_reader qv_reader;

/**
 * Opens the Arrow IPC stream in file `path` and reads its schema. A file in the Arrow IPC
 * *file* format ("ARROW1" magic, e.g. a `.arrow` file) is read through the stream it embeds. The whole file is read into
 * memory owned by the reader. `*out` is owned by the caller (qv_reader_close); it is NULL on
 * failure. ENOENT/EIO for file errors; EINVAL for malformed streams; ENOTSUP naming the
 * unsupported type or feature (e.g. "unsupported Arrow type Decimal128 in field 'price'").
 */
int qv_reader_open_path(const char *path, qv_reader **out, qv_error *err);

/**
 * Like qv_reader_open_path, over `size_bytes` bytes at `data`. The bytes are borrowed: they
 * must stay valid and unchanged until qv_reader_close.
 */
int qv_reader_open_memory(const uint8_t *data, int64_t size_bytes, qv_reader **out,
                          qv_error *err);

/** The stream's schema, borrowed from the reader (valid until qv_reader_close). */
const qv_schema *qv_reader_schema(const qv_reader *reader);

/**
 * Reads the next record batch into `*out` (owned by the caller: qv_batch_release). Dictionary
 * batches (including deltas and replacements) are applied internally. On the end of the
 * stream (end-of-stream marker or end of data) sets `*out_end` to true and leaves `*out`
 * empty. Batches may have zero rows. Columns borrow the reader's memory: do not use them
 * after qv_reader_close. EINVAL/ENOTSUP/ENOMEM with a message naming the batch and field.
 */
int qv_reader_next(qv_reader *reader, qv_batch *out, bool *out_end, qv_error *err);

/**
 * Reads every remaining batch and concatenates them into one batch `*out` (owned by the
 * caller; its columns own their buffers, so it stays valid after qv_reader_close). Dictionary
 * columns stay dictionary-encoded when every batch shares one dictionary, else they are
 * decoded to plain columns. With no batches, `*out` has zero rows and one column per field.
 */
int qv_reader_read_all(qv_reader *reader, qv_batch *out, qv_error *err);

/** Number of record batches returned so far. */
int64_t qv_reader_batch_count(const qv_reader *reader);

/** Frees the reader and the memory it owns. NULL is allowed. */
void qv_reader_close(qv_reader *reader);

/* ------------------------------------------------------------------------------------- */
/* Writing Arrow IPC streams                                                               */
/* ------------------------------------------------------------------------------------- */

/** An Arrow IPC stream writer (opaque). Owned by the caller; finish with qv_writer_close or
 * qv_writer_finish_memory. */
typedef struct qv_writer qv_writer;

/**
 * Creates file `path` and writes the stream's schema message. `schema` is copied. The caller
 * owns `*out`. EIO/ENOENT for file errors, EINVAL for an invalid schema.
 */
int qv_writer_open_path(const char *path, const qv_schema *schema, qv_writer **out,
                        qv_error *err);

/** Like qv_writer_open_path, but into a growable memory buffer; get the bytes with
 * qv_writer_finish_memory. */
int qv_writer_open_memory(const qv_schema *schema, qv_writer **out, qv_error *err);

/**
 * Writes one record batch (borrowed; the caller still owns it). Each column must match the
 * schema's field type and have `batch->n_rows` rows; the batch is validated first (EINVAL
 * naming the column). Dictionary columns are written dictionary-encoded: a dictionary batch
 * is emitted before the record batch whenever the column's dictionary differs from the last
 * one written for that field.
 */
int qv_writer_write(qv_writer *writer, const qv_batch *batch, qv_error *err);

/** Writes the end-of-stream marker, closes the file and frees the writer (even on failure).
 * NULL is allowed (returns QV_OK). */
int qv_writer_close(qv_writer *writer, qv_error *err);

/**
 * For a memory writer: writes the end-of-stream marker, frees the writer, and hands the
 * stream's bytes to the caller (`*out_data` owned by the caller, release with free()).
 */
int qv_writer_finish_memory(qv_writer *writer, uint8_t **out_data, int64_t *out_size_bytes,
                            qv_error *err);

/* ------------------------------------------------------------------------------------- */
/* Building columns                                                                        */
/* ------------------------------------------------------------------------------------- */

/**
 * Accumulates values of one type into a column, hiding Arrow's layout (opaque). Owned by
 * the caller: end with qv_builder_finish (which frees it) or qv_builder_free.
 *
 * For a dictionary type (see qv_type_dictionary), append plain values: the builder keeps a
 * dictionary of distinct values and appends their indices (ERANGE when the dictionary
 * outgrows the index type).
 */
typedef struct qv_builder qv_builder;

/** Creates a builder for `type`, with room for `capacity_rows` rows (a hint; it grows).
 * `*out` is owned by the caller. EINVAL for an invalid type, ENOMEM. */
int qv_builder_new(qv_type type, int64_t capacity_rows, qv_builder **out, qv_error *err);

/** Number of rows appended so far. */
int64_t qv_builder_length(const qv_builder *builder);

/** Appends a null row (any type). */
int qv_builder_append_null(qv_builder *builder, qv_error *err);

/** Appends a BOOL value. EINVAL for another type. */
int qv_builder_append_bool(qv_builder *builder, bool value, qv_error *err);

/** Appends an integer to an integer, DATE32/DATE64, TIMESTAMP, TIME32/TIME64 or DURATION
 * builder (raw stored value), or to a float builder (converted). ERANGE if it does not fit
 * the type (e.g. 300 into INT8, -1 into UINT32), EINVAL for a string type. */
int qv_builder_append_int64(qv_builder *builder, int64_t value, qv_error *err);

/** Appends an unsigned integer (see qv_builder_append_int64). */
int qv_builder_append_uint64(qv_builder *builder, uint64_t value, qv_error *err);

/** Appends a FLOAT32/FLOAT64 value. EINVAL for another type. */
int qv_builder_append_double(qv_builder *builder, double value, qv_error *err);

/** Appends `size_bytes` bytes (copied) to a UTF8/LARGE_UTF8/BINARY/LARGE_BINARY builder. The
 * SDK does not check UTF-8 validity: pass valid UTF-8 to UTF8 builders. EINVAL for another
 * type, EOVERFLOW past 2 GiB of UTF8/BINARY data. */
int qv_builder_append_bytes(qv_builder *builder, const void *data, int64_t size_bytes,
                            qv_error *err);

/** Appends a NUL-terminated string (copied); see qv_builder_append_bytes. */
int qv_builder_append_str(qv_builder *builder, const char *value, qv_error *err);

/** Appends row `i` of `src` (null stays null). `src` must have the same value type id (and
 * unit for temporal types); dictionary sources are decoded. EINVAL otherwise. */
int qv_builder_append_from(qv_builder *builder, const qv_column *src, int64_t i,
                           qv_error *err);

/** Moves the built column into `*out` (owned by the caller: qv_column_release) and frees the
 * builder, on success and on failure. */
int qv_builder_finish(qv_builder *builder, qv_column *out, qv_error *err);

/** Frees a builder without producing a column. NULL is allowed. */
void qv_builder_free(qv_builder *builder);

/* ------------------------------------------------------------------------------------- */
/* JSON parameters                                                                         */
/* ------------------------------------------------------------------------------------- */

/** Kind of a JSON value. */
typedef enum qv_json_kind {
  QV_JSON_NULL = 0,
  QV_JSON_BOOL,
  QV_JSON_NUMBER,
  QV_JSON_STRING,
  QV_JSON_ARRAY,
  QV_JSON_OBJECT
} qv_json_kind;

/**
 * A parsed JSON value (a DOM node). The whole tree is owned by its root, which the caller
 * releases with qv_json_free; every other node and string is borrowed from the root.
 */
typedef struct qv_json {
  qv_json_kind kind;
  /** The member name when this node is a value inside an object, else NULL. */
  const char *key;
  bool bool_value;
  double number_value;
  /** STRING: the decoded, NUL-terminated UTF-8 text (may contain "\u0000" as a NUL byte;
   * `string_size_bytes` counts bytes without the terminator). */
  const char *string_value;
  int64_t string_size_bytes;
  /** ARRAY and OBJECT: the elements or members, in document order. */
  int64_t n_children;
  struct qv_json *children;
  /** Byte offset of the value in the parsed text (for messages naming a line and column). */
  int64_t offset_bytes;
  /** NUMBER: whether it was written as an integer (no fraction, no exponent) within the
   * int64 range; `int_value` then holds it exactly. */
  bool number_is_integer;
  int64_t int_value;
} qv_json;

/** Maximum nesting depth of arrays and objects accepted by qv_json_parse. */
#define QV_JSON_MAX_DEPTH 256

/**
 * Parses `size_bytes` bytes of UTF-8 JSON text (RFC 8259: one value, surrounding whitespace
 * allowed). `*out_root` is owned by the caller (qv_json_free). EINVAL with the line and
 * column of the first error; ENOMEM. Duplicate object keys are an error.
 */
int qv_json_parse(const char *text, int64_t size_bytes, qv_json **out_root, qv_error *err);

/** Frees a tree returned by qv_json_parse. NULL is allowed; never pass an inner node. */
void qv_json_free(qv_json *root);

/** Member `key` of `object` (borrowed), or NULL if absent or `object` is not an object. */
const qv_json *qv_json_get(const qv_json *object, const char *key);

/** Element `i` of `array` (borrowed), or NULL if out of range or not an array. */
const qv_json *qv_json_at(const qv_json *array, int64_t i);

/** Name of a kind ("null", "boolean", "number", "string", "array", "object"). */
const char *qv_json_kind_name(qv_json_kind kind);

/*
 * Typed member getters. Each reads member `key` of `object`:
 * - `qv_json_get_<t>`: the member is required; EINVAL "parameter 'key' is missing" or
 *   "parameter 'key' must be <t>, found <kind>".
 * - `qv_json_get_<t>_or`: an absent or null member gives `fallback`; a member of another type
 *   is still EINVAL.
 * Strings are borrowed from the tree. Integers must be whole numbers within int64 range
 * (exactly representable: |n| <= 2^53), else EINVAL.
 */
int qv_json_get_string(const qv_json *object, const char *key, const char **out,
                       qv_error *err);
int qv_json_get_string_or(const qv_json *object, const char *key, const char *fallback,
                          const char **out, qv_error *err);
int qv_json_get_int64(const qv_json *object, const char *key, int64_t *out, qv_error *err);
int qv_json_get_int64_or(const qv_json *object, const char *key, int64_t fallback,
                         int64_t *out, qv_error *err);
int qv_json_get_double(const qv_json *object, const char *key, double *out, qv_error *err);
int qv_json_get_double_or(const qv_json *object, const char *key, double fallback,
                          double *out, qv_error *err);
int qv_json_get_bool(const qv_json *object, const char *key, bool *out, qv_error *err);
int qv_json_get_bool_or(const qv_json *object, const char *key, bool fallback, bool *out,
                        qv_error *err);
/** Required array / object members (borrowed). */
int qv_json_get_array(const qv_json *object, const char *key, const qv_json **out,
                      qv_error *err);
int qv_json_get_object(const qv_json *object, const char *key, const qv_json **out,
                       qv_error *err);

/* ------------------------------------------------------------------------------------- */
/* Module conveniences (the ABI's file layout)                                             */
/* ------------------------------------------------------------------------------------- */

/** Maximum length of a port name in bytes (ports match ^[a-z][a-z0-9_]{0,31}$). */
#define QV_PORT_NAME_MAX_BYTES 32

/** Opens input port `port` (`/in/<port>.arrow`) for reading; see qv_reader_open_path. */
int qv_read_input(const char *port, qv_reader **out, qv_error *err);

/** Reads the whole of `bytes` input port `port` (`/in/<port>.bytes`) into `*out_data`
 * (owned by the caller, free()), with a NUL byte appended that `*out_size_bytes` does not
 * count. */
int qv_read_input_bytes(const char *port, uint8_t **out_data, int64_t *out_size_bytes,
                        qv_error *err);

/** Opens output port `port` (`/out/<port>.arrow`) for writing with `schema`; see
 * qv_writer_open_path. */
int qv_write_output(const char *port, const qv_schema *schema, qv_writer **out,
                    qv_error *err);

/** Reads and parses `/params.json` (`*out_root` owned by the caller: qv_json_free). A missing
 * file gives an empty object. EINVAL with the position of a syntax error. */
int qv_read_params(qv_json **out_root, qv_error *err);

/* Parameter checks that fail the step with a message naming the module and the parameter.
 * `module` is the module id used as the message prefix ("select"); `where` names the
 * parameter as the user sees it ("columns[1].name"). */

/** Writes the schema's column names as `"a", "b", "c"` into `buf` (`size_bytes` including
 * the NUL; truncated to fit) and returns `buf`. For error messages. */
const char *qv_schema_describe_columns(const qv_schema *schema, char *buf, size_t size_bytes);

/** Index of column `name` in `schema`. When there is none, fails the step (qv_fail) with
 * `<module>: parameter <where>: no column "<name>" in the input (columns: "a", "b")`. */
int64_t qv_require_column(const qv_schema *schema, const char *module, const char *where,
                          const char *name);

/** Fails the step unless every member of JSON object `object` is one of the `n_allowed`
 * names in `allowed`: `<module>: parameter <where> has an unknown member "<key>"`. */
void qv_require_members(const qv_json *object, const char *module, const char *where,
                        const char *const *allowed, int n_allowed);

/** calloc(n, size_bytes) that never returns NULL: on failure the step fails with
 * `<module>: out of memory (<n> x <size_bytes> bytes)`. n = 0 still gives a block that can
 * be freed. The caller owns the block (free()). */
void *qv_calloc_or_fail(const char *module, size_t n, size_t size_bytes);


/* ------------------------------------------------------------------------------------- */
/* Writing a module once for ABI v1 or v2 (ABI.md section 11.5)                            */
/* ------------------------------------------------------------------------------------- */

/** Returned by a `batch`, `bytes` (or `begin`) callback: the module needs no more input
 * (e.g. limit). */
#define QV_DONE (-1)

/** The running step (opaque): its input schemas and its outputs. Owned by the SDK. */
typedef struct qv_step qv_step;

/**
 * A module's transform, as callbacks. The same definition builds a v1 command (the SDK's
 * `main` reads the files) or a v2 reactor (the SDK's exports take the host's pushes).
 * Callbacks return QV_OK, QV_DONE (batch/bytes only) or an errno value with `err` filled;
 * on an error the SDK prints `error: <err.message>` to stderr and fails the step.
 * Module state lives in the module's own static variables: one instance runs one step.
 */
typedef struct qv_module {
  /** Module id, e.g. "filter" (for SDK messages). */
  const char *id;
  /** Input port names in manifest order, and which of them are `bytes` ports (bit i = port
   * i); the others are `arrow`. */
  const char *const *inputs;
  int n_inputs;
  uint32_t bytes_inputs;
  /** Output port names in manifest order (all `arrow`). */
  const char *const *outputs;
  int n_outputs;
  /** True: every batch passed to `batch` (the pointer and what it points to) stays valid
   * until `finish` returns (the SDK keeps the input; say `"holdsInput": true` in the
   * manifest). False: valid during the call. */
  bool holds_input;
  /** Called once, with the parameters (borrowed, valid until `finish` returns) and every
   * `arrow` input's schema known (qv_step_input_schema). Required. QV_DONE: no input is
   * needed at all (no batch is passed; `finish` runs). */
  int (*begin)(qv_step *step, const qv_json *params, qv_error *err);
  /** One record batch of `arrow` input `port` (borrowed; see holds_input). */
  int (*batch)(qv_step *step, int port, const qv_batch *batch, qv_error *err);
  /** The next chunk of `bytes` input `port` (borrowed, valid during the call). v1 passes
   * the whole file as one chunk; v2 passes the chunks the host pushes. */
  int (*bytes)(qv_step *step, int port, const uint8_t *data, int64_t size_bytes, qv_error *err);
  /** Every input has ended (or a callback returned QV_DONE). May be NULL. */
  int (*finish)(qv_step *step, qv_error *err);
} qv_module;

/** The schema of `arrow` input `port` (borrowed from the step, valid until the step ends),
 * or NULL for a `bytes` port or an out-of-range index. */
const qv_schema *qv_step_input_schema(const qv_step *step, int port);

/** Opens output `port` with `schema` (copied) and writes its schema message. EINVAL if the
 * port is out of range or already open. */
int qv_step_open_output(qv_step *step, int port, const qv_schema *schema, qv_error *err);

/**
 * Keeps the batches of `arrow` input `port` valid until `finish` returns, as `holds_input`
 * does for every port (say `"holdsInput"` on that port in the manifest, ABI.md 11.4). Call it
 * in `begin`, before any batch of the port arrives; a module that holds one side of a join
 * and streams the other uses it. EINVAL for an out-of-range port.
 */
int qv_step_hold_input(qv_step *step, int port, qv_error *err);

/** Writes one record batch (borrowed) to open output `port`; see qv_writer_write. */
int qv_step_write(qv_step *step, int port, const qv_batch *batch, qv_error *err);

/** The module definition the SDK runs; QV_MODULE defines it. */
const qv_module *qv_module_definition_(void);

/** Declares the module at file scope with designated initializers of qv_module:
 * `QV_MODULE(.id = "scale", .inputs = inputs, .n_inputs = 1, ...)`. */
#define QV_MODULE(...)                                                                   \
  const qv_module *qv_module_definition_(void) {                                         \
    static const qv_module definition = {__VA_ARGS__};                                   \
    return &definition;                                                                  \
  }

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_H */
