/*
 * csv.c — the csv module, a QV_MODULE (ABI.md 11.5; built as v2, a reactor): the bytes of
 * input `csv` arrive in chunks split anywhere (`bytes` callback), are parsed with the
 * parameters (see csv.json), and the table leaves on output `out` batch by batch as the
 * batches fill, so the file is never whole in memory. The output opens once the sampled rows
 * have fixed the schema (at the latest in `finish`).
 *
 * The parsing lives in csv_table.c (pure, natively tested and fuzzed); this file only reads
 * parameters, hands the parser's column buffers to the SDK's IPC writer without copying, and
 * logs what happened: a summary on stdout; skipped rows and U+FFFD replacements on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_kind_type.h"
#include "csv_table.h"
#include "quiver.h"
#include "strtime.h"

#define DEFAULT_INFER_ROWS 10000
#define DEFAULT_BATCH_SIZE_ROWS 65536

static const char *const kDefaultNullTokens[] = {"", "NA", "NULL", "null"};

/* The step's output behind the parser's sink. */
typedef struct writer_sink {
  qv_step *step;
  qv_error err;
  /* "name: type, ..." of the last schema, for the log (cut at about 900 bytes). */
  char columns_text[1024];
} writer_sink;

static int sink_begin(void *ctx, const csv_out_column *columns, size_t n_columns) {
  writer_sink *s = ctx;
  qv_schema schema = {0};
  int rc = qv_schema_init(&schema, (int64_t)n_columns, &s->err);
  for (size_t j = 0; rc == QV_OK && j < n_columns; j++) {
    rc = qv_schema_set_field(&schema, (int64_t)j, columns[j].name, csv_kind_type(columns[j].kind),
                             true, &s->err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(s->step, 0, &schema, &s->err);
  qv_schema_release(&schema);
  size_t used = 0;
  s->columns_text[0] = '\0';
  for (size_t j = 0; j < n_columns && used < 900; j++) {
    int n = snprintf(s->columns_text + used, sizeof s->columns_text - used, "%s%.200s: %s",
                     j ? ", " : "", columns[j].name, csv_kind_name(columns[j].kind));
    if (n > 0) used += (size_t)n;
    if (used >= 900 && j + 1 < n_columns) {
      snprintf(s->columns_text + 900, sizeof s->columns_text - 900, ", ...");
    }
  }
  return rc;
}

static int sink_batch(void *ctx, const csv_out_column *columns, size_t n_columns,
                      int64_t n_rows) {
  writer_sink *s = ctx;
  qv_batch batch = {0};
  int rc = qv_batch_init(&batch, (int64_t)n_columns, n_rows, &s->err);
  if (rc) return rc;
  for (size_t j = 0; j < n_columns; j++) {
    /* Borrowed views of the parser's buffers: nothing is copied before the writer. */
    qv_column *c = &batch.columns[j];
    c->type = csv_kind_type(columns[j].kind);
    c->length = n_rows;
    c->null_count = columns[j].null_count;
    c->validity = columns[j].validity;
    c->values = columns[j].values;
    c->offsets = columns[j].offsets;
    c->data = columns[j].data;
    c->data_size_bytes = columns[j].data_size_bytes;
  }
  rc = qv_step_write(s->step, 0, &batch, &s->err);
  qv_batch_release(&batch);
  return rc;
}

static bool kind_from_name(const char *name, csv_kind *out) {
  static const struct {
    const char *name;
    csv_kind kind;
  } kKinds[] = {{"int64", CSV_KIND_INT64},   {"float64", CSV_KIND_FLOAT64},
                {"bool", CSV_KIND_BOOL},     {"date32", CSV_KIND_DATE32},
                {"timestamp", CSV_KIND_TIMESTAMP}, {"utf8", CSV_KIND_UTF8}};
  for (size_t i = 0; i < sizeof kKinds / sizeof kKinds[0]; i++) {
    if (strcmp(name, kKinds[i].name) == 0) {
      *out = kKinds[i].kind;
      return true;
    }
  }
  return false;
}

/* A one-character parameter: "" gives `none`, an absent one `fallback`. */
static int char_param(const qv_json *params, const char *key, int fallback, int none,
                      int *out, qv_error *err) {
  const qv_json *v = qv_json_get(params, key);
  if (!v || v->kind == QV_JSON_NULL) {
    *out = fallback;
    return QV_OK;
  }
  if (v->kind != QV_JSON_STRING || v->string_size_bytes > 1 ||
      (v->string_size_bytes == 1 && (unsigned char)v->string_value[0] >= 0x80)) {
    return qv_error_set(err, EINVAL, "parameter '%s' must be one ASCII character or \"\"", key);
  }
  *out = v->string_size_bytes == 0 ? none : (unsigned char)v->string_value[0];
  return QV_OK;
}

/* Storage for what the parameters point at (borrowed from the JSON tree). */
typedef struct parsed_params {
  csv_options options;
  csv_bytes null_tokens[32];
  csv_column_type column_types[CSV_MAX_FIELDS];
} parsed_params;

/** A strptime-style format parameter (absent or empty: NULL), refused if it has an unknown
 * specifier (checked by formatting with it). */
static int format_param(const qv_json *params, const char *name, const char **out,
                        qv_error *err) {
  const char *format = "";
  int rc = qv_json_get_string_or(params, name, "", &format, err);
  if (rc) return rc;
  char buf[256];
  int64_t n = 0;
  rc = qv_strftime(0, format, (int64_t)strlen(format), buf, sizeof buf, &n, err);
  if (rc == EINVAL) {
    return qv_error_set(err, EINVAL, "parameter '%s': %s", name,
                        err ? err->message : "unknown specifier");
  }
  *out = format[0] != '\0' ? format : NULL;
  return QV_OK;
}

static int read_options(const qv_json *params, parsed_params *p, qv_error *err) {
  static const char *const kKnown[] = {"header",    "delimiter",   "quote",   "escape",
                                       "nullTokens", "inferRows",  "columnTypes",
                                       "onError",    "batchSizeRows", "dateFormat",
                                       "timestampFormat"};
  if (params->kind != QV_JSON_OBJECT) return qv_error_set(err, EINVAL, "parameters must be an object");
  for (int64_t i = 0; i < params->n_children; i++) {
    size_t k = 0;
    while (k < sizeof kKnown / sizeof kKnown[0] && strcmp(params->children[i].key, kKnown[k]))
      k++;
    if (k == sizeof kKnown / sizeof kKnown[0]) {
      return qv_error_set(err, EINVAL, "unknown parameter '%s'", params->children[i].key);
    }
  }
  csv_options *o = &p->options;
  int rc = qv_json_get_bool_or(params, "header", true, &o->header, err);
  int delimiter = ',';
  if (!rc) rc = char_param(params, "delimiter", ',', -2, &delimiter, err);
  if (!rc && delimiter == -2) return qv_error_set(err, EINVAL, "parameter 'delimiter' is empty");
  if (!rc) rc = char_param(params, "quote", '"', CSV_NO_CHAR, &o->dialect.quote, err);
  /* An empty or absent escape is the quote itself (RFC 4180 doubled quotes). */
  if (!rc) rc = char_param(params, "escape", o->dialect.quote, o->dialect.quote, &o->dialect.escape, err);
  if (rc) return rc;
  o->dialect.delimiter = (uint8_t)delimiter;

  const qv_json *tokens = qv_json_get(params, "nullTokens");
  if (tokens && tokens->kind != QV_JSON_NULL) {
    if (tokens->kind != QV_JSON_ARRAY || tokens->n_children > 32) {
      return qv_error_set(err, EINVAL, "parameter 'nullTokens' must be an array of at most 32 strings");
    }
    for (int64_t i = 0; i < tokens->n_children; i++) {
      const qv_json *t = &tokens->children[i];
      if (t->kind != QV_JSON_STRING) {
        return qv_error_set(err, EINVAL, "parameter 'nullTokens'[%lld] must be a string", (long long)i);
      }
      p->null_tokens[i] = (csv_bytes){(const uint8_t *)t->string_value, (size_t)t->string_size_bytes};
    }
    o->n_null_tokens = (size_t)tokens->n_children;
  } else {
    for (size_t i = 0; i < sizeof kDefaultNullTokens / sizeof kDefaultNullTokens[0]; i++) {
      p->null_tokens[i] = (csv_bytes){(const uint8_t *)kDefaultNullTokens[i], strlen(kDefaultNullTokens[i])};
    }
    o->n_null_tokens = sizeof kDefaultNullTokens / sizeof kDefaultNullTokens[0];
  }
  o->null_tokens = p->null_tokens;

  int64_t infer_rows = 0, batch_rows = 0;
  rc = qv_json_get_int64_or(params, "inferRows", DEFAULT_INFER_ROWS, &infer_rows, err);
  if (!rc) rc = qv_json_get_int64_or(params, "batchSizeRows", DEFAULT_BATCH_SIZE_ROWS, &batch_rows, err);
  if (rc) return rc;
  if (infer_rows < 0) return qv_error_set(err, EINVAL, "parameter 'inferRows' must be >= 0");
  if (batch_rows < 1 || batch_rows > (1 << 20)) {
    return qv_error_set(err, EINVAL, "parameter 'batchSizeRows' must be in 1..1048576");
  }
  o->infer_rows = (size_t)infer_rows;
  o->batch_size_rows = (size_t)batch_rows;

  const char *on_error = "fail";
  rc = qv_json_get_string_or(params, "onError", "fail", &on_error, err);
  if (rc) return rc;
  if (strcmp(on_error, "fail") != 0 && strcmp(on_error, "skip") != 0) {
    return qv_error_set(err, EINVAL, "parameter 'onError' must be \"fail\" or \"skip\"");
  }
  o->skip_bad_rows = strcmp(on_error, "skip") == 0;
  rc = format_param(params, "dateFormat", &o->date_format, err);
  if (!rc) rc = format_param(params, "timestampFormat", &o->timestamp_format, err);
  if (rc) return rc;

  const qv_json *types = qv_json_get(params, "columnTypes");
  if (types && types->kind != QV_JSON_NULL) {
    if (types->kind != QV_JSON_OBJECT || types->n_children > CSV_MAX_FIELDS) {
      return qv_error_set(err, EINVAL, "parameter 'columnTypes' must be an object");
    }
    for (int64_t i = 0; i < types->n_children; i++) {
      const qv_json *t = &types->children[i];
      if (t->kind != QV_JSON_STRING || !kind_from_name(t->string_value, &p->column_types[i].kind)) {
        return qv_error_set(err, EINVAL,
                            "columnTypes['%s'] must be one of int64, float64, bool, date32, "
                            "timestamp, utf8",
                            t->key);
      }
      p->column_types[i].name = t->key;
    }
    o->column_types = p->column_types;
    o->n_column_types = (size_t)types->n_children;
  }
  return QV_OK;
}

/* The module's state: one instance reads one table. */
static parsed_params *params_storage;
static writer_sink sink_state;
static csv_sink sink = {&sink_state, sink_begin, sink_batch};
static csv_result result;
static csv_table *table;
static int64_t bytes_read;

/* Turns a failed table call into the step's error. */
static int table_error(int rc, qv_error *err) {
  return qv_error_set(err, rc, "csv: %s", result.error[0] ? result.error : sink_state.err.message);
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  params_storage = calloc(1, sizeof *params_storage);
  if (!params_storage) return qv_error_set(err, ENOMEM, "csv: out of memory");
  int rc = read_options(params, params_storage, err);
  if (rc) return qv_error_set(err, rc, "csv: %s", err->message);
  sink_state.step = step;
  rc = csv_table_open(&params_storage->options, &sink, &result, &table);
  return rc ? table_error(rc, err) : QV_OK;
}

static int bytes(qv_step *step, int port, const uint8_t *data, int64_t size_bytes,
                 qv_error *err) {
  (void)step;
  (void)port;
  bytes_read += size_bytes;
  int rc = csv_table_feed(table, data, (size_t)size_bytes);
  return rc ? table_error(rc, err) : QV_OK;
}

/* Logs what happened: skipped rows and replacements on stderr, a summary on stdout. */
static void log_result(void) {
  for (int i = 0; i < result.n_kept_messages; i++) {
    fprintf(stderr, "csv: skipped row: %s\n", result.kept_messages[i]);
  }
  if (result.n_skipped_rows > 0) {
    fprintf(stderr, "csv: skipped %lld malformed rows\n", (long long)result.n_skipped_rows);
  }
  if (result.n_replaced_text_fields > 0) {
    fprintf(stderr, "csv: %lld text fields held invalid UTF-8; those bytes became U+FFFD\n",
            (long long)result.n_replaced_text_fields);
  }
  printf("csv: %lld rows, %lld columns, %lld record batches, %lld bytes read\n",
         (long long)result.n_rows, (long long)result.n_columns, (long long)result.n_batches,
         (long long)bytes_read);
  if (result.n_columns > 0) printf("csv: columns: %s\n", sink_state.columns_text);
}

static int finish(qv_step *step, qv_error *err) {
  (void)step;
  int rc = csv_table_end(table);
  csv_table_free(table);
  table = NULL;
  free(params_storage);
  params_storage = NULL;
  if (rc) return table_error(rc, err);
  log_result();
  return QV_OK;
}

static const char *const inputs[] = {"csv"}, *const outputs[] = {"out"};
QV_MODULE(.id = "csv", .inputs = inputs, .n_inputs = 1, .bytes_inputs = 1u << 0,
          .outputs = outputs, .n_outputs = 1, .begin = begin, .bytes = bytes, .finish = finish)
