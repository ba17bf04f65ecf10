/*
 * sort — orders the rows of input `in` by one or more key columns and writes them to `out`.
 *
 * Params (see sort.json): {"keys": [{"column": "x", "descending": false, "nulls": "last"}]}.
 *
 * The sort is stable: rows equal on every key keep their input order. Value order is the one
 * of column_keys.h (bytewise strings, NaN after +inf, dictionaries by value). Nulls go first
 * or last as asked, whatever the direction.
 *
 * Algorithm: the step holds its input (`.holds_input`, manifest `"holdsInput": true`: the SDK
 * keeps every record batch until `finish`). At `finish` the held batches are concatenated
 * (column_concat.h, bulk copies: for a while the input is in memory twice), each key becomes
 * a per-row uint64 "normalised key" whose unsigned order is the key's order (numbers and
 * temporal values mapped bitwise; strings replaced by the rank of their value among the
 * column's distinct values, found by hashing and sorting only the distinct values;
 * dictionary columns by ranking their dictionary), and a permutation of row numbers is
 * sorted by LSD radix sort, key by key from the last to the first (each pass stable, so the
 * composite order is lexicographic), skipping 11-bit digits that are the same in every row.
 * Nulls are moved to the front or the back of each key's pass, stably.
 * The output keeps the input's column types (dictionary columns stay encoded) and is written
 * in record batches of at most SORT_OUTPUT_BATCH_ROWS rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/column_concat.h"
#include "../common/column_keys.h"
#include "quiver.h"

/** Module id: the prefix of every error message. */
#define MODULE "sort"
#include "sort_perm.h"

/** Rows per output record batch. */
#define SORT_OUTPUT_BATCH_ROWS 65536

/** Reads and checks the `keys` parameter against the input schema. */
static int read_keys(const qv_json *params, const qv_schema *schema, sort_key **out_keys) {
  static const char *const top[] = {"keys"};
  static const char *const members[] = {"column", "descending", "nulls"};
  qv_error err;
  const qv_json *keys;
  if (params->kind != QV_JSON_OBJECT) qv_fail("sort: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 1);
  if (qv_json_get_array(params, "keys", &keys, &err) != QV_OK) qv_fail("sort: %s", err.message);
  if (keys->n_children == 0) qv_fail("sort: parameter 'keys' needs at least one key");
  sort_key *out = qv_calloc_or_fail(MODULE, (size_t)keys->n_children, sizeof *out);
  for (int64_t k = 0; k < keys->n_children; k++) {
    const qv_json *key = &keys->children[k];
    char where[64];
    snprintf(where, sizeof where, "keys[%lld]", (long long)k);
    if (key->kind != QV_JSON_OBJECT) qv_fail("sort: parameter %s must be an object", where);
    qv_require_members(key, MODULE, where, members, 3);
    const char *column, *nulls;
    bool descending;
    if (qv_json_get_string(key, "column", &column, &err) != QV_OK ||
        qv_json_get_bool_or(key, "descending", false, &descending, &err) != QV_OK ||
        qv_json_get_string_or(key, "nulls", "last", &nulls, &err) != QV_OK)
      qv_fail("sort: %s: %s", where, err.message);
    int64_t index = qv_schema_find(schema, column);
    if (index < 0) {
      char list[512];
      qv_fail("sort: parameter %s.column: no column \"%s\" in the input (columns: %s)", where,
              column, qv_schema_describe_columns(schema, list, sizeof list));
    }
    if (strcmp(nulls, "first") != 0 && strcmp(nulls, "last") != 0)
      qv_fail("sort: parameter %s.nulls must be \"first\" or \"last\", found \"%s\"", where,
              nulls);
    out[k].column = index;
    out[k].descending = descending;
    out[k].nulls_first = strcmp(nulls, "first") == 0;
  }
  *out_keys = out;
  return (int)keys->n_children;
}

/** Writes rows `perm[0..n)` of `all` to output 0 in batches of SORT_OUTPUT_BATCH_ROWS. */
static void write_sorted(qv_step *step, const qv_batch *all, const uint32_t *perm, int64_t n) {
  qv_error err;
  cc_column *gathered = qv_calloc_or_fail(MODULE, (size_t)all->n_columns, sizeof *gathered);
  for (int64_t start = 0; start < n; start += SORT_OUTPUT_BATCH_ROWS) {
    int64_t rows = n - start < SORT_OUTPUT_BATCH_ROWS ? n - start : SORT_OUTPUT_BATCH_ROWS;
    qv_batch out;
    if (qv_batch_init(&out, all->n_columns, rows, &err) != QV_OK) qv_fail("sort: %s", err.message);
    for (int64_t c = 0; c < all->n_columns; c++) {
      cc_gather(&all->columns[c], perm + start, rows, &gathered[c]);
      out.columns[c] = gathered[c].column; /* borrowed view */
    }
    if (qv_step_write(step, 0, &out, &err) != QV_OK) qv_fail("sort: %s", err.message);
    qv_batch_release(&out);
    for (int64_t c = 0; c < all->n_columns; c++) cc_column_free(&gathered[c]);
  }
  free(gathered);
}

/** One sort: its keys, the held input batches (shallow copies of batches the SDK keeps valid
 * until `finish` returns: `.holds_input`), and what the sort builds from them. */
typedef struct sort_run {
  const qv_schema *schema; /* the input's, borrowed */
  sort_key *keys;
  int n_keys;
  qv_batch *batches;
  int64_t n_batches, capacity_batches;
  cc_column *columns; /* the concatenated columns */
  qv_batch all;       /* views of `columns` */
  qv_schema out_schema;
  uint32_t *perm;
} sort_run;

static void run_begin(sort_run *run, const qv_json *params, const qv_schema *schema) {
  memset(run, 0, sizeof *run);
  run->schema = schema;
  run->n_keys = read_keys(params, schema, &run->keys);
}

/** Holds a batch (a shallow copy); its buffers must stay valid until run_free. */
static void run_hold(sort_run *run, const qv_batch *batch) {
  if (run->n_batches == run->capacity_batches) {
    int64_t cap = run->capacity_batches ? run->capacity_batches * 2 : 16;
    qv_batch *grown = realloc(run->batches, (size_t)cap * sizeof *grown);
    if (grown == NULL) qv_fail("sort: out of memory (%lld batches)", (long long)cap);
    run->batches = grown;
    run->capacity_batches = cap;
  }
  run->batches[run->n_batches++] = *batch; /* the SDK keeps the buffers */
}

/** Concatenates the held batches and sorts them: fills `all`, `out_schema` and `perm`. */
static void run_sort(sort_run *run) {
  qv_error err;
  const qv_schema *schema = run->schema;
  int64_t n_rows = 0;
  for (int64_t b = 0; b < run->n_batches; b++) n_rows += run->batches[b].n_rows;
  if (n_rows > (int64_t)UINT32_MAX) qv_fail("sort: more than 2^32 - 1 rows");
  run->columns = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *run->columns);
  if (qv_batch_init(&run->all, schema->n_fields, n_rows, &err) != QV_OK)
    qv_fail("sort: %s", err.message);
  /* Dictionaries shared by every batch stay encoded and borrowed from the held batches. */
  for (int64_t c = 0; c < schema->n_fields; c++) {
    cc_concat(run->batches, run->n_batches, c, &schema->fields[c].type, &run->columns[c]);
    run->all.columns[c] = run->columns[c].column; /* a borrowed view: `columns` owns it */
  }
  /* Dictionaries that differ between batches were decoded: describe columns as they are. */
  if (qv_schema_copy(schema, &run->out_schema, &err) != QV_OK) qv_fail("sort: %s", err.message);
  for (int64_t c = 0; c < run->all.n_columns; c++)
    run->out_schema.fields[c].type = run->all.columns[c].type;
  run->perm = qv_calloc_or_fail(MODULE, (size_t)run->all.n_rows, sizeof *run->perm);
  sort_permutation(&run->all, run->keys, run->n_keys, run->perm);
}

/** Frees what the run built (not the held batches: the SDK releases them after `finish`). */
static void run_free(sort_run *run) {
  free(run->perm);
  free(run->keys);
  qv_schema_release(&run->out_schema);
  qv_batch_release(&run->all);
  for (int64_t c = 0; run->columns != NULL && c < run->schema->n_fields; c++)
    cc_column_free(&run->columns[c]);
  free(run->columns);
  free(run->batches);
}

/** The one run of this instance (one instance runs one step). */
static sort_run run;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)err;
  run_begin(&run, params, qv_step_input_schema(step, 0));
  return QV_OK;
}

/** Holds a batch: with `.holds_input` the SDK keeps it valid until `finish` returns. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)step, (void)port, (void)err;
  run_hold(&run, in);
  return QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  run_sort(&run);
  int rc = qv_step_open_output(step, 0, &run.out_schema, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "sort: output 'out': %s", err->message);
  write_sorted(step, &run.all, run.perm, run.all.n_rows);
  run_free(&run);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "sort", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .holds_input = true, .begin = begin, .batch = batch, .finish = finish)
