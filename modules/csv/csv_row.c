/* csv_row.c — checking one record of the csv module: field count, null tokens, forced and
 * inferred types, and the row error messages. See csv_table_internal.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv_table_internal.h"
#include "csv_value.h"
#include "../sdk/strtime.h"

#define US_PER_DAY INT64_C(86400000000)

void csv_format_position(const table *t, size_t offset, uint64_t line, char *buf,
                            size_t cap) {
  uint64_t column = csv_column_of(t->reader.data, t->reader.size_bytes, offset);
  if (line == t->reader.record_line) {
    snprintf(buf, cap, "line %llu, column %llu", (unsigned long long)line,
             (unsigned long long)column);
  } else {
    snprintf(buf, cap, "line %llu, column %llu (record starts on line %llu)",
             (unsigned long long)line, (unsigned long long)column,
             (unsigned long long)t->reader.record_line);
  }
}

/* A field value for a message: at most 40 bytes of valid UTF-8, control bytes blanked. */
static void format_value(const csv_field *f, char *buf, size_t cap) {
  size_t shown = f->size_bytes > 40 ? 40 : f->size_bytes;
  size_t n = csv_utf8_sanitize(f->data, shown, buf, cap > 4 ? cap - 4 : cap);
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)buf[i] < 0x20) buf[i] = ' ';
  }
  if (shown < f->size_bytes) strcpy(buf + n, "...");
}

row_status csv_row_error(table *t, pass_mode mode, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (!t->opt->skip_bad_rows) {
    vsnprintf(t->res->error, sizeof t->res->error, fmt, ap);
    t->status = EINVAL;
    va_end(ap);
    return ROW_FAIL;
  }
  if (mode == MODE_BUILD) {
    if (t->res->n_kept_messages < CSV_KEPT_MESSAGES) {
      vsnprintf(t->res->kept_messages[t->res->n_kept_messages++], CSV_MESSAGE_SIZE_BYTES, fmt,
                ap);
    }
    t->res->n_skipped_rows++;
  }
  va_end(ap);
  return ROW_SKIP;
}

static bool is_null_token(const table *t, const csv_field *f) {
  if (f->quoted || f->size_bytes > t->max_null_token_bytes) return false;
  if (f->size_bytes == 0) return t->empty_is_null;
  if (!t->null_token_starts[f->data[0]]) return false;
  for (size_t i = 0; i < t->opt->n_null_tokens; i++) {
    const csv_bytes *tok = &t->opt->null_tokens[i];
    if (tok->size_bytes == f->size_bytes && memcmp(tok->data, f->data, f->size_bytes) == 0) {
      return true;
    }
  }
  return false;
}

/* Parses `f` by the strptime-style `format` (NULL: none) into microseconds, UTC. */
static bool parse_format(const char *format, const csv_field *f, int64_t *us) {
  return format != NULL && qv_strptime((const char *)f->data, (int64_t)f->size_bytes, format,
                                       (int64_t)strlen(format), us, NULL) == QV_OK;
}

/* Whether a timestamp format reads a zone (%z), making its column UTC-zoned. */
static bool format_has_zone(const char *format) {
  return format != NULL && strstr(format, "%z") != NULL;
}

/* A date in the user's dateFormat (a whole day), else ISO 8601. */
static bool parse_date(const table *t, const csv_field *f, int32_t *days) {
  int64_t us;
  if (parse_format(t->opt->date_format, f, &us) && us % US_PER_DAY == 0 &&
      us / US_PER_DAY >= INT32_MIN && us / US_PER_DAY <= INT32_MAX) {
    *days = (int32_t)(us / US_PER_DAY);
    return true;
  }
  return csv_parse_date32(f->data, f->size_bytes, days);
}

/* A timestamp in the user's timestampFormat (zoned or not, as `zoned` asks), a date in their
 * dateFormat (midnight), else ISO 8601 with or without a zone. */
static bool parse_timestamp(const table *t, const csv_field *f, bool zoned, bool forced,
                            int64_t *us) {
  const char *ts_format = t->opt->timestamp_format;
  if (format_has_zone(ts_format) == zoned && parse_format(ts_format, f, us)) return true;
  if (!zoned && parse_format(t->opt->date_format, f, us)) return true;
  bool has_zone;
  return csv_parse_timestamp(f->data, f->size_bytes, us, &has_zone) &&
         (zoned ? has_zone : forced || !has_zone);
}

/* The narrowest kind of `f`: the user's formats first, then csv_classify. */
static csv_kind classify(const table *t, const csv_field *f) {
  int64_t us;
  int32_t days;
  if (t->opt->date_format != NULL && parse_date(t, f, &days)) return CSV_KIND_DATE32;
  if (parse_format(t->opt->timestamp_format, f, &us)) {
    return format_has_zone(t->opt->timestamp_format) ? CSV_KIND_TIMESTAMP_TZ : CSV_KIND_TIMESTAMP;
  }
  return csv_classify(f->data, f->size_bytes);
}

/* Parses `f` as `kind` into `*v`; false if it does not have that kind's form. */
static bool conforms(const table *t, csv_kind kind, bool forced, const csv_field *f,
                     csv_value *v) {
  switch (kind) {
  case CSV_KIND_NULL:
    return false;
  case CSV_KIND_BOOL:
    return csv_parse_bool(f->data, f->size_bytes, &v->b);
  case CSV_KIND_INT64:
    return csv_parse_int64(f->data, f->size_bytes, &v->i64) &&
           (forced || !csv_has_leading_zero(f->data, f->size_bytes));
  case CSV_KIND_FLOAT64:
    return csv_parse_float64(f->data, f->size_bytes, &v->f64) &&
           (forced || !csv_has_leading_zero(f->data, f->size_bytes));
  case CSV_KIND_DATE32:
    return parse_date(t, f, &v->days);
  case CSV_KIND_TIMESTAMP:
    return parse_timestamp(t, f, false, forced, &v->i64);
  case CSV_KIND_TIMESTAMP_TZ:
    return parse_timestamp(t, f, true, forced, &v->i64);
  case CSV_KIND_UTF8:
    return true;
  }
  return false;
}

row_status csv_check_row(table *t, pass_mode mode) {
  const csv_reader *r = &t->reader;
  char where[160];
  if (r->n_fields != t->n_columns) {
    if (r->n_fields > t->n_columns) {
      const csv_field *extra = &r->fields[t->n_columns];
      csv_format_position(t, extra->offset, extra->line, where, sizeof where);
      return csv_row_error(t, mode, "%s: expected %zu fields, found %zu (field %zu starts here)",
                       where, t->n_columns, r->n_fields, t->n_columns + 1);
    }
    uint64_t end_line = r->line - (r->record_end < r->size_bytes ? 1 : 0);
    csv_format_position(t, r->record_end, end_line, where, sizeof where);
    return csv_row_error(t, mode, "%s: expected %zu fields, found %zu (the record ends here)", where,
                     t->n_columns, r->n_fields);
  }
  /* Forced columns first, so that a row rejected for them does not widen other columns. */
  for (size_t j = 0; j < t->n_columns; j++) {
    if (!t->forced[j]) continue;
    const csv_field *f = &r->fields[j];
    t->is_null[j] = is_null_token(t, f);
    if (t->is_null[j] || conforms(t, t->kinds[j], true, f, &t->values[j])) continue;
    char value[64];
    csv_format_position(t, f->offset, f->line, where, sizeof where);
    format_value(f, value, sizeof value);
    return csv_row_error(t, mode, "%s (field %zu \"%s\"): \"%s\" is not a valid %s", where, j + 1,
                     t->names[j], value, csv_kind_name(t->kinds[j]));
  }
  for (size_t j = 0; j < t->n_columns; j++) {
    if (t->forced[j]) continue;
    const csv_field *f = &r->fields[j];
    t->is_null[j] = is_null_token(t, f);
    if (t->is_null[j] || conforms(t, t->kinds[j], false, f, &t->values[j])) continue;
    if (mode == MODE_INFER) {
      t->kinds[j] = csv_kind_join(t->kinds[j], classify(t, f));
      continue;
    }
    /* The schema is fixed and batches may have gone: a row error, as in DuckDB. */
    char value[64];
    csv_format_position(t, f->offset, f->line, where, sizeof where);
    format_value(f, value, sizeof value);
    return csv_row_error(t, mode,
                         "%s (field %zu \"%.60s\"): \"%s\" is not a valid %s, the type inferred "
                         "from the first %lld rows (raise inferRows, 0 = all rows, or set "
                         "columnTypes)",
                         where, j + 1, t->names[j], value, csv_kind_name(t->kinds[j]),
                         (long long)t->res->n_sample_rows);
  }
  return ROW_OK;
}
