/*
 * fuzz_csv.c — libFuzzer target for the csv module's parser (tokenizer, inference, column
 * building), natively: clang-19 -fsanitize=fuzzer,address,undefined modules/csv/fuzz_csv.c
 *
 * The parser's sources (and the SDK's strtime.c and error.c, for dateFormat) are included here
 * so the target builds from this one file (the
 * wasm build skips fuzz_*.c). The first input byte picks the options (delimiter, quote,
 * escape, header, skip mode, sample size, batch size); the rest is the CSV. Every batch the
 * parser hands out is checked against Arrow's layout rules; a broken rule aborts. The input
 * is also fed in chunks (sizes taken from its own bytes), and the chunked parse must give
 * the same outcome, batches and digest as the whole-buffer parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_batch.c"
#include "csv_column.c"
#include "csv_names.c"
#include "csv_parse.c"
#include "csv_phase.c"
#include "csv_row.c"
#include "csv_table.c"
#include "csv_value.c"
#include "../sdk/error.c"
#include "../sdk/strtime.c"

#include "fuzz_csv.h"

typedef struct fuzz_sink_state {
  size_t n_columns;
  csv_kind kinds[CSV_MAX_FIELDS];
  int64_t rows;
  /* FNV-1a over everything the sink received: names, kinds, every batch's rows. */
  uint64_t digest;
} fuzz_sink_state;

static void mix(fuzz_sink_state *s, const void *data, size_t n) {
  const uint8_t *b = data;
  for (size_t i = 0; i < n; i++) s->digest = (s->digest ^ b[i]) * 0x100000001b3ull;
}

static void mix_u64(fuzz_sink_state *s, uint64_t v) { mix(s, &v, sizeof v); }

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
    mix(s, columns[j].name, len + 1);
    mix_u64(s, (uint64_t)columns[j].kind);
  }
  return 0;
}

static int fuzz_batch(void *ctx, const csv_out_column *columns, size_t n_columns,
                      int64_t n_rows) {
  fuzz_sink_state *s = ctx;
  check(n_columns == s->n_columns && n_rows > 0, "batch shape");
  mix_u64(s, (uint64_t)n_rows);
  for (size_t j = 0; j < n_columns; j++) {
    const csv_out_column *c = &columns[j];
    check(c->kind == s->kinds[j], "batch kinds match the schema");
    int64_t nulls = 0;
    for (int64_t i = 0; i < n_rows; i++) {
      bool valid = !c->validity || (c->validity[i >> 3] & (1u << (i & 7)));
      nulls += !valid;
      mix_u64(s, valid);
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
      mix(s, c->offsets, ((size_t)n_rows + 1) * sizeof *c->offsets);
      mix(s, c->data, (size_t)c->data_size_bytes);
    } else if (c->kind == CSV_KIND_BOOL) {
      const uint8_t *v = c->values;
      for (int64_t i = 0; i < n_rows; i++) mix_u64(s, (v[i >> 3] >> (i & 7)) & 1u);
    } else {
      size_t width = c->kind == CSV_KIND_DATE32 ? 4 : 8;
      mix(s, c->values, width * (size_t)n_rows);
    }
  }
  s->rows += n_rows;
  return 0;
}

/* The options that `flags` encodes (see fuzz_csv.h). */
static void options_from_flags(uint8_t flags, csv_options *opt) {
  static const uint8_t kDelimiters[] = {',', '\t', ';', '|'};
  static const int kQuotes[] = {'"', '\'', CSV_NO_CHAR, '"'};
  static const size_t kInferRows[] = {1000, 1, 0, 2};
  static const csv_bytes kNullTokens[] = {
      {(const uint8_t *)"", 0}, {(const uint8_t *)"NA", 2}, {(const uint8_t *)"null", 4}};
  memset(opt, 0, sizeof *opt);
  opt->dialect.delimiter = kDelimiters[flags & 3];
  opt->dialect.quote = kQuotes[(flags >> 2) & 3];
  opt->dialect.escape = ((flags >> 4) & 1) && opt->dialect.quote != CSV_NO_CHAR
                            ? '\\'
                            : opt->dialect.quote;
  opt->header = !((flags >> 5) & 1);
  opt->skip_bad_rows = (flags >> 6) & 1;
  opt->infer_rows = kInferRows[((flags >> 7) & 1) * 2 + ((flags >> 2) & 1)];
  opt->batch_size_rows = (flags & 0x80) ? 3 : 65536;
  opt->null_tokens = kNullTokens;
  opt->n_null_tokens = 3;
}

/* Feeds data[0..size_bytes) cut at the ascending offsets `cuts`, then ends the table. */
static int feed_chunks(csv_table *table, const uint8_t *data, size_t size_bytes,
                       const size_t *cuts, size_t n_cuts) {
  size_t from = 0;
  for (size_t i = 0; i <= n_cuts; i++) {
    size_t to = i < n_cuts ? cuts[i] : size_bytes;
    check(from <= to && to <= size_bytes, "cuts ascend within the input");
    /* Each chunk in its own exact-size block, freed right after the call: AddressSanitizer
     * then catches a read past the chunk or a pointer kept into it. */
    uint8_t *chunk = malloc(to - from ? to - from : 1);
    check(chunk != NULL, "memory for a chunk");
    memcpy(chunk, data + from, to - from);
    int rc = csv_table_feed(table, chunk, to - from);
    free(chunk);
    if (rc) return rc;
    from = to;
  }
  return csv_table_end(table);
}

int csv_fuzz_run_chunks(const uint8_t *data, size_t size_bytes, uint8_t flags,
                        const size_t *cuts, size_t n_cuts, char *summary,
                        size_t summary_size_bytes) {
  csv_options opt;
  options_from_flags(flags, &opt);
  fuzz_sink_state *state = calloc(1, sizeof *state);
  if (!state) return -1;
  state->digest = 0xcbf29ce484222325ull;
  csv_sink sink = {state, fuzz_begin, fuzz_batch};
  csv_result res;
  csv_table *table = NULL;
  int rc = csv_table_open(&opt, &sink, &res, &table);
  if (!rc) rc = feed_chunks(table, data, size_bytes, cuts, n_cuts);
  csv_table_free(table);
  for (int i = 0; i < res.n_kept_messages; i++) {
    mix(state, res.kept_messages[i], strlen(res.kept_messages[i]));
  }
  if (rc == 0) {
    check(res.n_rows == state->rows, "row count");
    snprintf(summary, summary_size_bytes,
             "ok rows=%lld columns=%lld skipped=%lld replaced=%lld digest=%016llx",
             (long long)res.n_rows, (long long)res.n_columns, (long long)res.n_skipped_rows,
             (long long)res.n_replaced_text_fields, (unsigned long long)state->digest);
  } else {
    check(res.error[0] != '\0', "an error has a message");
    snprintf(summary, summary_size_bytes, "error %d: %s (after %lld rows, digest=%016llx)", rc,
             res.error, (long long)state->rows, (unsigned long long)state->digest);
  }
  free(state);
  return rc;
}

int csv_fuzz_run(const uint8_t *data, size_t size_bytes, uint8_t flags, char *summary,
                 size_t summary_size_bytes) {
  return csv_fuzz_run_chunks(data, size_bytes, flags, NULL, 0, summary, summary_size_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  char whole[1024], chunked[1024];
  csv_fuzz_run(data + 1, size - 1, data[0], whole, sizeof whole);
  /* Cuts from the input's own bytes: chunk sizes 1..16, so cuts fall everywhere. */
  size_t cuts[4096], n_cuts = 0;
  for (size_t at = 0, i = 1; i < size && n_cuts < 4096; i++) {
    at += 1 + (data[i] & 15);
    if (at >= size - 1) break;
    cuts[n_cuts++] = at;
  }
  csv_fuzz_run_chunks(data + 1, size - 1, data[0], cuts, n_cuts, chunked, sizeof chunked);
  check(strcmp(whole, chunked) == 0, "chunked parse equals whole parse");
  return 0;
}
