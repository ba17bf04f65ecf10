/*
 * Internal representation shared by expr.c (compile and check) and expr_eval.c (evaluate).
 * Not part of the public API.
 */
#ifndef QUIVER_EXPR_INTERNAL_H
#define QUIVER_EXPR_INTERNAL_H

#include "expr.h"

/** Node operations: the compiled form's kinds and `fn` names. */
typedef enum qv_expr_op_ {
  QV_OP_COLUMN_ = 0,
  QV_OP_LITERAL_,
  QV_OP_ADD_,
  QV_OP_SUB_,
  QV_OP_MUL_,
  QV_OP_DIV_,
  QV_OP_MOD_,
  QV_OP_NEG_,
  QV_OP_EQ_,
  QV_OP_NE_,
  QV_OP_LT_,
  QV_OP_LE_,
  QV_OP_GT_,
  QV_OP_GE_,
  QV_OP_AND_,
  QV_OP_OR_,
  QV_OP_NOT_,
  QV_OP_IS_NULL_,
  QV_OP_IS_NOT_NULL_,
  QV_OP_CAST_,
  QV_OP_ABS_,
  QV_OP_FLOOR_,
  QV_OP_CEIL_,
  QV_OP_ROUND_,
  QV_OP_SQRT_,
  QV_OP_LN_,
  QV_OP_EXP_,
  QV_OP_POW_,
  QV_OP_LOWER_,
  QV_OP_UPPER_,
  QV_OP_LENGTH_,
  QV_OP_CONTAINS_,
  QV_OP_STARTS_WITH_,
  QV_OP_YEAR_,
  QV_OP_MONTH_,
  QV_OP_DAY_,
  QV_OP_HOUR_,
  QV_OP_COALESCE_,
  QV_OP_IF_,
  QV_OP_COUNT_
} qv_expr_op_;

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
