/*
 * sort — orders the rows of input `in` by one or more key columns and writes them to `out`.
 *
 * Params (see sort.json): {"keys": [{"column": "x", "descending": false, "nulls": "last"}]}.
 *
 * The sort is stable: rows equal on every key keep their input order. Value order is the one
 * of column_keys.h (bytewise strings, NaN after +inf, dictionaries by value). Nulls go first
 * or last as asked, whatever the direction.
 *
 * Algorithm: the whole input is read and concatenated (column_concat.h), each key becomes a
 * per-row uint64 "normalised key" whose unsigned order is the key's order (numbers and
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

/** Writes rows `perm[0..n)` of `all` to `writer` in batches of SORT_OUTPUT_BATCH_ROWS. */
static void write_sorted(qv_writer *writer, const qv_batch *all, const uint32_t *perm,
                         int64_t n) {
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
    if (qv_writer_write(writer, &out, &err) != QV_OK) qv_fail("sort: %s", err.message);
    qv_batch_release(&out);
    for (int64_t c = 0; c < all->n_columns; c++) cc_column_free(&gathered[c]);
  }
  free(gathered);
}

int main(void) {
  qv_error err;
  qv_json *params;
  qv_reader *reader;
  if (qv_read_params(&params, &err) != QV_OK) qv_fail("sort: %s", err.message);
  if (qv_read_input("in", &reader, &err) != QV_OK) qv_fail("sort: input 'in': %s", err.message);
  const qv_schema *schema = qv_reader_schema(reader);
  sort_key *keys;
  int n_keys = read_keys(params, schema, &keys);

  /* Concatenate the batches (bulk copies; dictionaries shared by every batch stay encoded
   * and borrowed from the reader, which therefore stays open until the output is written). */
  int64_t n_batches;
  qv_batch *batches = cc_read_batches(reader, &n_batches, "sort");
  cc_column *columns = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *columns);
  qv_batch all;
  int64_t n_rows = 0;
  for (int64_t b = 0; b < n_batches; b++) n_rows += batches[b].n_rows;
  if (n_rows > (int64_t)UINT32_MAX) qv_fail("sort: more than 2^32 - 1 rows");
  if (qv_batch_init(&all, schema->n_fields, n_rows, &err) != QV_OK)
    qv_fail("sort: %s", err.message);
  for (int64_t c = 0; c < schema->n_fields; c++) {
    cc_concat(batches, n_batches, c, &schema->fields[c].type, &columns[c]);
    all.columns[c] = columns[c].column; /* a borrowed view: `columns` owns the buffers */
  }

  /* Dictionaries that differ between batches were decoded: describe columns as they are. */
  qv_schema out_schema;
  if (qv_schema_copy(schema, &out_schema, &err) != QV_OK) qv_fail("sort: %s", err.message);
  for (int64_t c = 0; c < all.n_columns; c++) out_schema.fields[c].type = all.columns[c].type;

  uint32_t *perm = qv_calloc_or_fail(MODULE, (size_t)all.n_rows, sizeof *perm);
  sort_permutation(&all, keys, n_keys, perm);

  qv_writer *writer;
  if (qv_write_output("out", &out_schema, &writer, &err) != QV_OK)
    qv_fail("sort: output 'out': %s", err.message);
  write_sorted(writer, &all, perm, all.n_rows);
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("sort: output 'out': %s", err.message);

  free(perm);
  free(keys);
  qv_schema_release(&out_schema);
  qv_batch_release(&all);
  for (int64_t c = 0; c < schema->n_fields; c++) cc_column_free(&columns[c]);
  free(columns);
  for (int64_t b = 0; b < n_batches; b++) qv_batch_release(&batches[b]);
  free(batches);
  qv_reader_close(reader);
  qv_json_free(params);
  return 0;
}
