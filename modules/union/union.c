/*
 * union — the rows of input `first`, then those of input `second`, in one table (SQL's
 * UNION ALL; duplicates are kept).
 *
 * Params (union.json): {"by": "name" | "position"}.
 * - by name (DuckDB's UNION ALL BY NAME): the first input's columns in order, then the second's
 *   columns the first lacks; a column one input lacks is null in that input's rows.
 * - by position: both inputs have the same number of columns; the output takes the first's
 *   names.
 * Types of a column in both inputs (union_types.c): the same type stays; a dictionary-encoded
 * and a plain column of one value type become plain; integers and floats become float64;
 * integers of different types become int64. Anything else fails the step naming the column.
 *
 * Streams: every batch becomes one output batch at once (columns of the same type are
 * borrowed, not copied); nothing is held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"
#include "union_types.h"

/** The step's state: one instance runs one step. */
static struct {
  const qv_schema *schemas[2];
  ut_plan plan;
} U;

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const top[] = {"by"};
  const char *by;
  if (params->kind != QV_JSON_OBJECT) {
    return qv_error_set(err, EINVAL, "union: parameters must be a JSON object");
  }
  qv_require_members(params, "union", "object", top, 1);
  int rc = qv_json_get_string_or(params, "by", "name", &by, err);
  if (rc == QV_OK && strcmp(by, "name") != 0 && strcmp(by, "position") != 0) {
    rc = qv_error_set(err, EINVAL, "parameter 'by' must be \"name\" or \"position\", found "
                      "\"%s\"", by);
  }
  U.schemas[0] = qv_step_input_schema(step, 0);
  U.schemas[1] = qv_step_input_schema(step, 1);
  if (rc == QV_OK) rc = ut_plan_make(U.schemas, strcmp(by, "position") == 0, &U.plan, err);
  qv_schema out;
  if (rc == QV_OK) rc = ut_output_schema(&U.plan, &out, err);
  if (rc == QV_OK) {
    rc = qv_step_open_output(step, 0, &out, err);
    qv_schema_release(&out);
  }
  return rc == QV_OK ? QV_OK : qv_error_set(err, rc, "union: %s", err->message);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  qv_batch out;
  int rc = ut_convert(&U.plan, port, in, &out, err);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  return rc == QV_OK ? QV_OK : qv_error_set(err, rc, "union: input '%s': %s",
                                            port == 0 ? "first" : "second", err->message);
}

static int finish(qv_step *step, qv_error *err) {
  (void)step, (void)err;
  ut_plan_free(&U.plan);
  return QV_OK;
}

static const char *const inputs[] = {"first", "second"}, *const outputs[] = {"out"};
QV_MODULE(.id = "union", .inputs = inputs, .n_inputs = 2, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
