/* csv_parse.c — the CSV tokenizer; see csv_parse.h for the grammar. */
#include "csv_parse.h"

#include <stdlib.h>
#include <string.h>

/* Byte classes: which bytes stop the fast scanning loops. */
enum { CLASS_DELIMITER = 1, CLASS_NEWLINE = 2, CLASS_QUOTE = 4, CLASS_ESCAPE = 8 };

void csv_reader_init(csv_reader *reader, csv_dialect dialect) {
  memset(reader, 0, sizeof *reader);
  reader->dialect = dialect;
  reader->final = true;
  reader->line = 1;
  reader->unquoted_class[dialect.delimiter] |= CLASS_DELIMITER;
  reader->unquoted_class['\n'] |= CLASS_NEWLINE;
  reader->unquoted_class['\r'] |= CLASS_NEWLINE;
  reader->quoted_class['\n'] |= CLASS_NEWLINE;
  reader->quoted_class['\r'] |= CLASS_NEWLINE;
  if (dialect.quote != CSV_NO_CHAR) reader->quoted_class[(uint8_t)dialect.quote] |= CLASS_QUOTE;
  if (dialect.escape != CSV_NO_CHAR) {
    reader->quoted_class[(uint8_t)dialect.escape] |= CLASS_ESCAPE;
  }
}

void csv_reader_set_input(csv_reader *reader, const uint8_t *data, size_t size_bytes,
                          size_t offset, uint64_t line, bool final) {
  reader->data = data;
  reader->size_bytes = size_bytes;
  reader->pos = offset <= size_bytes ? offset : size_bytes;
  reader->line = line;
  reader->final = final;
  reader->n_fields = 0;
}

void csv_reader_free(csv_reader *reader) {
  free(reader->fields);
  free(reader->arena);
  reader->fields = NULL;
  reader->arena = NULL;
  reader->fields_capacity = 0;
  reader->arena_capacity_bytes = 0;
}

/* Appends bytes to the arena, growing it geometrically. False when out of memory. */
static bool arena_append(csv_reader *r, const uint8_t *bytes, size_t n) {
  if (n > SIZE_MAX - r->arena_size_bytes) return false;
  size_t need = r->arena_size_bytes + n;
  if (need > r->arena_capacity_bytes) {
    size_t cap = r->arena_capacity_bytes ? r->arena_capacity_bytes : 256;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *grown = realloc(r->arena, cap);
    if (!grown) return false;
    r->arena = grown;
    r->arena_capacity_bytes = cap;
  }
  if (n) memcpy(r->arena + r->arena_size_bytes, bytes, n);
  r->arena_size_bytes = need;
  return true;
}

/* Reserves the next field slot. NULL when the record has too many fields or memory ran out;
 * `*status` says which. */
static csv_field *next_field(csv_reader *r, csv_parse_status *status) {
  if (r->n_fields == r->fields_capacity) {
    if (r->fields_capacity >= CSV_MAX_FIELDS) {
      *status = CSV_PARSE_TOO_MANY_FIELDS;
      return NULL;
    }
    size_t cap = r->fields_capacity ? r->fields_capacity * 2 : 16;
    if (cap > CSV_MAX_FIELDS) cap = CSV_MAX_FIELDS;
    csv_field *grown = realloc(r->fields, cap * sizeof *grown);
    if (!grown) {
      *status = CSV_PARSE_NO_MEMORY;
      return NULL;
    }
    r->fields = grown;
    r->fields_capacity = cap;
  }
  return &r->fields[r->n_fields++];
}

/* Skips past the physical line that holds byte `offset` (on line `line`) and reports the
 * error, so that the caller may resume on the next line. In a non-final window whose end
 * comes first, returns CSV_NEED_MORE instead (the caller restores the record start), since
 * the error is reported only once the line can be skipped. */
static int fail_at(csv_reader *r, csv_parse_error *err, csv_parse_status status, size_t offset,
                   uint64_t line) {
  size_t p = offset;
  while (p < r->size_bytes && r->data[p] != '\n' && r->data[p] != '\r') p++;
  if (!r->final && status != CSV_PARSE_NO_MEMORY &&
      (p >= r->size_bytes || (r->data[p] == '\r' && p + 1 >= r->size_bytes))) {
    return CSV_NEED_MORE;
  }
  err->status = status;
  err->offset = offset;
  err->line = line;
  if (p < r->size_bytes) {
    if (r->data[p] == '\r' && p + 1 < r->size_bytes && r->data[p + 1] == '\n') p++;
    p++;
  }
  r->pos = p;
  r->line = line + 1;
  r->n_fields = 0;
  return -1;
}

/* Consumes one line break at `p` (LF, CRLF or CR); returns the position after it. */
static size_t skip_newline(const csv_reader *r, size_t p) {
  if (r->data[p] == '\r' && p + 1 < r->size_bytes && r->data[p + 1] == '\n') return p + 2;
  return p + 1;
}

/*
 * Reads a quoted field whose opening quote is at `start`. On success stores the content in
 * `*f` (as an arena offset when it had escapes) and returns the position after the
 * closing quote; returns SIZE_MAX on error with `*err` filled (reader not yet resynchronised).
 */
static size_t read_quoted(csv_reader *r, size_t start, csv_field *f, csv_parse_error *err) {
  const uint8_t *d = r->data;
  const size_t end = r->size_bytes;
  const int quote = r->dialect.quote;
  const int escape = r->dialect.escape;
  size_t p = start + 1;
  size_t segment = p; /* start of the bytes not yet copied to the arena */
  size_t arena_start = r->arena_size_bytes;
  bool in_arena = false;
  for (;;) {
    while (p < end && !r->quoted_class[d[p]]) p++;
    if (p >= end) {
      err->status = CSV_PARSE_UNTERMINATED_QUOTE;
      err->offset = start;
      err->line = f->line;
      return SIZE_MAX;
    }
    uint8_t c = d[p];
    if (c == '\n' || c == '\r') {
      p = skip_newline(r, p);
      r->line++;
      continue;
    }
    if (c == escape && c != quote) {
      if (p + 1 >= end) {
        err->status = CSV_PARSE_UNTERMINATED_QUOTE;
        err->offset = start;
        err->line = f->line;
        return SIZE_MAX;
      }
      if (!arena_append(r, d + segment, p - segment) || !arena_append(r, d + p + 1, 1)) {
        err->status = CSV_PARSE_NO_MEMORY;
        err->offset = p;
        err->line = r->line;
        return SIZE_MAX;
      }
      in_arena = true;
      /* An escaped line break still ends a physical line (CRLF counts once). */
      if (d[p + 1] == '\n' || (d[p + 1] == '\r' && !(p + 2 < end && d[p + 2] == '\n'))) {
        r->line++;
      }
      p += 2;
      segment = p;
      continue;
    }
    /* c is the quote byte: a doubled quote (when escape == quote) or the closing quote. */
    if (c == escape && p + 1 < end && d[p + 1] == (uint8_t)quote) {
      if (!arena_append(r, d + segment, p + 1 - segment)) {
        err->status = CSV_PARSE_NO_MEMORY;
        err->offset = p;
        err->line = r->line;
        return SIZE_MAX;
      }
      in_arena = true;
      p += 2;
      segment = p;
      continue;
    }
    if (in_arena) {
      if (!arena_append(r, d + segment, p - segment)) {
        err->status = CSV_PARSE_NO_MEMORY;
        err->offset = p;
        err->line = r->line;
        return SIZE_MAX;
      }
      f->data = NULL;
      f->size_bytes = r->arena_size_bytes - arena_start;
      f->in_arena_ = true;
      f->arena_offset_ = arena_start;
    } else {
      f->data = d + start + 1;
      f->size_bytes = p - (start + 1);
    }
    return p + 1;
  }
}

/* Leaves the reader at the start of a record that the window does not complete. */
static int need_more(csv_reader *r, size_t record_start, uint64_t record_line) {
  r->pos = record_start;
  r->line = record_line;
  r->n_fields = 0;
  return CSV_NEED_MORE;
}

/* Skips blank physical lines from `p`; returns where the next record starts. Stops before a
 * CR that ends a non-final window (its LF may follow in the next one). */
static size_t skip_blank_lines(csv_reader *r, size_t p) {
  const uint8_t *d = r->data;
  const size_t end = r->size_bytes;
  while (p < end && (d[p] == '\n' || d[p] == '\r')) {
    if (!r->final && d[p] == '\r' && p + 1 >= end) break;
    p = skip_newline(r, p);
    r->line++;
  }
  return p;
}

int csv_reader_next(csv_reader *r, csv_parse_error *err) {
  const uint8_t *d = r->data;
  const size_t end = r->size_bytes;
  r->n_fields = 0;
  r->arena_size_bytes = 0;
  err->status = CSV_PARSE_OK;

  /* Blank physical lines are not records. */
  size_t p = skip_blank_lines(r, r->pos);
  r->pos = p;
  if (p >= end || (!r->final && p + 1 >= end && d[p] == '\r')) return r->final ? 0 : CSV_NEED_MORE;
  const size_t record_start = p;
  r->record_line = r->line;

  bool any_in_arena = false;
  for (;;) {
    csv_parse_status status = CSV_PARSE_OK;
    csv_field *f = next_field(r, &status);
    if (!f) {
      int rc = fail_at(r, err, status, p, r->line);
      return rc == CSV_NEED_MORE ? need_more(r, record_start, r->record_line) : rc;
    }
    f->line = r->line;
    f->offset = p;
    f->quoted = false;
    f->in_arena_ = false;
    if (r->dialect.quote != CSV_NO_CHAR && p < end && d[p] == (uint8_t)r->dialect.quote) {
      size_t after = read_quoted(r, p, f, err);
      if (after == SIZE_MAX) {
        if (!r->final && err->status == CSV_PARSE_UNTERMINATED_QUOTE) {
          return need_more(r, record_start, r->record_line);
        }
        int rc = fail_at(r, err, err->status, err->offset, err->line);
        return rc == CSV_NEED_MORE ? need_more(r, record_start, r->record_line) : rc;
      }
      f->quoted = true;
      any_in_arena |= f->in_arena_;
      p = after;
      if (p < end && d[p] != r->dialect.delimiter && d[p] != '\n' && d[p] != '\r') {
        int rc = fail_at(r, err, CSV_PARSE_TEXT_AFTER_QUOTE, p, r->line);
        return rc == CSV_NEED_MORE ? need_more(r, record_start, r->record_line) : rc;
      }
    } else {
      size_t start = p;
      while (p < end && !r->unquoted_class[d[p]]) p++;
      f->data = d + start;
      f->size_bytes = p - start;
    }
    /* Not final: a field that reaches the window's end may go on, and a closing quote there
     * may be the first of a doubled quote. */
    if (!r->final && (p >= end || (d[p] == '\r' && p + 1 >= end))) {
      return need_more(r, record_start, r->record_line);
    }
    if (p < end && d[p] == r->dialect.delimiter) {
      p++;
      continue;
    }
    /* End of the record: a line break or the end of the input. */
    r->record_end = p;
    if (p < end) {
      p = skip_newline(r, p);
      r->line++;
    }
    break;
  }
  /* The arena may have moved while the record was read: resolve arena fields only now. */
  if (any_in_arena) {
    for (size_t i = 0; i < r->n_fields; i++) {
      csv_field *f = &r->fields[i];
      if (f->in_arena_) f->data = r->arena + f->arena_offset_;
    }
  }
  r->pos = p;
  return 1;
}

uint64_t csv_column_of(const uint8_t *data, size_t size_bytes, size_t offset) {
  if (offset > size_bytes) offset = size_bytes;
  size_t start = offset;
  while (start > 0 && data[start - 1] != '\n' && data[start - 1] != '\r') start--;
  uint64_t column = 1;
  for (size_t i = start; i < offset; i++) {
    if ((data[i] & 0xC0) != 0x80) column++;
  }
  return column;
}

const char *csv_parse_status_text(csv_parse_status status) {
  switch (status) {
  case CSV_PARSE_OK:
    return "no error";
  case CSV_PARSE_UNTERMINATED_QUOTE:
    return "quoted field is not closed before the end of the file";
  case CSV_PARSE_TEXT_AFTER_QUOTE:
    return "unexpected text after a closing quote (expected a delimiter or a line break)";
  case CSV_PARSE_TOO_MANY_FIELDS:
    return "record has more than 16384 fields";
  case CSV_PARSE_NO_MEMORY:
    return "out of memory";
  }
  return "unknown error";
}
