/*
 * expr.c — compiling and checking the compiled-expression JSON (see expr.h). Evaluation is in
 * expr_eval.c. Nothing here trusts the JSON: every shape, type, arity, index and size is
 * checked, and a failure names the node by its path (e.g. "expr.args[1].args[0]").
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"
#include "regex.h"

#define QV_STR2_(x) #x
#define QV_STR_(x) QV_STR2_(x)

static const char *const TYPE_NAMES[QV_EXPR_TYPE_COUNT_] = {"int64", "float64", "bool",
                                                            "utf8",  "date32",  "timestamp"};

const char *qv_expr_type_name(qv_expr_type type) {
  return (unsigned)type < QV_EXPR_TYPE_COUNT_ ? TYPE_NAMES[type] : "?";
}

qv_type qv_expr_column_type(qv_expr_type type) {
  switch (type) {
  case QV_EXPR_INT64:
    return qv_type_make(QV_TYPE_INT64);
  case QV_EXPR_FLOAT64:
    return qv_type_make(QV_TYPE_FLOAT64);
  case QV_EXPR_BOOL:
    return qv_type_make(QV_TYPE_BOOL);
  case QV_EXPR_UTF8:
    return qv_type_make(QV_TYPE_UTF8);
  case QV_EXPR_DATE32:
    return qv_type_make(QV_TYPE_DATE32);
  case QV_EXPR_TIMESTAMP:
  default:
    return qv_type_timestamp(QV_TIME_UNIT_MICROSECOND, NULL);
  }
}

qv_expr_type qv_expr_result_type(const qv_expr *expr) {
  return expr->nodes[expr->n_nodes - 1].type;
}

/** The expression type a schema field reads as, or -1 if expressions cannot use it. */
static int field_expr_type(const qv_type *t) {
  switch (t->id) {
  case QV_TYPE_INT8:
  case QV_TYPE_INT16:
  case QV_TYPE_INT32:
  case QV_TYPE_INT64:
  case QV_TYPE_UINT8:
  case QV_TYPE_UINT16:
  case QV_TYPE_UINT32:
  case QV_TYPE_UINT64:
    return t->dictionary ? -1 : QV_EXPR_INT64;
  case QV_TYPE_FLOAT32:
  case QV_TYPE_FLOAT64:
    return t->dictionary ? -1 : QV_EXPR_FLOAT64;
  case QV_TYPE_BOOL:
    return t->dictionary ? -1 : QV_EXPR_BOOL;
  case QV_TYPE_UTF8:
  case QV_TYPE_LARGE_UTF8:
    return QV_EXPR_UTF8;
  case QV_TYPE_DATE32:
  case QV_TYPE_DATE64:
    return t->dictionary ? -1 : QV_EXPR_DATE32;
  case QV_TYPE_TIMESTAMP:
    return t->dictionary ? -1 : QV_EXPR_TIMESTAMP;
  default:
    return -1;
  }
}

/** State of one compilation. */
typedef struct compiler {
  qv_expr *expr;
  int32_t capacity;
  const qv_schema *schema;
  qv_error *err;
  char path[256];
} compiler;

static int fail(compiler *c, const char *what) {
  return qv_error_set(c->err, EINVAL, "compiled expression: %s at %s", what, c->path);
}

static int parse_type(const qv_json *j, qv_expr_type *out) {
  if (j == NULL || j->kind != QV_JSON_STRING) return -1;
  for (int t = 0; t < QV_EXPR_TYPE_COUNT_; t++) {
    if (strcmp(j->string_value, TYPE_NAMES[t]) == 0) {
      *out = (qv_expr_type)t;
      return 0;
    }
  }
  return -1;
}

/** Strict decimal int64 from a JSON string ("-12"); -1 if malformed or out of range. */
static int parse_int64_string(const qv_json *j, int64_t *out) {
  if (j->kind != QV_JSON_STRING || j->string_size_bytes < 1 || j->string_size_bytes > 20) {
    return -1;
  }
  const char *s = j->string_value;
  bool neg = s[0] == '-';
  int64_t i = neg ? 1 : 0;
  if (i >= j->string_size_bytes) return -1;
  uint64_t v = 0;
  for (; i < j->string_size_bytes; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    uint64_t d = (uint64_t)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX) return -1;
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return 0;
}

static int parse_literal(compiler *c, const qv_json *j, qv_expr_node_ *n) {
  const qv_json *v = qv_json_get(j, "value");
  if (v == NULL) return fail(c, "literal without \"value\"");
  if (v->kind == QV_JSON_NULL) {
    n->is_null = true;
    return QV_OK;
  }
  switch (n->type) {
  case QV_EXPR_INT64:
  case QV_EXPR_TIMESTAMP:
    if (parse_int64_string(v, &n->int_value) != 0) {
      return fail(c, "int64/timestamp literal must be a decimal string within int64 range");
    }
    return QV_OK;
  case QV_EXPR_FLOAT64:
    if (v->kind != QV_JSON_NUMBER) return fail(c, "float64 literal must be a number");
    n->float_value = v->number_value;
    return QV_OK;
  case QV_EXPR_BOOL:
    if (v->kind != QV_JSON_BOOL) return fail(c, "bool literal must be true or false");
    n->int_value = v->bool_value ? 1 : 0;
    return QV_OK;
  case QV_EXPR_DATE32:
    if (v->kind != QV_JSON_NUMBER || !(v->number_value >= INT32_MIN) ||
        !(v->number_value <= INT32_MAX) || v->number_value != (double)(int64_t)v->number_value) {
      return fail(c, "date32 literal must be an integer number of days");
    }
    n->int_value = (int64_t)v->number_value;
    return QV_OK;
  case QV_EXPR_UTF8:
    if (v->kind != QV_JSON_STRING) return fail(c, "utf8 literal must be a string");
    n->str_size_bytes = v->string_size_bytes;
    n->str_value = malloc((size_t)v->string_size_bytes + 1);
    if (n->str_value == NULL) return qv_error_set(c->err, ENOMEM, "out of memory");
    memcpy(n->str_value, v->string_value, (size_t)v->string_size_bytes + 1);
    return QV_OK;
  default:
    return fail(c, "bad literal type");
  }
}

static int parse_column(compiler *c, const qv_json *j, qv_expr_node_ *n) {
  const qv_json *index = qv_json_get(j, "index");
  const qv_json *name = qv_json_get(j, "name");
  if (index == NULL || index->kind != QV_JSON_NUMBER || name == NULL ||
      name->kind != QV_JSON_STRING) {
    return fail(c, "column needs a numeric \"index\" and a string \"name\"");
  }
  double d = index->number_value;
  if (!(d >= 0) || !(d < (double)c->schema->n_fields) || d != (double)(int64_t)d) {
    return qv_error_set(c->err, EINVAL,
                        "compiled expression: column \"%s\" has index %g but the input has %lld "
                        "columns at %s; recompile the expression against this input",
                        name->string_value, d, (long long)c->schema->n_fields, c->path);
  }
  n->column = (int64_t)d;
  const qv_field *f = &c->schema->fields[n->column];
  if (strlen(f->name) != (size_t)name->string_size_bytes ||
      memcmp(f->name, name->string_value, (size_t)name->string_size_bytes) != 0) {
    return qv_error_set(c->err, EINVAL,
                        "compiled expression: column %lld is \"%s\" in the input, not \"%s\", "
                        "at %s; recompile the expression against this input",
                        (long long)n->column, f->name, name->string_value, c->path);
  }
  int t = field_expr_type(&f->type);
  if (t != (int)n->type) {
    return qv_error_set(c->err, EINVAL,
                        "compiled expression: column \"%s\" is %s%s in the input, which reads as "
                        "%s, not %s, at %s; recompile the expression against this input",
                        f->name, f->type.dictionary ? "dictionary of " : "",
                        qv_type_id_name(f->type.id), t < 0 ? "nothing" : TYPE_NAMES[t],
                        TYPE_NAMES[n->type], c->path);
  }
  return QV_OK;
}

/** Whether type `t` fits signature code `code`, binding type variables in `bound` (-1: not
 * yet bound). */
static bool sig_type_fits(uint8_t code, qv_expr_type t, int bound[3]) {
  if (code < QV_EXPR_TYPE_COUNT_) return code == t;
  int v = code - QV_SIG_ANY_;
  if (bound[v] >= 0) return bound[v] == (int)t;
  if (code == QV_SIG_NUMBER_ && t != QV_EXPR_INT64 && t != QV_EXPR_FLOAT64) return false;
  if (code == QV_SIG_TEMPORAL_ && t != QV_EXPR_DATE32 && t != QV_EXPR_TIMESTAMP) return false;
  bound[v] = (int)t;
  return true;
}

/** Whether a node of `n->type` with its arguments' types matches signature `s`. */
static bool sig_matches(const qv_expr_sig_ *s, const qv_expr_node_ *n,
                        const qv_expr_node_ *nodes) {
  int bound[3] = {-1, -1, -1};
  if (n->n_args < s->n_fixed || (s->repeated == QV_SIG_NONE_ && n->n_args != s->n_fixed)) {
    return false;
  }
  if (!sig_type_fits(s->result, n->type, bound)) return false;
  for (int32_t i = 0; i < n->n_args; i++) {
    uint8_t code = i < s->n_fixed ? s->fixed[i] : s->repeated;
    if (!sig_type_fits(code, nodes[n->args[i]].type, bound)) return false;
  }
  return true;
}

/** Checks a call node's arity and argument types against its operation's signatures
 * (generated from src/pipeline/expression/catalog.ts into expr_catalog.c). */
static int check_signature(compiler *c, const qv_expr_node_ *n) {
  const qv_expr_sig_ *sigs = &QV_SIGS_[QV_OP_SIG_FIRST_[n->op]];
  for (int k = 0; k < QV_OP_SIG_COUNT_[n->op]; k++) {
    if (sig_matches(&sigs[k], n, c->expr->nodes)) return QV_OK;
  }
  char what[160];
  snprintf(what, sizeof what, "%s with %d argument(s) does not give %s (argument types do not match)",
           QV_OP_NAMES_[n->op], (int)n->n_args, TYPE_NAMES[n->type]);
  return fail(c, what);
}

/** Appends a node, returning its index through `out`. */
static int push_node(compiler *c, const qv_expr_node_ *n, int32_t *out) {
  qv_expr *e = c->expr;
  if (e->n_nodes >= QV_EXPR_MAX_NODES) return fail(c, "too many nodes");
  if (e->n_nodes == c->capacity) {
    int32_t cap = c->capacity ? c->capacity * 2 : 16;
    qv_expr_node_ *grown = realloc(e->nodes, (size_t)cap * sizeof *grown);
    if (grown == NULL) return qv_error_set(c->err, ENOMEM, "out of memory");
    e->nodes = grown;
    c->capacity = cap;
  }
  e->nodes[e->n_nodes] = *n;
  *out = e->n_nodes++;
  return QV_OK;
}

static int compile_node(compiler *c, const qv_json *j, int depth, int32_t *out);

static int compile_call(compiler *c, const qv_json *j, int depth, qv_expr_node_ *n) {
  const qv_json *fn = qv_json_get(j, "fn");
  const qv_json *args = qv_json_get(j, "args");
  if (fn == NULL || fn->kind != QV_JSON_STRING) return fail(c, "call without a string \"fn\"");
  if (args == NULL || args->kind != QV_JSON_ARRAY) return fail(c, "call without an \"args\" array");
  n->op = QV_OP_COUNT_;
  for (int op = QV_OP_ADD_; op < QV_OP_COUNT_; op++) {
    if (strcmp(fn->string_value, QV_OP_NAMES_[op]) == 0) n->op = (qv_expr_op_)op;
  }
  if (n->op == QV_OP_COUNT_) return fail(c, "unknown function");
  if (args->n_children < 1 || args->n_children > QV_EXPR_MAX_ARGS) {
    return fail(c, "call needs 1 to " QV_STR_(QV_EXPR_MAX_ARGS) " args");
  }
  n->n_args = (int32_t)args->n_children;
  n->args = calloc((size_t)n->n_args, sizeof *n->args);
  if (n->args == NULL) return qv_error_set(c->err, ENOMEM, "out of memory");
  size_t base = strlen(c->path);
  for (int32_t i = 0; i < n->n_args; i++) {
    snprintf(c->path + base, sizeof c->path - base, ".args[%d]", (int)i);
    int rc = compile_node(c, &args->children[i], depth + 1, &n->args[i]);
    if (rc != QV_OK) return rc;
    c->path[base] = '\0';
  }
  int rc = check_signature(c, n);
  if (rc != QV_OK) return rc;
  switch (n->op) {
  case QV_OP_REGEXP_MATCHES_:
  case QV_OP_REGEXP_REPLACE_:
  case QV_OP_REGEXP_EXTRACT_:
    return qv_expr_compile_regexp_(n, c->expr->nodes, c->err);
  case QV_OP_DATE_TRUNC_:
  case QV_OP_DATE_DIFF_:
  case QV_OP_DATE_ADD_:
    return qv_expr_check_part_(&c->expr->nodes[n->args[0]], c->err);
  default:
    return QV_OK;
  }
}

static void free_node(qv_expr_node_ *n) {
  qv_regex_free(n->regex);
  n->regex = NULL;
  free(n->args);
  free(n->str_value);
  n->args = NULL;
  n->str_value = NULL;
}

static int compile_node(compiler *c, const qv_json *j, int depth, int32_t *out) {
  if (depth > QV_EXPR_MAX_DEPTH) return fail(c, "nesting deeper than " QV_STR_(QV_EXPR_MAX_DEPTH) " levels");
  if (j->kind != QV_JSON_OBJECT) return fail(c, "node is not an object");
  qv_expr_node_ n;
  memset(&n, 0, sizeof n);
  if (parse_type(qv_json_get(j, "type"), &n.type) != 0) return fail(c, "missing or unknown \"type\"");
  const qv_json *kind = qv_json_get(j, "kind");
  if (kind == NULL || kind->kind != QV_JSON_STRING) return fail(c, "missing \"kind\"");
  int rc;
  if (strcmp(kind->string_value, "column") == 0) {
    n.op = QV_OP_COLUMN_;
    rc = parse_column(c, j, &n);
  } else if (strcmp(kind->string_value, "literal") == 0) {
    n.op = QV_OP_LITERAL_;
    rc = parse_literal(c, j, &n);
  } else if (strcmp(kind->string_value, "call") == 0) {
    rc = compile_call(c, j, depth, &n);
  } else {
    rc = fail(c, "unknown \"kind\"");
  }
  if (rc == QV_OK) rc = push_node(c, &n, out);
  if (rc != QV_OK) free_node(&n);
  return rc;
}

int qv_expr_compile(const qv_json *compiled, const qv_schema *schema, qv_expr **out,
                    qv_error *err) {
  *out = NULL;
  if (compiled == NULL || compiled->kind != QV_JSON_OBJECT) {
    return qv_error_set(err, EINVAL, "compiled expression: not an object");
  }
  const qv_json *version = qv_json_get(compiled, "version");
  if (version == NULL || version->kind != QV_JSON_NUMBER || version->number_value != 1) {
    return qv_error_set(err, EINVAL, "compiled expression: \"version\" must be 1");
  }
  const qv_json *root = qv_json_get(compiled, "expr");
  if (root == NULL) return qv_error_set(err, EINVAL, "compiled expression: missing \"expr\"");
  qv_expr *e = calloc(1, sizeof *e);
  if (e == NULL) return qv_error_set(err, ENOMEM, "out of memory");
  compiler c = {.expr = e, .capacity = 0, .schema = schema, .err = err, .path = "expr"};
  int32_t root_index = 0;
  int rc = compile_node(&c, root, 1, &root_index);
  if (rc == QV_OK) rc = qv_schema_copy(schema, &e->schema, err);
  if (rc != QV_OK) {
    qv_expr_free(e);
    return rc;
  }
  *out = e;
  return QV_OK;
}

void qv_expr_free(qv_expr *expr) {
  if (expr == NULL) return;
  for (int32_t i = 0; i < expr->n_nodes; i++) free_node(&expr->nodes[i]);
  free(expr->nodes);
  qv_schema_release(&expr->schema);
  free(expr);
}
