/*
 * expr.h — evaluator for Quiver's compiled expressions (used by the filter and derive modules).
 *
 * The host parses and type-checks an expression (src/pipeline/expression) and puts the
 * compiled form in the step's params as `compiled`: {"version": 1, "source": "...",
 * "expr": <node>}. A node is one of
 *   {"kind": "column",  "type": T, "index": i, "name": "..."}
 *   {"kind": "literal", "type": T, "value": v}      (int64/timestamp: decimal string;
 *                                                     float64: number; bool; utf8: string;
 *                                                     date32: integer days; null: typed null)
 *   {"kind": "call",    "type": T, "fn": "add", "args": [<node>, ...]}
 * (add, sub, mul, div, and, or take two or more arguments, folded left to right)
 * with T one of int64, float64, bool, utf8, date32, timestamp (µs since the epoch, UTC).
 * Every implicit conversion is an explicit "cast" call, so this evaluator infers nothing:
 * it checks that every node's declared types agree with its function's signature and refuses
 * the program otherwise (EINVAL naming the node), so hostile params cannot confuse it.
 *
 * Evaluation is vectorised: each node computes a whole column for a record batch. Nulls follow
 * SQL: arithmetic, comparison and functions propagate null; && || ! use three-valued logic;
 * is_null/is_not_null, coalesce and if decide from nulls. Runtime faults that DuckDB also
 * raises (int64 overflow, sqrt of a negative, ln of a non-positive) fail with ERANGE naming
 * the function and the row.
 *
 * Ownership: a qv_expr is owned by the caller (qv_expr_free); it borrows nothing from the
 * JSON tree it was compiled from.
 */
#ifndef QUIVER_EXPR_H
#define QUIVER_EXPR_H

#include "expr_catalog.h"
#include "quiver.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Value types of expressions. */
typedef enum qv_expr_type {
  QV_EXPR_INT64 = 0,
  QV_EXPR_FLOAT64,
  QV_EXPR_BOOL,
  QV_EXPR_UTF8,
  QV_EXPR_DATE32,
  QV_EXPR_TIMESTAMP, /* microseconds since 1970-01-01T00:00:00Z */
  QV_EXPR_TYPE_COUNT_
} qv_expr_type;

/** A compiled, checked expression (opaque). Owned by the caller; free with qv_expr_free. */
typedef struct qv_expr qv_expr;

/* QV_EXPR_MAX_DEPTH, QV_EXPR_MAX_ARGS, QV_EXPR_MAX_NODES: limits of the compiled form. */

/**
 * Compiles the `compiled` params object (borrowed) against the input `schema` (borrowed).
 * Checks the version, every node's shape and types, and that each column reference names a
 * field of `schema` at that index whose type reads as the declared expression type (a stale
 * compiled form is refused). `*out` is owned by the caller. EINVAL with a message naming the
 * problem, ENOMEM.
 */
int qv_expr_compile(const qv_json *compiled, const qv_schema *schema, qv_expr **out,
                    qv_error *err);

/** The result type of the expression. */
qv_expr_type qv_expr_result_type(const qv_expr *expr);

/** The SDK column type in which qv_expr_eval returns a result of type `type` (TIMESTAMP in
 * microseconds without a time zone). */
qv_type qv_expr_column_type(qv_expr_type type);

/** Lower-case name of an expression type ("int64", ...); a static string. */
const char *qv_expr_type_name(qv_expr_type type);

/**
 * Evaluates `expr` over `batch` (borrowed; its columns must follow the schema given to
 * qv_expr_compile) into `*out`, a new column of `batch->n_rows` rows of type
 * qv_expr_column_type(result type), owned by the caller (qv_column_release). ERANGE for a
 * runtime fault (message names the fault, the value(s) and the row), ENOMEM.
 */
int qv_expr_eval(const qv_expr *expr, const qv_batch *batch, qv_column *out, qv_error *err);

/**
 * For a boolean expression: the rows of `batch` where it is TRUE (SQL WHERE semantics), in
 * order. `*out_rows` (caller-owned, free()) gets `*out_n_rows` row indices; it may be NULL
 * when none. EINVAL if the expression is not boolean; else as qv_expr_eval.
 */
int qv_expr_select_rows(const qv_expr *expr, const qv_batch *batch, int64_t **out_rows,
                        int64_t *out_n_rows, qv_error *err);

/** Frees a compiled expression. NULL is allowed. */
void qv_expr_free(qv_expr *expr);

#ifdef __cplusplus
}
#endif

#endif /* QUIVER_EXPR_H */
