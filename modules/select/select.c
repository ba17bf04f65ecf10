/*
 * select — keeps, drops, renames and reorders the columns of input `in` into `out`.
 *
 * Params (see select.json), one of two forms:
 *   {"columns": [{"name": "date"}, {"name": "temp_max", "as": "high"}]}
 *       output exactly these columns in this order, renamed where `as` is given;
 *   {"drop": ["wind"], "rename": [{"name": "temp_max", "as": "high"}]}
 *       every other column in input order, some renamed in place.
 * An empty or absent `columns` means the second form; no parameters pass every column.
 * Every name must exist in the input and output names must be unique, else the step fails
 * naming the parameter and the column.
 *
 * Row-local (streamable): each record batch is written as it is read, its columns borrowed
 * (no copy of the data).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

/** Module id: the prefix of every error message. */
#define MODULE "select"

/** Array member `key` of `params`; NULL when absent, null or empty. */
static const qv_json *nonempty_array(const qv_json *params, const char *key) {
  const qv_json *value = qv_json_get(params, key);
  if (value == NULL || value->kind == QV_JSON_NULL) return NULL;
  if (value->kind != QV_JSON_ARRAY)
    qv_fail("select: parameter '%s' must be an array, found %s", key,
            qv_json_kind_name(value->kind));
  return value->n_children > 0 ? value : NULL;
}

/** Reads `{"name": ..., "as": ...}` entry `i` of array `key`; `as` falls back to the name. */
static int64_t read_entry(const qv_json *entry, const char *key, int64_t i,
                          const qv_schema *schema, bool as_required, const char **out_as) {
  static const char *const members[] = {"name", "as"};
  qv_error err;
  char where[64];
  snprintf(where, sizeof where, "%s[%lld]", key, (long long)i);
  if (entry->kind != QV_JSON_OBJECT) qv_fail("select: parameter %s must be an object", where);
  qv_require_members(entry, MODULE, where, members, 2);
  const char *name;
  if (qv_json_get_string(entry, "name", &name, &err) != QV_OK ||
      (as_required ? qv_json_get_string(entry, "as", out_as, &err)
                   : qv_json_get_string_or(entry, "as", name, out_as, &err)) != QV_OK)
    qv_fail("select: %s: %s", where, err.message);
  char at[80];
  snprintf(at, sizeof at, "%s.name", where);
  return qv_require_column(schema, MODULE, at, name);
}

/** The output: input column `source[j]` becomes output column j named `names[j]`. */
typedef struct projection {
  int64_t n;
  int64_t *source;
  const char **names;
} projection;

static void plan(const qv_json *params, const qv_schema *schema, projection *p) {
  static const char *const top[] = {"columns", "drop", "rename"};
  if (params->kind != QV_JSON_OBJECT) qv_fail("select: parameters must be a JSON object");
  qv_require_members(params, MODULE, "object", top, 3);
  const qv_json *columns = nonempty_array(params, "columns");
  const qv_json *drop = nonempty_array(params, "drop");
  const qv_json *rename = nonempty_array(params, "rename");
  if (columns != NULL && (drop != NULL || rename != NULL))
    qv_fail("select: parameter 'columns' cannot be combined with 'drop' or 'rename' (list the "
            "columns to keep with their new names, or drop and rename)");
  p->source = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields + (columns ? (size_t)columns->n_children : 0),
                      sizeof *p->source);
  p->names = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields + (columns ? (size_t)columns->n_children : 0),
                     sizeof *p->names);
  p->n = 0;
  if (columns != NULL) {
    for (int64_t i = 0; i < columns->n_children; i++) {
      p->source[p->n] = read_entry(&columns->children[i], "columns", i, schema, false,
                                   &p->names[p->n]);
      p->n++;
    }
    return;
  }
  bool *dropped = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *dropped);
  const char **new_name = qv_calloc_or_fail(MODULE, (size_t)schema->n_fields, sizeof *new_name);
  for (int64_t i = 0; drop != NULL && i < drop->n_children; i++) {
    char where[64];
    snprintf(where, sizeof where, "drop[%lld]", (long long)i);
    if (drop->children[i].kind != QV_JSON_STRING)
      qv_fail("select: parameter %s must be a string", where);
    dropped[qv_require_column(schema, MODULE, where, drop->children[i].string_value)] = true;
  }
  for (int64_t i = 0; rename != NULL && i < rename->n_children; i++) {
    const char *as;
    int64_t c = read_entry(&rename->children[i], "rename", i, schema, true, &as);
    if (dropped[c])
      qv_fail("select: parameter rename[%lld].name: column \"%s\" is also dropped", (long long)i,
              schema->fields[c].name);
    if (new_name[c] != NULL)
      qv_fail("select: parameter rename[%lld].name: column \"%s\" is renamed twice",
              (long long)i, schema->fields[c].name);
    new_name[c] = as;
  }
  for (int64_t c = 0; c < schema->n_fields; c++) {
    if (dropped[c]) continue;
    p->source[p->n] = c;
    p->names[p->n] = new_name[c] ? new_name[c] : schema->fields[c].name;
    p->n++;
  }
  free(dropped);
  free(new_name);
}

/** The plan (from the parameters and the input schema), kept for every batch. */
static projection plan_;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  const qv_schema *schema = qv_step_input_schema(step, 0);
  plan(params, schema, &plan_);
  qv_schema out;
  int rc = qv_schema_init(&out, plan_.n, err);
  for (int64_t j = 0; rc == QV_OK && j < plan_.n; j++) {
    for (int64_t k = 0; k < j; k++)
      if (strcmp(plan_.names[j], plan_.names[k]) == 0)
        qv_fail("select: two output columns are named \"%s\" (output columns %lld and %lld); "
                "rename one with 'as'",
                plan_.names[j], (long long)k, (long long)j);
    const qv_field *f = &schema->fields[plan_.source[j]];
    rc = qv_schema_set_field(&out, j, plan_.names[j], f->type, f->nullable, err);
  }
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "select: %s", err->message) : QV_OK;
}

/** Writes the chosen columns of `in`, borrowed. */
static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  qv_batch result;
  int rc = qv_batch_init(&result, plan_.n, in->n_rows, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "select: %s", err->message);
  for (int64_t j = 0; j < plan_.n; j++)
    qv_column_borrow(&in->columns[plan_.source[j]], &result.columns[j]);
  rc = qv_step_write(step, 0, &result, err);
  qv_batch_release(&result);
  return rc != QV_OK ? qv_error_set(err, rc, "select: %s", err->message) : QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  (void)step;
  (void)err;
  free(plan_.source);
  free(plan_.names);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "select", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
