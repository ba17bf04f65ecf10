/* The join's parameters and output columns (join_layout.h). */
#include "join_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *jl_side_name(int side) {
  return side == JL_LEFT ? "left" : "right";
}

/** Sets `keep` and the semi/anti flags from `how`. EINVAL for another value. */
static int read_how(jl_params *p, qv_error *err) {
  const char *h = p->how;
  p->keep[JL_LEFT] = strcmp(h, "left") == 0 || strcmp(h, "full") == 0;
  p->keep[JL_RIGHT] = strcmp(h, "right") == 0 || strcmp(h, "full") == 0;
  p->semi = strcmp(h, "semi") == 0;
  p->semi_or_anti = p->semi || strcmp(h, "anti") == 0;
  if (!p->keep[JL_LEFT] && !p->keep[JL_RIGHT] && !p->semi_or_anti && strcmp(h, "inner") != 0) {
    return qv_error_set(err, EINVAL, "parameter 'how' must be one of inner, left, right, full, "
                        "semi, anti; found \"%s\"", h);
  }
  return QV_OK;
}

/** Index of column `name` in the schema of `side`, or EINVAL naming `where` and the columns. */
static int find_column(const qv_schema *schema, int side, const char *where, const char *name,
                       int64_t *out, qv_error *err) {
  *out = qv_schema_find(schema, name);
  if (*out >= 0) return QV_OK;
  char list[512];
  return qv_error_set(err, EINVAL, "parameter %s: no column \"%s\" in the %s input (columns: "
                      "%s)", where, name, jl_side_name(side),
                      qv_schema_describe_columns(schema, list, sizeof list));
}

/** Reads `keys[k]` into `pair`. */
static int read_pair(const qv_json *key, int64_t k, const qv_schema *const schemas[2],
                     jk_pair *pair, qv_error *err) {
  static const char *const members[] = {"left", "right"};
  char where[64];
  snprintf(where, sizeof where, "keys[%lld]", (long long)k);
  if (key->kind != QV_JSON_OBJECT) {
    return qv_error_set(err, EINVAL, "parameter %s must be an object", where);
  }
  qv_require_members(key, "join", where, members, 2);
  for (int side = 0; side < 2; side++) {
    const char *name;
    int rc = qv_json_get_string(key, jl_side_name(side), &name, err);
    if (rc != QV_OK) return qv_error_set(err, rc, "parameter %s: %s", where, err->message);
    char at[80];
    snprintf(at, sizeof at, "%s.%s", where, jl_side_name(side));
    rc = find_column(schemas[side], side, at, name, &pair->column[side], err);
    if (rc != QV_OK) return rc;
  }
  const qv_field *l = &schemas[JL_LEFT]->fields[pair->column[JL_LEFT]];
  const qv_field *r = &schemas[JL_RIGHT]->fields[pair->column[JL_RIGHT]];
  int rc = jk_mode_of(l, r, &pair->mode, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "parameter %s: %s", where, err->message);
  return QV_OK;
}

int jl_params_read(const qv_json *params, const qv_schema *const schemas[2], jl_params *out,
                   qv_error *err) {
  static const char *const top[] = {"how", "keys", "leftSuffix", "rightSuffix", "build"};
  memset(out, 0, sizeof *out);
  if (params->kind != QV_JSON_OBJECT) {
    return qv_error_set(err, EINVAL, "parameters must be a JSON object");
  }
  qv_require_members(params, "join", "object", top, 5);
  const char *build;
  const qv_json *keys;
  int rc = qv_json_get_string_or(params, "how", "inner", &out->how, err);
  if (rc == QV_OK) rc = qv_json_get_string_or(params, "leftSuffix", "_left", &out->suffix[0], err);
  if (rc == QV_OK) rc = qv_json_get_string_or(params, "rightSuffix", "_right", &out->suffix[1], err);
  if (rc == QV_OK) rc = qv_json_get_string_or(params, "build", "right", &build, err);
  if (rc == QV_OK) rc = qv_json_get_array(params, "keys", &keys, err);
  if (rc == QV_OK) rc = read_how(out, err);
  if (rc != QV_OK) return rc;
  if (strcmp(build, "left") != 0 && strcmp(build, "right") != 0) {
    return qv_error_set(err, EINVAL, "parameter 'build' must be \"left\" or \"right\", found "
                        "\"%s\"", build);
  }
  out->build = strcmp(build, "left") == 0 ? JL_LEFT : JL_RIGHT;
  if (keys->n_children == 0) return qv_error_set(err, EINVAL, "parameter 'keys' needs a key");
  out->pairs = qv_calloc_or_fail("join", (size_t)keys->n_children, sizeof *out->pairs);
  out->n_pairs = (int)keys->n_children;
  for (int64_t k = 0; rc == QV_OK && k < keys->n_children; k++) {
    rc = read_pair(&keys->children[k], k, schemas, &out->pairs[k], err);
  }
  return rc;
}

/** The key pair merging left column `c` with a right column of the same name, or -1. */
static int merged_pair(const jl_params *p, const qv_schema *const s[2], int64_t c) {
  for (int k = 0; k < p->n_pairs; k++) {
    const jk_pair *pair = &p->pairs[k];
    if (pair->column[JL_LEFT] != c) continue;
    const qv_field *l = &s[JL_LEFT]->fields[c], *r = &s[JL_RIGHT]->fields[pair->column[JL_RIGHT]];
    if (strcmp(l->name, r->name) == 0 && jk_same_value_type(&l->type, &r->type)) return k;
  }
  return -1;
}

/** True if right column `c` is merged into a left column. */
static bool right_is_merged(const jl_layout *l, const jl_params *p, int64_t c) {
  for (int64_t o = 0; o < l->n_columns; o++) {
    int k = l->columns[o].merged_pair;
    if (k >= 0 && p->pairs[k].column[JL_RIGHT] == c) return true;
  }
  return false;
}

/** Adds output column `side`.`c`, suffixed when the other side has the same name. */
static void add_column(jl_layout *l, const jl_params *p, const qv_schema *const s[2], int side,
                       int64_t c, int merged) {
  const char *name = s[side]->fields[c].name;
  bool clash = merged < 0 && !p->semi_or_anti && qv_schema_find(s[1 - side], name) >= 0;
  size_t size = strlen(name) + strlen(p->suffix[side]) + 1;
  char *out = qv_calloc_or_fail("join", size, 1);
  snprintf(out, size, "%s%s", name, clash ? p->suffix[side] : "");
  jl_column *col = &l->columns[l->n_columns++];
  col->side = side;
  col->column = c;
  col->merged_pair = merged;
  col->name = out;
}

int jl_layout_make(const jl_params *p, const qv_schema *const s[2], jl_layout *l,
                   qv_error *err) {
  memset(l, 0, sizeof *l);
  int64_t most = s[0]->n_fields + s[1]->n_fields;
  l->columns = qv_calloc_or_fail("join", (size_t)most + 1, sizeof *l->columns);
  l->gathered = qv_calloc_or_fail("join", (size_t)most + 1, sizeof *l->gathered);
  for (int64_t c = 0; c < s[JL_LEFT]->n_fields; c++) {
    add_column(l, p, s, JL_LEFT, c, p->semi_or_anti ? -1 : merged_pair(p, s, c));
  }
  for (int64_t c = 0; !p->semi_or_anti && c < s[JL_RIGHT]->n_fields; c++) {
    if (!right_is_merged(l, p, c)) add_column(l, p, s, JL_RIGHT, c, -1);
  }
  for (int64_t a = 0; a < l->n_columns; a++) {
    for (int64_t b = a + 1; b < l->n_columns; b++) {
      if (strcmp(l->columns[a].name, l->columns[b].name) == 0) {
        return qv_error_set(err, EINVAL, "output column '%s' appears twice (from the %s and the "
                            "%s input); choose other suffixes", l->columns[a].name,
                            jl_side_name(l->columns[a].side), jl_side_name(l->columns[b].side));
      }
    }
  }
  return QV_OK;
}

int jl_output_schema(const jl_layout *l, const jl_params *p, const qv_schema *const s[2],
                     const qv_batch *build_all, qv_schema *out, qv_error *err) {
  int rc = qv_schema_init(out, l->n_columns, err);
  for (int64_t o = 0; rc == QV_OK && o < l->n_columns; o++) {
    const jl_column *col = &l->columns[o];
    qv_type type = col->side == p->build ? build_all->columns[col->column].type
                                         : s[col->side]->fields[col->column].type;
    if (col->merged_pair >= 0) {
      type = s[JL_LEFT]->fields[col->column].type;
      type.dictionary = false; /* merged keys come from either side: plain values */
    }
    rc = qv_schema_set_field(out, o, col->name, type, true, err);
  }
  return rc;
}

/** An all-null column of `type`, `n` rows (an empty dictionary for a dictionary type). */
static void null_column(const qv_type *type, int64_t n, cc_column *out) {
  memset(out, 0, sizeof *out);
  qv_column *c = &out->column;
  c->type = *type;
  c->length = n;
  c->null_count = n;
  if (type->id == QV_TYPE_NULL) return;
  uint8_t *validity = cc_alloc((size_t)(n + 7) / 8);
  memset(validity, 0, (size_t)(n + 7) / 8);
  c->validity = out->owned[0] = validity;
  qv_type_id physical = type->dictionary ? type->index_type : type->id;
  size_t bytes;
  if (qv_type_id_is_binary_like(physical)) {
    bool large = physical == QV_TYPE_LARGE_UTF8 || physical == QV_TYPE_LARGE_BINARY;
    bytes = (size_t)(n + 1) * (large ? 8 : 4);
    c->offsets = out->owned[1] = cc_alloc(bytes);
    memset(out->owned[1], 0, bytes);
    c->data = out->owned[2] = cc_alloc(1);
  } else {
    bytes = physical == QV_TYPE_BOOL ? (size_t)(n + 7) / 8
                                     : (size_t)n * (size_t)qv_type_id_width_bytes(physical);
    c->values = out->owned[1] = cc_alloc(bytes);
    memset(out->owned[1], 0, bytes);
  }
  if (type->dictionary) {
    qv_type value = *type;
    value.dictionary = false;
    qv_builder *b;
    qv_error err;
    out->decoded = cc_alloc(sizeof *out->decoded);
    if (qv_builder_new(value, 0, &b, &err) != QV_OK || qv_builder_finish(b, out->decoded, &err) != QV_OK)
      qv_fail("join: %s", err.message);
    out->n_decoded = 1;
    c->dictionary = out->decoded;
  }
}

/** Gathers `rows` of `src` (UINT32_MAX: a null row) into `out`. */
static void gather_column(const qv_column *src, const qv_type *type, const uint32_t *rows,
                          int64_t n, cc_column *out) {
  int64_t absent = 0;
  for (int64_t i = 0; src != NULL && i < n; i++) absent += rows[i] == UINT32_MAX;
  if (src == NULL || src->length == 0 || absent == n) {
    null_column(type, n, out);
    return;
  }
  if (absent == 0) {
    cc_gather(src, rows, n, out);
    return;
  }
  uint32_t *safe = cc_alloc((size_t)n * sizeof *safe);
  for (int64_t i = 0; i < n; i++) safe[i] = rows[i] == UINT32_MAX ? 0 : rows[i];
  cc_gather(src, safe, n, out);
  free(safe);
  uint8_t *validity = (uint8_t *)out->column.validity;
  if (validity == NULL) {
    validity = cc_alloc((size_t)(n + 7) / 8);
    memset(validity, 0xff, (size_t)(n + 7) / 8);
    out->owned[0] = validity;
    out->column.validity = validity;
  }
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; i++) {
    if (rows[i] == UINT32_MAX) validity[i >> 3] &= (uint8_t)~(1u << (i & 7));
    nulls += !((validity[i >> 3] >> (i & 7)) & 1u);
  }
  out->column.null_count = nulls;
}

int jl_gather(jl_layout *l, const jl_params *p, const qv_schema *const s[2],
              const qv_batch *const sides[2], const uint32_t *const rows[2], int64_t n,
              int present, qv_batch *out, qv_error *err) {
  int rc = qv_batch_init(out, l->n_columns, n, err);
  for (int64_t o = 0; rc == QV_OK && o < l->n_columns; o++) {
    const jl_column *col = &l->columns[o];
    int side = col->side;
    int64_t c = col->column;
    if (col->merged_pair >= 0) {
      side = present;
      c = p->pairs[col->merged_pair].column[present];
    }
    const qv_column *src = sides[side] != NULL ? &sides[side]->columns[c] : NULL;
    const qv_type *type = sides[side] != NULL ? &src->type : &s[side]->fields[c].type;
    gather_column(src, type, rows[side], n, &l->gathered[o]);
    if (col->merged_pair >= 0 && l->gathered[o].column.type.dictionary) {
      qv_column plain;
      rc = qv_column_decode_dictionary(&l->gathered[o].column, &plain, err);
      cc_column_free(&l->gathered[o]);
      l->gathered[o].decoded = cc_alloc(sizeof plain);
      l->gathered[o].decoded[0] = plain;
      l->gathered[o].n_decoded = 1;
      l->gathered[o].column = plain;
      l->gathered[o].column.owned_ = NULL; /* owned by decoded[0] */
    }
    out->columns[o] = l->gathered[o].column; /* a view */
  }
  return rc;
}

void jl_gather_free(jl_layout *l, qv_batch *out) {
  for (int64_t o = 0; o < out->n_columns; o++) cc_column_free(&l->gathered[o]);
  qv_batch_release(out);
}

void jl_layout_free(jl_layout *l) {
  for (int64_t o = 0; o < l->n_columns; o++) free(l->columns[o].name);
  free(l->columns);
  free(l->gathered);
  memset(l, 0, sizeof *l);
}
