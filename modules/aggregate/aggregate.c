/*
 * aggregate — groups the rows of input `in` by zero or more key columns and writes one row
 * per group to `out`: the key columns, then one column per requested aggregate.
 *
 * Params (see aggregate.json):
 *   {"groupBy": ["origin"], "aggregates": [{"name": "n", "op": "count"},
 *                                           {"name": "avg_delay", "op": "mean", "column": "delay"}]}
 *
 * `mode` (default "complete") splits the step for a distributed engine (ABI.md §13): "partial"
 * aggregates one part of the input into partial states (a mean as its sum and `<name>.count`),
 * "final" merges partial rows, grouped by the same keys, into what "complete" gives.
 *
 * Groups are numbered in order of their first row (groups.c), and the output lists them in
 * that order. The aggregates' semantics are in ops.c. The input is consumed one record batch
 * at a time: each batch updates the group table (which copies each group's key values) and
 * every aggregate's running state, and is then dropped, so memory grows with the number of
 * groups (and, for count_distinct, of distinct values), never with the input. The step is
 * not streamable (its output needs the whole input); the output is one record batch, written
 * at the end (none when there are keys and no rows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/** How the step aggregates (params.mode, see ABI.md §13): the whole input at once, one part
 * of it into partial states, or partial states into the final result. */
typedef enum agg_mode { MODE_COMPLETE, MODE_PARTIAL, MODE_FINAL } agg_mode;

/** The parsed parameters. Strings are borrowed from the JSON tree, except the `<name>.count`
 * names of partial means, owned here (`count_names`). `aggs` are the output columns after
 * the keys: one per aggregate, two for a partial mean. */
typedef struct agg_params {
  agg_mode mode;
  int n_keys;
  int64_t *key_columns;
  const char **key_names;
  int n_aggs;
  agg_spec *aggs;
  char **count_names;
  int n_count_names;
} agg_params;

static agg_mode read_mode(const qv_json *params) {
  qv_error err;
  const char *mode;
  if (qv_json_get_string_or(params, "mode", "complete", &mode, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  if (strcmp(mode, "complete") == 0) return MODE_COMPLETE;
  if (strcmp(mode, "partial") == 0) return MODE_PARTIAL;
  if (strcmp(mode, "final") == 0) return MODE_FINAL;
  qv_fail("aggregate: parameter 'mode': unknown mode \"%s\" (complete, partial, final)", mode);
}

/** Appends the output column `<name>.count` of a partial mean: count(column). */
static void add_partial_count(agg_params *p, const agg_spec *mean) {
  size_t size = strlen(mean->name) + sizeof ".count";
  char *name = qv_calloc_or_fail(MODULE, size, 1);
  snprintf(name, size, "%s.count", mean->name);
  p->count_names[p->n_count_names++] = name;
  agg_spec *count = &p->aggs[p->n_aggs++];
  *count = *mean;
  count->name = name;
  count->op = AGG_COUNT;
  count->non_null = true;
}

/**
 * Turns aggregate `spec` (as written in the params) into the output column(s) of the mode:
 * partial keeps it (a mean becomes its sum and its `<name>.count`); final reads the partial
 * column named like the aggregate (count becomes a sum of counts, a mean divides the summed
 * sums by the summed counts). count_distinct has no partial state.
 */
static void add_spec(agg_params *p, const qv_schema *schema, agg_spec spec, const char *where) {
  bool counting = spec.op == AGG_COUNT || spec.op == AGG_COUNT_DISTINCT;
  spec.non_null = counting;
  spec.count_column = -1;
  if (p->mode != MODE_COMPLETE && spec.op == AGG_COUNT_DISTINCT)
    qv_fail("aggregate: parameter %s (\"%s\"): count_distinct has no %s mode; run the step "
            "in one piece",
            where, spec.name, p->mode == MODE_PARTIAL ? "partial" : "final");
  if (p->mode == MODE_FINAL) {
    char at[96];
    snprintf(at, sizeof at, "%s (partial column)", where);
    spec.column_name = spec.name;
    spec.column = qv_require_column(schema, MODULE, at, spec.name);
    if (spec.op == AGG_COUNT) spec.op = AGG_SUM;
    if (spec.op == AGG_MEAN) {
      char count_name[256];
      snprintf(count_name, sizeof count_name, "%s.count", spec.name);
      spec.count_column = qv_require_column(schema, MODULE, at, count_name);
    }
  } else if (spec.column_name != NULL) {
    char at[80];
    snprintf(at, sizeof at, "%s.column", where);
    spec.column = qv_require_column(schema, MODULE, at, spec.column_name);
  }
  bool partial_mean = p->mode == MODE_PARTIAL && spec.op == AGG_MEAN;
  if (partial_mean) spec.op = AGG_SUM;
  p->aggs[p->n_aggs++] = spec;
  if (partial_mean) add_partial_count(p, &p->aggs[p->n_aggs - 1]);
}

static void read_params(const qv_json *params, const qv_schema *schema, agg_params *p) {
  static const char *const top[] = {"groupBy", "aggregates", "mode"};
  static const char *const members[] = {"name", "op", "column"};
  qv_error err;
  if (params->kind != QV_JSON_OBJECT) qv_fail("aggregate: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 3);
  p->mode = read_mode(params);
  const qv_json *group_by = optional_array(params, "groupBy");
  const qv_json *aggregates = optional_array(params, "aggregates");
  p->n_keys = group_by ? (int)group_by->n_children : 0;
  int n_given = aggregates ? (int)aggregates->n_children : 0;
  if (p->n_keys == 0 && n_given == 0)
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
  /* A partial mean takes two output columns. */
  p->aggs = qv_calloc_or_fail(MODULE, (size_t)n_given * 2, sizeof *p->aggs);
  p->count_names = qv_calloc_or_fail(MODULE, (size_t)n_given, sizeof *p->count_names);
  p->n_aggs = 0;
  for (int a = 0; a < n_given; a++) {
    const qv_json *agg = &aggregates->children[a];
    agg_spec spec = {0};
    char where[64];
    snprintf(where, sizeof where, "aggregates[%d]", a);
    if (agg->kind != QV_JSON_OBJECT) qv_fail("aggregate: parameter %s must be an object", where);
    qv_require_members(agg, MODULE, where, members, 3);
    const char *op, *column;
    if (qv_json_get_string(agg, "name", &spec.name, &err) != QV_OK ||
        qv_json_get_string(agg, "op", &op, &err) != QV_OK ||
        qv_json_get_string_or(agg, "column", NULL, &column, &err) != QV_OK)
      qv_fail("aggregate: %s: %s", where, err.message);
    spec.index = a;
    spec.op = AGG_OP_COUNT_;
    for (int o = 0; o < AGG_OP_COUNT_; o++)
      if (strcmp(op, AGG_OP_NAMES[o]) == 0) spec.op = (agg_op)o;
    if (spec.op == AGG_OP_COUNT_)
      qv_fail("aggregate: parameter %s.op: unknown operation \"%s\" (count, count_distinct, "
              "sum, mean, min, max, first, last)",
              where, op);
    spec.column = -1;
    spec.column_name = column;
    if (column == NULL && spec.op != AGG_COUNT)
      qv_fail("aggregate: parameter %s (\"%s\"): %s needs a 'column'", where, spec.name, op);
    add_spec(p, schema, spec, where);
  }
}

/** Fails if two output columns would share a name (group keys, then aggregates). */
static void check_output_names(const agg_params *p, const qv_schema *schema) {
  int n = p->n_keys + p->n_aggs;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++) {
      const char *a = i < p->n_keys ? schema->fields[p->key_columns[i]].name
                                    : p->aggs[i - p->n_keys].name;
      const char *b = j < p->n_keys ? schema->fields[p->key_columns[j]].name
                                    : p->aggs[j - p->n_keys].name;
      if (strcmp(a, b) == 0)
        qv_fail("aggregate: two output columns are named \"%s\" (group keys keep their names; "
                "give the aggregate another 'name')",
                a);
    }
}

/** The whole state of one run: parameters, groups, running aggregates. */
typedef struct agg_run {
  const qv_schema *schema; /* the input's, borrowed */
  agg_params p;
  group_table groups;
  agg_state *states; /* per aggregate */
  /** Per input column: dictionary tracking (initialised for used dictionary columns). */
  agg_dict *dicts;
  bool *tracked;
  uint32_t *gid; /* scratch: the current batch's group numbers */
  int64_t gid_capacity;
  uint32_t n_batches;
  int64_t n_rows; /* input rows so far */
} agg_run;

/** Reads and checks the parameters against the input schema and prepares the state. */
static void run_begin(agg_run *run, const qv_json *params, const qv_schema *schema) {
  memset(run, 0, sizeof *run);
  run->schema = schema;
  agg_params *p = &run->p;
  read_params(params, schema, p);
  for (int a = 0; a < p->n_aggs; a++)
    if (p->aggs[a].column >= 0) (void)agg_output_type(&p->aggs[a], &schema->fields[p->aggs[a].column]);
  check_output_names(p, schema);
  int64_t n_fields = schema->n_fields;
  run->dicts = qv_calloc_or_fail(MODULE, (size_t)n_fields, sizeof *run->dicts);
  run->tracked = qv_calloc_or_fail(MODULE, (size_t)n_fields, sizeof *run->tracked);
  for (int64_t c = 0; c < n_fields; c++) {
    bool used = false;
    for (int k = 0; k < p->n_keys; k++) used = used || p->key_columns[k] == c;
    for (int a = 0; a < p->n_aggs; a++) used = used || p->aggs[a].column == c;
    if (used && schema->fields[c].type.dictionary) {
      agg_dict_init(&run->dicts[c], &schema->fields[c].type);
      run->tracked[c] = true;
    }
  }
  groups_init(&run->groups, schema, p->key_columns, p->n_keys);
  run->states = qv_calloc_or_fail(MODULE, (size_t)p->n_aggs, sizeof *run->states);
  for (int a = 0; a < p->n_aggs; a++) {
    const agg_spec *spec = &p->aggs[a];
    agg_state_init(&run->states[a], spec, spec->column >= 0 ? &schema->fields[spec->column] : NULL);
  }
}

/** Folds one record batch (borrowed, only during the call) into the groups and aggregates. */
static void run_batch(agg_run *run, const qv_batch *batch) {
  bool same_key_dictionary = true;
  for (int64_t c = 0; c < run->schema->n_fields; c++) {
    if (!run->tracked[c]) continue;
    bool same = agg_dict_update(&run->dicts[c], &batch->columns[c]);
    if (run->p.n_keys == 1 && run->p.key_columns[0] == c) same_key_dictionary = same;
  }
  if (batch->n_rows > run->gid_capacity) {
    run->gid = agg_grow(run->gid, 0, batch->n_rows, sizeof *run->gid);
    run->gid_capacity = batch->n_rows;
  }
  groups_add_batch(&run->groups, batch, same_key_dictionary, run->gid);
  for (int a = 0; a < run->p.n_aggs; a++)
    agg_update(&run->states[a], batch, run->gid, run->groups.n_groups, run->n_batches);
  run->n_batches++;
  run->n_rows += batch->n_rows;
}

/** Sets output field `i` of `out` to `name`, the type of `column`, and `nullable`. */
static void set_field(qv_schema *out, int64_t i, const char *name, const qv_column *column,
                      bool nullable) {
  qv_error err;
  if (qv_schema_set_field(out, i, name, column->type, nullable, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
}

/**
 * Builds the result: `*out` (owned by the caller: qv_schema_release) describes the columns
 * as they come out (a dictionary key stays encoded only if every batch had the same
 * dictionary), and `*result` (qv_batch_release) holds one row per group; its columns borrow
 * from `run`, so write it before run_free.
 */
static void run_finish(agg_run *run, qv_schema *out, qv_batch *result) {
  qv_error err;
  const agg_params *p = &run->p;
  int64_t n_groups = run->groups.n_groups;
  if (qv_schema_init(out, p->n_keys + p->n_aggs, &err) != QV_OK ||
      qv_batch_init(result, p->n_keys + p->n_aggs, n_groups, &err) != QV_OK)
    qv_fail("aggregate: %s", err.message);
  for (int k = 0; k < p->n_keys; k++) {
    int64_t c = p->key_columns[k];
    agg_store *keys = &run->groups.keys[k];
    store_resize(keys, n_groups);
    store_output(keys, run->tracked[c] ? &run->dicts[c] : NULL, &result->columns[k]);
    set_field(out, k, run->schema->fields[c].name, &result->columns[k], true);
  }
  for (int a = 0; a < p->n_aggs; a++) {
    const agg_spec *spec = &p->aggs[a];
    const agg_dict *dict = spec->column >= 0 && run->tracked[spec->column] ? &run->dicts[spec->column] : NULL;
    qv_column *col = &result->columns[p->n_keys + a];
    agg_output(&run->states[a], n_groups, dict, col);
    set_field(out, p->n_keys + a, spec->name, col, !spec->non_null);
  }
}

/** Frees everything `run` owns. */
static void run_free(agg_run *run) {
  for (int a = 0; a < run->p.n_aggs; a++) agg_state_free(&run->states[a]);
  free(run->states);
  groups_free(&run->groups);
  for (int64_t c = 0; c < run->schema->n_fields; c++)
    if (run->tracked[c]) agg_dict_free(&run->dicts[c]);
  free(run->dicts);
  free(run->tracked);
  free(run->gid);
  free(run->p.key_columns);
  free(run->p.key_names);
  free(run->p.aggs);
  for (int i = 0; i < run->p.n_count_names; i++) free(run->p.count_names[i]);
  free(run->p.count_names);
}

/** The one run of this instance (one instance runs one step). */
static agg_run run;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  (void)err;
  run_begin(&run, params, qv_step_input_schema(step, 0));
  return QV_OK;
}

/** Folds a borrowed batch into the state; nothing of it is kept. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)step, (void)port, (void)err;
  run_batch(&run, in);
  return QV_OK;
}

/** Writes one row per group (no batch when there are keys and no groups). A partial run with
 * no keys and no rows writes none either: its one row of empty states (count 0, first null)
 * would otherwise take part in the final merge as if it were data. */
static int finish(qv_step *step, qv_error *err) {
  qv_schema out;
  qv_batch result;
  run_finish(&run, &out, &result);
  bool empty_partial = run.p.mode == MODE_PARTIAL && run.p.n_keys == 0 && run.n_rows == 0;
  int rc = qv_step_open_output(step, 0, &out, err);
  if (rc == QV_OK && result.n_rows > 0 && !empty_partial) rc = qv_step_write(step, 0, &result, err);
  if (rc != QV_OK) rc = qv_error_set(err, rc, "aggregate: output 'out': %s", err->message);
  qv_batch_release(&result);
  qv_schema_release(&out);
  run_free(&run);
  return rc;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "aggregate", .inputs = inputs, .n_inputs = 1, .outputs = outputs,
          .n_outputs = 1, .begin = begin, .batch = batch, .finish = finish)
