/*
 * Internal representation shared by expr.c (compile and check) and expr_eval.c (evaluate).
 * Not part of the public API.
 */
#ifndef QUIVER_EXPR_INTERNAL_H
#define QUIVER_EXPR_INTERNAL_H

#include "expr.h"

/** One checked node. Owned by its qv_expr (nodes live in one array; args index into it). */
typedef struct qv_expr_node_ {
  qv_expr_op_ op;
  qv_expr_type type;
  int32_t n_args;
  /** Indices of the arguments in qv_expr.nodes (always smaller than this node's index). */
  int32_t *args;
  /** COLUMN: field index in the schema. */
  int64_t column;
  /** LITERAL: whether it is the typed null, and its value by type. */
  bool is_null;
  int64_t int_value; /* INT64, DATE32, TIMESTAMP, BOOL (0/1) */
  double float_value;
  char *str_value; /* UTF8 (owned), `str_size_bytes` bytes */
  int64_t str_size_bytes;
  /** regexp_*: the pattern (a literal argument) compiled once (owned; qv_regex_free). */
  struct qv_regex *regex;
} qv_expr_node_;

struct qv_expr {
  int32_t n_nodes;
  qv_expr_node_ *nodes; /* post-order: the root is last */
  /** For each column node: how the batch column reads (its SDK type). */
  qv_schema schema;
};

/** A computed column: one entry per row, `valid[i]` 0/1, values by type. */
typedef struct qv_vec_ {
  int64_t n_rows;
  uint8_t *valid;
  int64_t *ints;   /* INT64, DATE32, TIMESTAMP */
  double *floats;  /* FLOAT64 */
  uint8_t *bools;  /* BOOL */
  qv_str *strs;    /* UTF8: views into batch columns, literals or `arena` */
  char *arena;     /* UTF8 bytes this vector owns */
} qv_vec_;

/** One call evaluated outside expr_eval.c (expr_text.c, expr_regexp.c, expr_time.c): the
 * node, all its nodes (for literal arguments), its argument vectors, the row mask. */
typedef struct qv_call_ {
  const qv_expr_node_ *node;
  const qv_expr_node_ *nodes;
  const qv_vec_ *args;
  const uint8_t *mask;
  qv_error *err;
} qv_call_;

/** Evaluates a string function (lower, upper, replace, trim, ltrim, rtrim, substr,
 * split_part, concat, concat_strict) into `v` (allocated by the caller, all invalid). */
int qv_expr_eval_text_(const qv_call_ *c, qv_vec_ *v);

/** Evaluates regexp_matches, regexp_replace or regexp_extract into `v`. */
int qv_expr_eval_regexp_(const qv_call_ *c, qv_vec_ *v);

/** Compiles the pattern of a regexp_* node (its literal second argument) into `n->regex`.
 * EINVAL naming the pattern's syntax error. */
int qv_expr_compile_regexp_(qv_expr_node_ *n, const qv_expr_node_ *nodes, qv_error *err);

/** Evaluates a date function (minute, second, week, dayofweek, quarter, date_trunc,
 * date_diff, date_add, strftime, strptime) into `v`. */
int qv_expr_eval_time_(const qv_call_ *c, qv_vec_ *v);

/** Checks the literal part argument of date_trunc/date_diff/date_add at compile time. */
int qv_expr_check_part_(const qv_expr_node_ *part, qv_error *err);

/** Appends strings to a vector's arena row by row: `put` bytes, then `row` ends row i. */
typedef struct qv_strout_ {
  qv_vec_ *v;
  int64_t size_bytes, capacity_bytes, row_start;
  int64_t *offsets; /* per row, until finish turns them into pointers */
  qv_error *err;
} qv_strout_;

int qv_strout_init_(qv_strout_ *o, qv_vec_ *v, int64_t capacity_bytes, qv_error *err);
int qv_strout_put_(qv_strout_ *o, const char *bytes, int64_t size_bytes);
/** Ends row `i`: the bytes put since the previous row are its value (valid). */
void qv_strout_row_(qv_strout_ *o, int64_t i);
/** Makes the rows' views point into the arena (now owned by the vector). */
void qv_strout_finish_(qv_strout_ *o);
/** Releases a builder abandoned on error. */
void qv_strout_free_(qv_strout_ *o);

/**
 * Row `row` of `v` as text for an error message, into buf (`size_bytes`, 64 suffice): for
 * type `t` FLOAT64 the fewest digits that read back as the same double (`-3.2`), DATE32
 * `YYYY-MM-DD`, TIMESTAMP `YYYY-MM-DD HH:MM:SS[.ffffff]`, else (INT64) the integer.
 */
void qv_expr_value_text_(const qv_vec_ *v, qv_expr_type t, int64_t row, char *buf,
                         size_t size_bytes);

/**
 * A runtime fault at `row` of the batch caused by `value` (text, e.g. from
 * qv_expr_value_text_): sets ERANGE with `expression: <what> (<value>) at row <row> of the
 * batch`, the wording src/runtime/row-words.ts turns into words, and returns ERANGE.
 */
int qv_expr_fault_(qv_error *err, const char *what, const char *value, int64_t row);

#endif /* QUIVER_EXPR_INTERNAL_H */
