/*
 * fuzz_expr.c — libFuzzer target for the expression evaluator (expr.c, expr_eval.c).
 *
 * Input: the bytes of a compiled-expression JSON object ({"version":1,"expr":...}). The
 * target parses it with qv_json_parse, compiles it against a fixed 6-row batch with one
 * column of each expression type (nulls included, a dictionary-encoded string column), and,
 * when it compiles, evaluates it (qv_expr_eval, and qv_expr_select_rows for booleans).
 * Any crash, leak or sanitizer report is a bug; errors are the expected outcome for most
 * inputs.
 *
 * Seeds: modules/sdk/fuzz_expr_seeds/ (compiled forms of typical expressions; regenerate with
 * its generate.ts). Without them libFuzzer finds few valid programs at first.
 *
 * Build and run natively (see README "Expressions"): compile this file with every SDK source
 * except the fuzz_ and _test ones, with clang-19 -g -O1 -fsanitize=fuzzer,address,undefined
 * -Imodules/sdk ... -lm, then run it with -dict=modules/sdk/fuzz_expr.dict.
 */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "quiver.h"

#define N_ROWS 6

static qv_schema schema;
static qv_batch batch;

static void die(const qv_error *err) {
  qv_fail("fuzz_expr setup: %s", err->message);
}

static void build_column(int64_t c, qv_type type, int kind) {
  qv_error err;
  qv_builder *b;
  if (qv_builder_new(type, N_ROWS, &b, &err) != QV_OK) die(&err);
  /* Valid and invalid UTF-8 (a lone lead byte, an overlong 'A', a stray continuation). */
  static const char *const strs[N_ROWS] = {"rain", "", "Sun \xc3\xa9 \xc5\x81", "RAIN\xc3",
                                           "dr\xc1\x81zzle", "f\x80og \xce\xa3"};
  static const int64_t ints[N_ROWS] = {0, -1, INT64_MAX, INT64_MIN, 42, 7};
  static const double floats[N_ROWS] = {0.0, -0.0, 1e308, -2.5, 0.0 / 0.0, 3.0};
  for (int64_t i = 0; i < N_ROWS; i++) {
    int rc;
    if (i == 4 && kind != 2) {
      rc = qv_builder_append_null(b, &err);
    } else if (kind == 0) {
      rc = qv_builder_append_int64(b, ints[i], &err);
    } else if (kind == 1) {
      rc = qv_builder_append_double(b, floats[i], &err);
    } else if (kind == 2) {
      rc = qv_builder_append_bool(b, i % 2 == 0, &err);
    } else if (kind == 3) {
      rc = qv_builder_append_str(b, strs[i], &err);
    } else if (kind == 4) {
      rc = qv_builder_append_int64(b, (ints[i] % 4000000) * (i == 2 ? 1 : -1), &err);
    } else {
      rc = qv_builder_append_int64(b, ints[i] / 1000 * 997, &err);
    }
    if (rc != QV_OK) die(&err);
  }
  if (qv_builder_finish(b, &batch.columns[c], &err) != QV_OK) die(&err);
}

static void setup(void) {
  qv_error err;
  static const char *const names[] = {"n", "f", "b", "s", "d", "t", "k"};
  qv_type types[7] = {qv_type_make(QV_TYPE_INT64),  qv_type_make(QV_TYPE_FLOAT64),
                      qv_type_make(QV_TYPE_BOOL),   qv_type_make(QV_TYPE_UTF8),
                      qv_type_make(QV_TYPE_DATE32), qv_type_timestamp(QV_TIME_UNIT_MILLISECOND, "UTC"),
                      qv_type_dictionary(QV_TYPE_UTF8, QV_TYPE_INT8)};
  static const int kinds[] = {0, 1, 2, 3, 4, 5, 3};
  if (qv_schema_init(&schema, 7, &err) != QV_OK) die(&err);
  if (qv_batch_init(&batch, 7, N_ROWS, &err) != QV_OK) die(&err);
  for (int64_t c = 0; c < 7; c++) {
    if (qv_schema_set_field(&schema, c, names[c], types[c], true, &err) != QV_OK) die(&err);
    build_column(c, types[c], kinds[c]);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (schema.n_fields == 0) setup();
  qv_error err;
  qv_json *root = NULL;
  if (qv_json_parse((const char *)data, (int64_t)size, &root, &err) != QV_OK) return 0;
  qv_expr *expr = NULL;
  if (qv_expr_compile(root, &schema, &expr, &err) == QV_OK) {
    qv_column out;
    if (qv_expr_eval(expr, &batch, &out, &err) == QV_OK) {
      if (out.length != N_ROWS || qv_column_validate(&out, &err) != QV_OK) abort();
      qv_column_release(&out);
    }
    if (qv_expr_result_type(expr) == QV_EXPR_BOOL) {
      int64_t *rows = NULL, n = 0;
      if (qv_expr_select_rows(expr, &batch, &rows, &n, &err) == QV_OK) {
        for (int64_t i = 0; i < n; i++) {
          if (rows[i] < 0 || rows[i] >= N_ROWS) abort();
        }
      }
      free(rows);
    }
    qv_expr_free(expr);
  }
  qv_json_free(root);
  return 0;
}
