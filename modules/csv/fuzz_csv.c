/*
 * fuzz_csv.c — libFuzzer target for the csv module's parser (tokenizer, inference, column
 * building), natively: clang-19 -fsanitize=fuzzer,address,undefined modules/csv/fuzz_csv.c
 *
 * The parser's sources are included here so the target builds from this one file (the
 * wasm build skips fuzz_*.c). The first input byte picks the options (delimiter, quote,
 * escape, header, skip mode, sample size, batch size); the rest is the CSV. Every batch the
 * parser hands out is checked against Arrow's layout rules; a broken rule aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_column.c"
#include "csv_names.c"
#include "csv_parse.c"
#include "csv_row.c"
#include "csv_table.c"
#include "csv_value.c"

#include "fuzz_csv.h"

typedef struct fuzz_sink_state {
  size_t n_columns;
  csv_kind kinds[CSV_MAX_FIELDS];
  int64_t rows;
  uint64_t checksum;
} fuzz_sink_state;

static void check(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "fuzz_csv: invariant broken: %s\n", what);
    abort();
  }
}

static int fuzz_begin(void *ctx, const csv_out_column *columns, size_t n_columns) {
  fuzz_sink_state *s = ctx;
  check(n_columns <= CSV_MAX_FIELDS, "column count");
  s->n_columns = n_columns;
  s->rows = 0;
  for (size_t j = 0; j < n_columns; j++) {
    check(columns[j].kind != CSV_KIND_NULL, "no null-typed columns");
    check(columns[j].name && columns[j].name[0], "non-empty names");
    size_t len = strlen(columns[j].name);
    for (size_t i = 0; i < len;) {
      size_t seq = csv_utf8_sequence_length((const uint8_t *)columns[j].name + i, len - i);
      check(seq > 0, "names are valid UTF-8");
      i += seq;
    }
    s->kinds[j] = columns[j].kind;
  }
  return 0;
}

static int fuzz_batch(void *ctx, const csv_out_column *columns, size_t n_columns,
                      int64_t n_rows) {
  fuzz_sink_state *s = ctx;
  check(n_columns == s->n_columns && n_rows > 0, "batch shape");
  for (size_t j = 0; j < n_columns; j++) {
    const csv_out_column *c = &columns[j];
    check(c->kind == s->kinds[j], "batch kinds match the schema");
    int64_t nulls = 0;
    for (int64_t i = 0; i < n_rows; i++) {
      if (c->validity && !(c->validity[i >> 3] & (1u << (i & 7)))) nulls++;
    }
    check(nulls == c->null_count, "null_count matches the validity bitmap");
    if (c->kind == CSV_KIND_UTF8) {
      check(c->offsets[0] == 0 && c->offsets[n_rows] == c->data_size_bytes, "offset bounds");
      for (int64_t i = 0; i < n_rows; i++) check(c->offsets[i] <= c->offsets[i + 1], "offsets");
      for (int64_t i = 0; i < c->data_size_bytes;) {
        size_t seq = csv_utf8_sequence_length(c->data + i, (size_t)(c->data_size_bytes - i));
        check(seq > 0, "text is valid UTF-8");
        i += (int64_t)seq;
      }
    } else {
      size_t width = c->kind == CSV_KIND_BOOL ? 0 : c->kind == CSV_KIND_DATE32 ? 4 : 8;
      size_t bytes = width ? width * (size_t)n_rows : ((size_t)n_rows + 7) / 8;
      const uint8_t *v = c->values;
      for (size_t i = 0; i < bytes; i++) s->checksum += v[i];
    }
  }
  s->rows += n_rows;
  return 0;
}

static int fuzz_reset(void *ctx) {
  fuzz_sink_state *s = ctx;
  s->rows = 0;
  return 0;
}

int csv_fuzz_run(const uint8_t *data, size_t size_bytes, uint8_t flags, char *summary,
                 size_t summary_size_bytes) {
  static const uint8_t kDelimiters[] = {',', '\t', ';', '|'};
  static const int kQuotes[] = {'"', '\'', CSV_NO_CHAR, '"'};
  static const size_t kInferRows[] = {1000, 1, 0, 2};
  static const csv_bytes kNullTokens[] = {
      {(const uint8_t *)"", 0}, {(const uint8_t *)"NA", 2}, {(const uint8_t *)"null", 4}};
  csv_options opt;
  memset(&opt, 0, sizeof opt);
  opt.dialect.delimiter = kDelimiters[flags & 3];
  opt.dialect.quote = kQuotes[(flags >> 2) & 3];
  opt.dialect.escape = ((flags >> 4) & 1) && opt.dialect.quote != CSV_NO_CHAR ? '\\'
                                                                                : opt.dialect.quote;
  opt.header = !((flags >> 5) & 1);
  opt.skip_bad_rows = (flags >> 6) & 1;
  opt.infer_rows = kInferRows[((flags >> 7) & 1) * 2 + ((flags >> 2) & 1)];
  opt.batch_size_rows = (flags & 0x80) ? 3 : 65536;
  opt.null_tokens = kNullTokens;
  opt.n_null_tokens = 3;

  fuzz_sink_state *state = calloc(1, sizeof *state);
  if (!state) return -1;
  csv_sink sink = {state, fuzz_begin, fuzz_batch, fuzz_reset};
  csv_result res;
  int rc = csv_read_table(data, size_bytes, &opt, &sink, &res);
  if (rc == 0) {
    check(res.n_rows == state->rows, "row count");
    snprintf(summary, summary_size_bytes, "ok rows=%lld columns=%lld skipped=%lld reparses=%d",
             (long long)res.n_rows, (long long)res.n_columns, (long long)res.n_skipped_rows,
             res.n_reparses);
  } else {
    check(res.error[0] != '\0', "an error has a message");
    snprintf(summary, summary_size_bytes, "error %d: %s", rc, res.error);
  }
  free(state);
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  char summary[512];
  csv_fuzz_run(data + 1, size - 1, data[0], summary, sizeof summary);
  return 0;
}
