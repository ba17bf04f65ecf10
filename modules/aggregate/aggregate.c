/*
 * aggregate — groups the rows of input `in` by zero or more key columns and writes one row
 * per group to `out`: the key columns, then one column per requested aggregate.
 *
 * Params (see aggregate.json):
 *   {"groupBy": ["origin"], "aggregates": [{"name": "n", "op": "count"},
 *                                           {"name": "avg_delay", "op": "mean", "column": "delay"}]}
 *
 * Groups are numbered in order of their first row (groups.c), and the output lists them in
 * that order. The aggregates' semantics are in ops.c. The whole input is read first (the step
 * is not streamable); the output is one record batch (none when there are keys and no rows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/column_concat.h"
#include "groups.h"
#include "ops.h"
#include "quiver.h"

/** Module id: the prefix of every error message. */
#define MODULE "aggregate"

/** Returns array member `key` of `params`, or NULL when it is absent. */
static const qv_json *optional_array(const qv_json *params, const char *key) {
  const qv_json *value = qv_json_get(params, key);
  if (value == NULL || value->kind == QV_JSON_NULL) return NULL;
  if (value->kind != QV_JSON_ARRAY)
    qv_fail("aggregate: parameter '%s' must be an array, found %s", key,
            qv_json_kind_name(value->kind));
  return value;
}

/** The parsed parameters. Strings are borrowed from the JSON tree. */
typedef struct agg_params {
  int n_keys;
  int64_t *key_columns;
  const char **key_names;
  int n_aggs;
  agg_spec *aggs;
} agg_params;

static void read_params(const qv_json *params, const qv_schema *schema, agg_params *p) {
  static const char *const top[] = {"groupBy", "aggregates"};
  static const char *const members[] = {"name", "op", "column"};
  qv_error err;
  if (params->kind != QV_JSON_OBJECT) qv_fail("aggregate: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 2);
  const qv_json *group_by = optional_array(params, "groupBy");
  const qv_json *aggregates = optional_array(params, "aggregates");
  p->n_keys = group_by ? (int)group_by->n_children : 0;
  p->n_aggs = aggregates ? (int)aggregates->n_children : 0;
  if (p->n_keys == 0 && p->n_aggs == 0)
    qv_fail("aggregate: nothing to compute: give 'groupBy' columns, 'aggregates', or both");
  p->key_columns = qv_calloc_or_fail(MODULE, (size_t)p->n_keys, sizeof *p->key_columns);
  p->key_names = qv_calloc_or_fail(MODULE, (size_t)p->n_keys, sizeof *p->key_names);
  for (int k = 0; k < p->n_keys; k++) {
    const qv_json *key = &group_by->children[k];
    char where[64];
    snprintf(where, sizeof where, "groupBy[%d]", k);
    if (key->kind != QV_JSON_STRING) qv_fail("aggregate: parameter %s must be a string", where);
    p->key_columns[k] = qv_require_column(schema, MODULE, where, key->string_value);
    p->key_names[k] = key->string_value;
  }
  p->aggs = qv_calloc_or_fail(MODULE, (size_t)p->n_aggs, sizeof *p->aggs);
  for (int a = 0; a < p->n_aggs; a++) {
    const qv_json *agg = &aggregates->children[a];
    agg_spec *spec = &p->aggs[a];
    char where[64];
    snprintf(where, sizeof where, "aggregates[%d]", a);
    if (agg->kind != QV_JSON_OBJECT) qv_fail("aggregate: parameter %s must be an object", where);
    qv_require_members(agg, MODULE, where, members, 3);
    const char *op, *column;
    if (qv_json_get_string(agg, "name", &spec->name, &err) != QV_OK ||
        qv_json_get_string(agg, "op", &op, &err) != QV_OK ||
        qv_json_get_string_or(agg, "column", NULL, &column, &err) != QV_OK)
      qv_fail("aggregate: %s: %s", where, err.message);
    spec->index = a;
    spec->op = AGG_OP_COUNT_;
    for (int o = 0; o < AGG_OP_COUNT_; o++)
      if (strcmp(op, AGG_OP_NAMES[o]) == 0) spec->op = (agg_op)o;
    if (spec->op == AGG_OP_COUNT_)
      qv_fail("aggregate: parameter %s.op: unknown operation \"%s\" (count, count_distinct, "
              "sum, mean, min, max, first, last)",
              where, op);
    spec->column = -1;
    spec->column_name = column;
    if (column == NULL && spec->op != AGG_COUNT)
      qv_fail("aggregate: parameter %s (\"%s\"): %s needs a 'column'", where, spec->name, op);
    if (column != NULL) {
      char at[80];
      snprintf(at, sizeof at, "%s.column", where);
      spec->column = qv_require_column(schema, MODULE, at, column);
    }
  }
}

/** Fails if two output columns would share a name. */
static void check_output_names(const qv_schema *out) {
  for (int64_t i = 0; i < out->n_fields; i++)
    for (int64_t j = 0; j < i; j++)
      if (strcmp(out->fields[i].name, out->fields[j].name) == 0)
        qv_fail("aggregate: two output columns are named \"%s\" (group keys keep their names; "
                "give the aggregate another 'name')",
                out->fields[i].name);
}

int main(void) {
  qv_error err;
  qv_json *json;
  qv_reader *reader;
  if (qv_read_params(&json, &err) != QV_OK) qv_fail("aggregate: %s", err.message);
  if (qv_read_input("in", &reader, &err) != QV_OK)
    qv_fail("aggregate: input 'in': %s", err.message);
  const qv_schema *schema = qv_reader_schema(reader);
  agg_params p;
  read_params(json, schema, &p);

  /* Concatenate only the columns the parameters use (column_concat.h); the others stay
   * empty. Shared dictionaries are borrowed from the reader, which stays open to the end. */
  int64_t n_batches;
  qv_batch *batches = cc_read_batches(reader, &n_batches, "aggregate");
  int64_t n_rows = 0;
  for (int64_t b = 0; b < n_batches; b++) n_rows += batches[b].n_rows;
  if (n_rows > (int64_t)UINT32_MAX - 1) qv_fail("aggregate: more than 2^32 - 2 rows");
  qv_batch all;
  if (qv_batch_init(&all, schema->n_fields, n_rows, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  cc_column *columns = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *columns);
  bool *used = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *used);
  for (int k = 0; k < p.n_keys; k++) used[p.key_columns[k]] = true;
  for (int a = 0; a < p.n_aggs; a++)
    if (p.aggs[a].column >= 0) used[p.aggs[a].column] = true;
  for (int64_t c = 0; c < schema->n_fields; c++) {
    if (!used[c]) continue;
    cc_concat(batches, n_batches, c, &schema->fields[c].type, &columns[c]);
    all.columns[c] = columns[c].column; /* a borrowed view: `columns` owns the buffers */
  }

  /* Output schema: keys as they are after concatenation (dictionaries may have been decoded
   * when batches did not share one), then the aggregates' result types. */
  qv_schema out;
  if (qv_schema_init(&out, p.n_keys + p.n_aggs, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  for (int k = 0; k < p.n_keys; k++) {
    const qv_field *f = &schema->fields[p.key_columns[k]];
    if (qv_schema_set_field(&out, k, f->name, all.columns[p.key_columns[k]].type, true, &err) !=
        QV_OK)
      qv_fail("aggregate: %s", err.message);
  }
  for (int a = 0; a < p.n_aggs; a++) {
    const agg_spec *spec = &p.aggs[a];
    qv_type type = qv_type_make(QV_TYPE_INT64);
    if (spec->column >= 0) {
      qv_field field = schema->fields[spec->column];
      field.type = all.columns[spec->column].type;
      type = agg_output_type(spec, &field);
    }
    bool nullable = spec->op != AGG_COUNT && spec->op != AGG_COUNT_DISTINCT;
    if (qv_schema_set_field(&out, p.n_keys + a, spec->name, type, nullable, &err) != QV_OK)
      qv_fail("aggregate: %s", err.message);
  }
  check_output_names(&out);

  uint32_t *gid = qv_calloc_or_fail(MODULE, (size_t)all.n_rows, sizeof *gid);
  int64_t *first_row;
  int64_t n_groups = group_rows(&all, p.key_columns, p.n_keys, gid, &first_row);
  agg_groups groups = {gid, all.n_rows, n_groups, first_row};

  qv_batch result;
  if (qv_batch_init(&result, out.n_fields, n_groups, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  for (int k = 0; k < p.n_keys; k++) {
    if (qv_column_take(&all.columns[p.key_columns[k]], first_row, n_groups, &result.columns[k],
                       &err) != QV_OK)
      qv_fail("aggregate: key \"%s\": %s", p.key_names[k], err.message);
  }
  for (int a = 0; a < p.n_aggs; a++) agg_compute(&all, &p.aggs[a], &groups, &result.columns[p.n_keys + a]);

  qv_writer *writer;
  if (qv_write_output("out", &out, &writer, &err) != QV_OK)
    qv_fail("aggregate: output 'out': %s", err.message);
  if (n_groups > 0 && qv_writer_write(writer, &result, &err) != QV_OK)
    qv_fail("aggregate: output 'out': %s", err.message);
  if (qv_writer_close(writer, &err) != QV_OK) qv_fail("aggregate: output 'out': %s", err.message);

  qv_batch_release(&result);
  free(gid);
  free(first_row);
  free(p.key_columns);
  free(p.key_names);
  free(p.aggs);
  qv_schema_release(&out);
  qv_batch_release(&all);
  for (int64_t c = 0; c < schema->n_fields; c++) cc_column_free(&columns[c]);
  free(columns);
  free(used);
  for (int64_t b = 0; b < n_batches; b++) qv_batch_release(&batches[b]);
  free(batches);
  qv_reader_close(reader);
  qv_json_free(json);
  return 0;
}
