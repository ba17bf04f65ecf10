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

#endif /* QUIVER_EXPR_INTERNAL_H */
