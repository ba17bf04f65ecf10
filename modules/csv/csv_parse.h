/*
 * csv_parse.h — the CSV tokenizer of the csv module: bytes in, records of fields out.
 *
 * Grammar (RFC 4180, relaxed as most readers do):
 * - Records end at LF, CRLF or a lone CR. Physical lines that are completely empty are
 *   skipped (they are not records).
 * - Fields are separated by the one-byte delimiter. A field that starts with the quote byte
 *   runs to the matching closing quote and may hold delimiters and line breaks; inside it the
 *   escape byte makes the next byte literal (escape == quote gives RFC 4180's doubled quote).
 *   After the closing quote only a delimiter, a line break or the end of the data may follow.
 * - A quote byte inside an unquoted field is an ordinary byte.
 *
 * The tokenizer is pure (no I/O, no global state) and bounds-safe on any input. It never
 * mallocs per field: a record's fields live in one array and unescaped quoted fields in one
 * scratch arena, both reused from record to record.
 *
 * Streaming: the input may be a window of a longer stream that starts at a record boundary.
 * Unless the window is marked final, a record whose end cannot be known yet (it runs to the
 * window's end, or its line break is a CR that may be the first half of a CRLF) is not
 * read: csv_reader_next returns CSV_NEED_MORE and leaves the reader before that record, so
 * the caller can append more bytes and read again. A record is never cut by a window end.
 */
#ifndef CSV_PARSE_H
#define CSV_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** No quote or no escape character. */
#define CSV_NO_CHAR (-1)

/** csv_reader_next: the next record is not complete in a non-final window. */
#define CSV_NEED_MORE 2

/** Most fields one record may have; a record with more is malformed. */
#define CSV_MAX_FIELDS 16384

/** How a file is written. */
typedef struct csv_dialect {
  uint8_t delimiter;
  /** The quote byte, or CSV_NO_CHAR for no quoting. */
  int quote;
  /** The escape byte inside quoted fields (may equal `quote`), or CSV_NO_CHAR. */
  int escape;
} csv_dialect;

/** One field of a record. `data` is borrowed from the input or from the reader's arena and
 * is valid until the next call to csv_reader_next. */
typedef struct csv_field {
  const uint8_t *data;
  size_t size_bytes;
  /** Byte offset in the input where the field starts (its opening quote, if quoted). */
  size_t offset;
  /** 1-based physical line on which the field starts. */
  uint64_t line;
  bool quoted;
  /* Private to the tokenizer: the content is in the arena at this offset. */
  bool in_arena_;
  size_t arena_offset_;
} csv_field;

/** Why a record is malformed. */
typedef enum csv_parse_status {
  CSV_PARSE_OK = 0,
  CSV_PARSE_UNTERMINATED_QUOTE,
  CSV_PARSE_TEXT_AFTER_QUOTE,
  CSV_PARSE_TOO_MANY_FIELDS,
  CSV_PARSE_NO_MEMORY
} csv_parse_status;

/** Where and why the last record was malformed. */
typedef struct csv_parse_error {
  csv_parse_status status;
  /** Byte offset of the problem in the input. */
  size_t offset;
  /** 1-based physical line of `offset`. */
  uint64_t line;
} csv_parse_error;

/**
 * A tokenizer over borrowed bytes. Initialise with csv_reader_init, release with
 * csv_reader_free. The input must stay valid and unchanged while the reader is used.
 */
typedef struct csv_reader {
  const uint8_t *data;
  size_t size_bytes;
  csv_dialect dialect;
  /** The input ends with this window (else a record may continue past it). */
  bool final;
  /** Next byte to read, and its 1-based physical line. */
  size_t pos;
  uint64_t line;
  /** Fields of the current record (owned; `n_fields` in use). */
  csv_field *fields;
  size_t n_fields;
  size_t fields_capacity;
  /** Arena for unescaped quoted fields (owned). */
  uint8_t *arena;
  size_t arena_size_bytes;
  size_t arena_capacity_bytes;
  /** 1-based physical line where the current record starts, and the byte offset where it
   * ends (before its line break). */
  uint64_t record_line;
  size_t record_end;
  /** Byte classes for unquoted and quoted scanning (bit flags). */
  uint8_t unquoted_class[256];
  uint8_t quoted_class[256];
} csv_reader;

/** Initialises `reader` for `dialect`, with no input yet (csv_reader_set_input gives it).
 * Allocates nothing yet. */
void csv_reader_init(csv_reader *reader, csv_dialect dialect);

/** Points the reader at a new window of `size_bytes` bytes at `data` (borrowed), to read
 * from byte `offset`, which is on physical line `line` and starts a record (or a blank line).
 * `final`: the input ends with this window. Keeps the reader's buffers. */
void csv_reader_set_input(csv_reader *reader, const uint8_t *data, size_t size_bytes,
                          size_t offset, uint64_t line, bool final);

/**
 * Reads the next record into reader->fields[0..n_fields). Returns 1 for a record, 0 at the
 * end of a final window, CSV_NEED_MORE when the window holds no complete record (reader->pos
 * is then where the next record will start: blank lines before it are consumed), -1 for a
 * malformed record: `*err` says why and where, and the reader has already moved past the
 * physical line holding the problem, so the caller may go on reading (to skip the record) or
 * stop. Offsets in records and errors are relative to the window's `data`.
 */
int csv_reader_next(csv_reader *reader, csv_parse_error *err);

/** Frees what the reader owns. Safe to call twice. */
void csv_reader_free(csv_reader *reader);

/** 1-based column (in UTF-8 characters) of byte `offset` on its physical line; `data` must
 * start at the beginning of a line. */
uint64_t csv_column_of(const uint8_t *data, size_t size_bytes, size_t offset);

/** A short English description of a parse status ("unterminated quoted field", ...). */
const char *csv_parse_status_text(csv_parse_status status);

#endif /* CSV_PARSE_H */
