/* The union's column plan and casts (union_types.h). */
#include "union_types.h"

#include <stdlib.h>
#include <string.h>

/** The type without dictionary encoding. */
static qv_type plain(const qv_type *t) {
  qv_type out = *t;
  out.dictionary = false;
  out.index_type = QV_TYPE_NULL;
  out.dictionary_ordered = false;
  return out;
}

/** How a column of type `t` becomes output type `out`. */
static ut_cast cast_to(const qv_type *t, const qv_type *out) {
  if (qv_type_equals(t, out)) return UT_SAME;
  if (t->id == QV_TYPE_NULL) return UT_MISSING;
  qv_type p = plain(t);
  if (qv_type_equals(&p, out)) return UT_PLAIN;
  return out->id == QV_TYPE_FLOAT64 ? UT_FLOAT64 : UT_INT64;
}

/** The output type of a column of types `a` (first) and `b` (second). EINVAL naming it. */
static int combine(const char *name, const qv_type *a, const qv_type *b, qv_type *out,
                   qv_error *err) {
  qv_type pa = plain(a), pb = plain(b);
  if (qv_type_equals(a, b)) *out = *a;
  else if (qv_type_equals(&pa, &pb)) *out = pa;
  else if (a->id == QV_TYPE_NULL) *out = pb; /* nulls stand for that side: plain values */
  else if (b->id == QV_TYPE_NULL) *out = pa;
  else if (qv_type_id_is_integer(a->id) && qv_type_id_is_integer(b->id))
    *out = qv_type_make(QV_TYPE_INT64);
  else if (qv_type_id_is_numeric(a->id) && qv_type_id_is_numeric(b->id))
    *out = qv_type_make(QV_TYPE_FLOAT64);
  else
    return qv_error_set(err, EINVAL, "column '%s' is %s in the first input and %s in the "
                        "second; they cannot be combined", name, qv_type_id_name(a->id),
                        qv_type_id_name(b->id));
  return QV_OK;
}

/** Adds the output column fed by `source[0]` and `source[1]` (either may be -1). */
static int add(ut_plan *plan, const qv_schema *const s[2], const char *name, int64_t first,
               int64_t second, qv_error *err) {
  ut_column *col = &plan->columns[plan->n_columns++];
  col->name = name;
  col->source[0] = first;
  col->source[1] = second;
  if (first >= 0 && second >= 0) {
    int rc = combine(name, &s[0]->fields[first].type, &s[1]->fields[second].type, &col->type, err);
    if (rc != QV_OK) return rc;
  } else {
    /* Nulls stand for the missing side, so the column is plain. */
    col->type = plain(first >= 0 ? &s[0]->fields[first].type : &s[1]->fields[second].type);
  }
  for (int side = 0; side < 2; side++) {
    col->cast[side] = col->source[side] < 0
                          ? UT_MISSING
                          : cast_to(&s[side]->fields[col->source[side]].type, &col->type);
  }
  return QV_OK;
}

int ut_plan_make(const qv_schema *const s[2], bool by_position, ut_plan *out, qv_error *err) {
  memset(out, 0, sizeof *out);
  if (by_position && s[0]->n_fields != s[1]->n_fields) {
    return qv_error_set(err, EINVAL, "by position, the inputs need as many columns: the first "
                        "has %lld, the second %lld", (long long)s[0]->n_fields,
                        (long long)s[1]->n_fields);
  }
  out->columns = qv_calloc_or_fail("union", (size_t)(s[0]->n_fields + s[1]->n_fields) + 1,
                                   sizeof *out->columns);
  int rc = QV_OK;
  for (int64_t c = 0; rc == QV_OK && c < s[0]->n_fields; c++) {
    const char *name = s[0]->fields[c].name;
    int64_t other = by_position ? c : qv_schema_find(s[1], name);
    rc = add(out, s, name, c, other, err);
  }
  for (int64_t c = 0; rc == QV_OK && !by_position && c < s[1]->n_fields; c++) {
    const char *name = s[1]->fields[c].name;
    if (qv_schema_find(s[0], name) < 0) rc = add(out, s, name, -1, c, err);
  }
  return rc;
}

int ut_output_schema(const ut_plan *plan, qv_schema *out, qv_error *err) {
  int rc = qv_schema_init(out, plan->n_columns, err);
  for (int64_t c = 0; rc == QV_OK && c < plan->n_columns; c++) {
    const ut_column *col = &plan->columns[c];
    rc = qv_schema_set_field(out, c, col->name, col->type, true, err);
  }
  return rc;
}

/** `n` rows of `src` cast to `type` (UT_FLOAT64 / UT_INT64), or nulls when `src` is NULL. */
static int build(const qv_column *src, qv_type type, ut_cast cast, int64_t n, qv_column *dst,
                 qv_error *err) {
  qv_builder *b;
  int rc = qv_builder_new(type, n, &b, err);
  if (rc != QV_OK) return rc;
  for (int64_t i = 0; rc == QV_OK && i < n; i++) {
    if (src == NULL || qv_column_is_null(src, i)) rc = qv_builder_append_null(b, err);
    else if (cast == UT_FLOAT64) rc = qv_builder_append_double(b, qv_column_double_at(src, i), err);
    else rc = qv_builder_append_int64(b, qv_column_int64_at(src, i), err);
  }
  if (rc != QV_OK) {
    qv_builder_free(b);
    return rc;
  }
  return qv_builder_finish(b, dst, err);
}

int ut_convert(const ut_plan *plan, int port, const qv_batch *in, qv_batch *out,
               qv_error *err) {
  int rc = qv_batch_init(out, plan->n_columns, in->n_rows, err);
  for (int64_t c = 0; rc == QV_OK && c < plan->n_columns; c++) {
    const ut_column *col = &plan->columns[c];
    const qv_column *src = col->source[port] >= 0 ? &in->columns[col->source[port]] : NULL;
    switch (col->cast[port]) {
      case UT_SAME: qv_column_borrow(src, &out->columns[c]); break;
      case UT_PLAIN: rc = qv_column_decode_dictionary(src, &out->columns[c], err); break;
      case UT_MISSING: rc = build(NULL, col->type, UT_MISSING, in->n_rows, &out->columns[c], err); break;
      default: rc = build(src, col->type, col->cast[port], in->n_rows, &out->columns[c], err);
    }
  }
  return rc;
}

void ut_plan_free(ut_plan *plan) {
  free(plan->columns);
  memset(plan, 0, sizeof *plan);
}
