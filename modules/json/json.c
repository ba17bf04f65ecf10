/*
 * json.c — the json module, a QV_MODULE (built as v2, a reactor): reads JSON records from the
 * bytes of input `json` — an array of objects, or newline-delimited JSON (one object per
 * line; blank lines skipped) — into one table on output `out`.
 *
 * Columns appear in the order their names are first seen; a record without a member gives
 * null. Nested objects become dotted columns (`{"a": {"b": 1}}` → `a.b`) with `nested:
 * "flatten"` (the default), or one column of JSON text with `nested: "json"`; arrays are
 * always JSON text. Types are inferred over every record as the csv module infers them:
 * true/false → bool, integers → int64, other numbers → float64, strings in ISO 8601 date or
 * timestamp form → date32 / timestamp[us] (UTC-zoned with a zone), other strings → utf8; a
 * column mixing types reads as the narrowest holding them all (int64 + float64 → float64),
 * else utf8 (numbers and booleans then as their JSON text). Errors name the line and column.
 * The whole input is held in memory (JSON arrays cannot be parsed in pieces).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../csv/csv_kind_type.h"
#include "../csv/csv_value.h"
#include "quiver.h"

/** Most columns of the output. */
#define JSON_MAX_COLUMNS 4096

typedef struct column {
  char *name;
  csv_kind kind;
} column;

/* The module's state: one instance reads one table. */
static char *text;
static int64_t text_size, text_capacity;
static bool nested_as_json;
static int format_ndjson = -1; /* -1 auto, 0 array, 1 ndjson */
static column *columns;
static int64_t n_columns;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)step;
  for (int64_t i = 0; i < params->n_children; i++) {
    const char *k = params->children[i].key;
    if (strcmp(k, "format") != 0 && strcmp(k, "nested") != 0) {
      return qv_error_set(err, EINVAL, "json: unknown parameter '%s'", k);
    }
  }
  const char *format = "auto", *nested = "flatten";
  int rc = qv_json_get_string_or(params, "format", "auto", &format, err);
  if (!rc) rc = qv_json_get_string_or(params, "nested", "flatten", &nested, err);
  if (rc) return qv_error_set(err, rc, "json: %s", err->message);
  if (strcmp(format, "auto") && strcmp(format, "array") && strcmp(format, "ndjson")) {
    return qv_error_set(err, EINVAL, "json: parameter 'format' must be auto, array or ndjson");
  }
  if (strcmp(nested, "flatten") && strcmp(nested, "json")) {
    return qv_error_set(err, EINVAL, "json: parameter 'nested' must be flatten or json");
  }
  format_ndjson = strcmp(format, "auto") == 0 ? -1 : strcmp(format, "ndjson") == 0;
  nested_as_json = strcmp(nested, "json") == 0;
  return QV_OK;
}

static int bytes(qv_step *step, int port, const uint8_t *data, int64_t size_bytes,
                 qv_error *err) {
  (void)step;
  (void)port;
  if (text_size + size_bytes + 1 > text_capacity) {
    int64_t cap = text_capacity ? text_capacity : 65536;
    while (cap < text_size + size_bytes + 1) cap *= 2;
    char *grown = realloc(text, (size_t)cap);
    if (grown == NULL) return qv_error_set(err, ENOMEM, "json: out of memory (%lld bytes)", (long long)cap);
    text = grown;
    text_capacity = cap;
  }
  memcpy(text + text_size, data, (size_t)size_bytes);
  text_size += size_bytes;
  return QV_OK;
}

/* ---- JSON text of a value (for arrays, nested objects with nested: "json", mixed columns) */

typedef struct buf {
  char *data;
  int64_t size, cap;
} buf;

static int put(buf *b, const char *s, int64_t n) {
  if (b->size + n + 1 > b->cap) {
    int64_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->size + n + 1) cap *= 2;
    char *g = realloc(b->data, (size_t)cap);
    if (g == NULL) return ENOMEM;
    b->data = g;
    b->cap = cap;
  }
  memcpy(b->data + b->size, s, (size_t)n);
  b->size += n;
  b->data[b->size] = '\0';
  return QV_OK;
}

static int put_string(buf *b, const char *s, int64_t n) {
  int rc = put(b, "\"", 1);
  for (int64_t k = 0; k < n && rc == QV_OK; k++) {
    unsigned char c = (unsigned char)s[k];
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      rc = put(b, esc, 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      rc = put(b, esc, 6);
    } else {
      rc = put(b, (const char *)&s[k], 1);
    }
  }
  return rc ? rc : put(b, "\"", 1);
}

static int put_json(buf *b, const qv_json *v) {
  char num[40];
  int rc = QV_OK;
  switch (v->kind) {
  case QV_JSON_NULL:
    return put(b, "null", 4);
  case QV_JSON_BOOL:
    return v->bool_value ? put(b, "true", 4) : put(b, "false", 5);
  case QV_JSON_NUMBER:
    if (v->number_is_integer) snprintf(num, sizeof num, "%lld", (long long)v->int_value);
    else snprintf(num, sizeof num, "%.17g", v->number_value);
    return put(b, num, (int64_t)strlen(num));
  case QV_JSON_STRING:
    return put_string(b, v->string_value, v->string_size_bytes);
  case QV_JSON_ARRAY:
  case QV_JSON_OBJECT:
    rc = put(b, v->kind == QV_JSON_ARRAY ? "[" : "{", 1);
    for (int64_t i = 0; i < v->n_children && rc == QV_OK; i++) {
      if (i > 0) rc = put(b, ",", 1);
      if (rc == QV_OK && v->kind == QV_JSON_OBJECT) {
        rc = put_string(b, v->children[i].key, (int64_t)strlen(v->children[i].key));
        if (rc == QV_OK) rc = put(b, ":", 1);
      }
      if (rc == QV_OK) rc = put_json(b, &v->children[i]);
    }
    return rc ? rc : put(b, v->kind == QV_JSON_ARRAY ? "]" : "}", 1);
  }
  return rc;
}

/* ---- records and columns ---------------------------------------------------------------- */

/** The records: the elements of the top-level array, or one parsed tree per NDJSON line. */
typedef struct records {
  qv_json **roots; /* trees to free */
  int64_t n_roots;
  const qv_json **items; /* one object per record */
  int64_t *lines;        /* NDJSON: the line of each record (for messages) */
  int64_t n;
} records;

/** Line and column (1-based) of byte `at` of the text. */
static void position(int64_t at, int64_t *line, int64_t *col) {
  *line = 1;
  *col = 1;
  for (int64_t k = 0; k < at && k < text_size; k++) {
    if (text[k] == '\n') {
      ++*line;
      *col = 1;
    } else {
      ++*col;
    }
  }
}

static int not_object(const qv_json *v, int64_t base, qv_error *err) {
  int64_t line, col;
  position(base + v->offset_bytes, &line, &col);
  return qv_error_set(err, EINVAL, "json: line %lld, column %lld: a record must be an object, not %s",
                      (long long)line, (long long)col, qv_json_kind_name(v->kind));
}

static int read_array(records *r, qv_error *err) {
  r->roots = calloc(1, sizeof *r->roots);
  if (r->roots == NULL) return qv_error_set(err, ENOMEM, "json: out of memory");
  int rc = qv_json_parse(text, text_size, &r->roots[0], err);
  if (rc) return qv_error_set(err, rc, "json: %s", err->message);
  r->n_roots = 1;
  const qv_json *top = r->roots[0];
  if (top->kind != QV_JSON_ARRAY) return not_object(top, 0, err);
  r->items = calloc((size_t)(top->n_children + 1), sizeof *r->items);
  if (r->items == NULL) return qv_error_set(err, ENOMEM, "json: out of memory");
  for (int64_t i = 0; i < top->n_children; i++) {
    if (top->children[i].kind != QV_JSON_OBJECT) return not_object(&top->children[i], 0, err);
    r->items[r->n++] = &top->children[i];
  }
  return QV_OK;
}

static int read_ndjson(records *r, qv_error *err) {
  int64_t lines = 1;
  for (int64_t k = 0; k < text_size; k++) lines += text[k] == '\n';
  r->roots = calloc((size_t)lines, sizeof *r->roots);
  r->items = calloc((size_t)lines, sizeof *r->items);
  r->lines = calloc((size_t)lines, sizeof *r->lines);
  if (!r->roots || !r->items || !r->lines) return qv_error_set(err, ENOMEM, "json: out of memory");
  int64_t start = 0;
  for (int64_t line = 1; start <= text_size; line++) {
    int64_t end = start;
    while (end < text_size && text[end] != '\n') end++;
    int64_t k = start;
    while (k < end && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) k++;
    if (k < end) {
      qv_json *root = NULL;
      int rc = qv_json_parse(text + start, end - start, &root, err);
      if (rc) {
        /* The parser counts from the line's start: its "line 1" is this line. */
        const char *at = strstr(err->message, "line 1, ");
        return qv_error_set(err, rc, "json: line %lld, %s", (long long)line,
                            at ? at + 8 : err->message);
      }
      r->roots[r->n_roots++] = root;
      if (root->kind != QV_JSON_OBJECT) return not_object(root, start, err);
      r->lines[r->n] = line;
      r->items[r->n++] = root;
    }
    start = end + 1;
  }
  return QV_OK;
}

static void records_free(records *r) {
  for (int64_t i = 0; i < r->n_roots; i++) qv_json_free(r->roots[i]);
  free(r->roots);
  free(r->items);
  free(r->lines);
  memset(r, 0, sizeof *r);
}

/** Where the last lookup found its column: records usually list members in one order, so
 * the next member is most often the next column. */
static int64_t lookup_hint;

/** The index of column `name`, added (kind NULL) when new; -errno with err set on failure. */
static int64_t column_index(const char *name, qv_error *err) {
  for (int64_t k = 0; k < n_columns; k++) {
    int64_t c = (lookup_hint + k) % n_columns;
    if (strcmp(columns[c].name, name) == 0) {
      lookup_hint = c + 1;
      return c;
    }
  }
  if (n_columns >= JSON_MAX_COLUMNS) {
    return -(int64_t)qv_error_set(err, EINVAL, "json: more than %d columns", JSON_MAX_COLUMNS);
  }
  column *grown = realloc(columns, (size_t)(n_columns + 1) * sizeof *grown);
  size_t size = strlen(name) + 1;
  char *copy = malloc(size);
  if (copy != NULL) memcpy(copy, name, size);
  if (grown == NULL || copy == NULL) {
    free(copy);
    if (grown) columns = grown;
    return -(int64_t)qv_error_set(err, ENOMEM, "json: out of memory");
  }
  columns = grown;
  columns[n_columns] = (column){copy, CSV_KIND_NULL};
  lookup_hint = n_columns + 1;
  return n_columns++;
}

/** The kind of one value, as the csv module classifies a field. */
static csv_kind kind_of(const qv_json *v) {
  switch (v->kind) {
  case QV_JSON_NULL:
    return CSV_KIND_NULL;
  case QV_JSON_BOOL:
    return CSV_KIND_BOOL;
  case QV_JSON_NUMBER:
    return v->number_is_integer ? CSV_KIND_INT64 : CSV_KIND_FLOAT64;
  case QV_JSON_STRING: {
    csv_kind k = csv_classify((const uint8_t *)v->string_value, (size_t)v->string_size_bytes);
    return k == CSV_KIND_DATE32 || k == CSV_KIND_TIMESTAMP || k == CSV_KIND_TIMESTAMP_TZ
               ? k
               : CSV_KIND_UTF8;
  }
  default:
    return CSV_KIND_UTF8;
  }
}

/**
 * Visits the columns of one record: calls `fn(column, value, ctx)` for each leaf (flattening
 * nested objects into "parent.child" unless nested_as_json). `prefix` is the dotted path so
 * far ("" at the top).
 */
typedef int (*leaf_fn)(int64_t column, const qv_json *value, void *ctx, qv_error *err);

static int visit(const qv_json *object, const char *prefix, leaf_fn fn, void *ctx,
                 qv_error *err) {
  for (int64_t i = 0; i < object->n_children; i++) {
    const qv_json *v = &object->children[i];
    size_t n = strlen(prefix) + strlen(v->key) + 2;
    char small[256];
    char *name = n <= sizeof small ? small : malloc(n);
    if (name == NULL) return qv_error_set(err, ENOMEM, "json: out of memory");
    if (prefix[0]) snprintf(name, n, "%s.%s", prefix, v->key);
    else memcpy(name, v->key, n - 1);
    int rc;
    if (v->kind == QV_JSON_OBJECT && !nested_as_json && v->n_children > 0) {
      rc = visit(v, name, fn, ctx, err);
    } else {
      int64_t c = column_index(name, err);
      rc = c < 0 ? (int)-c : fn(c, v, ctx, err);
    }
    if (name != small) free(name);
    if (rc) return rc;
  }
  return QV_OK;
}

static int infer_leaf(int64_t c, const qv_json *v, void *ctx, qv_error *err) {
  (void)ctx;
  (void)err;
  columns[c].kind = csv_kind_join(columns[c].kind, kind_of(v));
  return QV_OK;
}

/** One record's values by column (NULL: absent), filled by visit. */
static int collect_leaf(int64_t c, const qv_json *v, void *ctx, qv_error *err) {
  (void)err;
  ((const qv_json **)ctx)[c] = v;
  return QV_OK;
}

/** Appends value `v` (NULL: absent) to the builder of column kind `k`. */
static int append(qv_builder *b, csv_kind k, const qv_json *v, qv_error *err) {
  if (v == NULL || v->kind == QV_JSON_NULL) return qv_builder_append_null(b, err);
  const uint8_t *s = (const uint8_t *)v->string_value;
  size_t n = (size_t)v->string_size_bytes;
  int32_t days;
  int64_t us;
  bool zone;
  switch (k) {
  case CSV_KIND_BOOL:
    return qv_builder_append_bool(b, v->bool_value, err);
  case CSV_KIND_INT64:
    return qv_builder_append_int64(b, v->int_value, err);
  case CSV_KIND_FLOAT64:
    return qv_builder_append_double(b, v->number_value, err);
  case CSV_KIND_DATE32:
    csv_parse_date32(s, n, &days);
    return qv_builder_append_int64(b, days, err);
  case CSV_KIND_TIMESTAMP:
  case CSV_KIND_TIMESTAMP_TZ:
    csv_parse_timestamp(s, n, &us, &zone);
    return qv_builder_append_int64(b, us, err);
  default:
    if (v->kind == QV_JSON_STRING) return qv_builder_append_bytes(b, v->string_value, v->string_size_bytes, err);
    buf t = {0};
    int rc = put_json(&t, v);
    if (rc == QV_OK) rc = qv_builder_append_bytes(b, t.data, t.size, err);
    else rc = qv_error_set(err, ENOMEM, "json: out of memory");
    free(t.data);
    return rc;
  }
}

/** Rows per output record batch. */
#define JSON_BATCH_ROWS 65536

/** Builds and writes records [lo, hi) as one record batch. */
static int write_batch(qv_step *step, const records *r, int64_t lo, int64_t hi,
                       const qv_json **row, qv_error *err) {
  qv_batch batch = {0};
  qv_builder **builders = calloc((size_t)(n_columns + 1), sizeof *builders);
  int rc = builders ? QV_OK : qv_error_set(err, ENOMEM, "json: out of memory");
  for (int64_t c = 0; c < n_columns && rc == QV_OK; c++) {
    rc = qv_builder_new(csv_kind_type(columns[c].kind), hi - lo, &builders[c], err);
  }
  for (int64_t i = lo; i < hi && rc == QV_OK; i++) {
    memset(row, 0, (size_t)n_columns * sizeof *row);
    rc = visit(r->items[i], "", collect_leaf, row, err);
    for (int64_t c = 0; c < n_columns && rc == QV_OK; c++) {
      rc = append(builders[c], columns[c].kind, row[c], err);
    }
  }
  if (rc == QV_OK) rc = qv_batch_init(&batch, n_columns, hi - lo, err);
  for (int64_t c = 0; c < n_columns && rc == QV_OK; c++) {
    rc = qv_builder_finish(builders[c], &batch.columns[c], err);
    builders[c] = NULL;
  }
  if (rc == QV_OK) rc = qv_step_write(step, 0, &batch, err);
  for (int64_t c = 0; builders && c < n_columns; c++) qv_builder_free(builders[c]);
  free(builders);
  qv_batch_release(&batch);
  return rc;
}

/** Writes the schema, then the records in batches of JSON_BATCH_ROWS. */
static int write_table(qv_step *step, const records *r, qv_error *err) {
  qv_schema schema = {0};
  const qv_json **row = calloc((size_t)(n_columns + 1), sizeof *row);
  int rc = row ? qv_schema_init(&schema, n_columns, err)
               : qv_error_set(err, ENOMEM, "json: out of memory");
  for (int64_t c = 0; c < n_columns && rc == QV_OK; c++) {
    if (columns[c].kind == CSV_KIND_NULL) columns[c].kind = CSV_KIND_UTF8;
    rc = qv_schema_set_field(&schema, c, columns[c].name, csv_kind_type(columns[c].kind), true, err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &schema, err);
  for (int64_t lo = 0; lo < r->n && rc == QV_OK; lo += JSON_BATCH_ROWS) {
    int64_t hi = lo + JSON_BATCH_ROWS < r->n ? lo + JSON_BATCH_ROWS : r->n;
    rc = write_batch(step, r, lo, hi, row, err);
  }
  free(row);
  qv_schema_release(&schema);
  return rc;
}

static int finish(qv_step *step, qv_error *err) {
  records r = {0};
  int64_t k = 0;
  while (k < text_size && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n')) k++;
  bool ndjson = format_ndjson >= 0 ? format_ndjson == 1 : !(k < text_size && text[k] == '[');
  int rc = ndjson ? read_ndjson(&r, err) : read_array(&r, err);
  for (int64_t i = 0; i < r.n && rc == QV_OK; i++) rc = visit(r.items[i], "", infer_leaf, NULL, err);
  if (rc == QV_OK) rc = write_table(step, &r, err);
  if (rc == QV_OK) {
    printf("json: %lld records, %lld columns, %lld bytes read (%s)\n", (long long)r.n,
           (long long)n_columns, (long long)text_size, ndjson ? "NDJSON" : "array");
  }
  records_free(&r);
  for (int64_t c = 0; c < n_columns; c++) free(columns[c].name);
  free(columns);
  columns = NULL;
  n_columns = 0;
  lookup_hint = 0;
  free(text);
  text = NULL;
  text_size = text_capacity = 0;
  return rc;
}

static const char *const inputs[] = {"json"}, *const outputs[] = {"out"};
QV_MODULE(.id = "json", .inputs = inputs, .n_inputs = 1, .bytes_inputs = 1u << 0,
          .outputs = outputs, .n_outputs = 1, .begin = begin, .bytes = bytes, .finish = finish)
