/*
 * join_layout.h — the join's parameters and its output: which column of which side each output
 * column is, its name (suffixes for clashing names), its type, and gathering output rows from
 * both sides. See join.c for the rules.
 */
#ifndef QUIVER_JOIN_LAYOUT_H
#define QUIVER_JOIN_LAYOUT_H

#include "../common/column_concat.h"
#include "join_keys.h"

/** Side indexes: input ports in manifest order. */
enum { JL_LEFT = 0, JL_RIGHT = 1 };

/** The parameters, checked against both input schemas. */
typedef struct jl_params {
  /** "inner", "left", "right", "full", "semi" or "anti" (borrowed from the params). */
  const char *how;
  /** Rows of this side without a match are kept, with the other side's columns null. */
  bool keep[2];
  /** Semi or anti join: left rows with (semi) or without a match, left columns only. */
  bool semi_or_anti;
  bool semi;
  /** The side held in memory and indexed (JL_LEFT or JL_RIGHT); the other streams. */
  int build;
  jk_pair *pairs; /* owned */
  int n_pairs;
  /** Suffixes for clashing names, per side (borrowed from the params). */
  const char *suffix[2];
} jl_params;

/** One output column. */
typedef struct jl_column {
  int side;
  int64_t column;
  /** A key of the same name and value type on both sides: one column, from the side present. */
  int merged_pair; /* index into pairs, or -1 */
  char *name;      /* owned */
} jl_column;

typedef struct jl_layout {
  jl_column *columns;
  int64_t n_columns;
  /** Per output column, the gathered column of the batch being written. */
  cc_column *gathered;
} jl_layout;

/** "left" or "right". */
const char *jl_side_name(int side);

/** Reads and checks the params against the schemas of both sides. EINVAL naming the
 * parameter and, for a missing column, the columns there are. */
int jl_params_read(const qv_json *params, const qv_schema *const schemas[2], jl_params *out,
                   qv_error *err);

/** The output columns and their names. EINVAL when two output columns get the same name. */
int jl_layout_make(const jl_params *p, const qv_schema *const schemas[2], jl_layout *out,
                   qv_error *err);

/** The output schema (`out` owned by the caller): build-side columns typed as the
 * concatenated `build_all` (a dictionary may have been decoded), the others as their input. */
int jl_output_schema(const jl_layout *l, const jl_params *p, const qv_schema *const schemas[2],
                     const qv_batch *build_all, qv_schema *out, qv_error *err);

/**
 * Gathers `n` output rows into `out` (free with jl_gather_free): row k takes row
 * `rows[s][k]` of `sides[s]` for each side s, or nulls when that is UINT32_MAX or `sides[s]`
 * is NULL. Merged keys come from side `present`, which every row has.
 */
int jl_gather(jl_layout *l, const jl_params *p, const qv_schema *const schemas[2],
              const qv_batch *const sides[2], const uint32_t *const rows[2], int64_t n,
              int present, qv_batch *out, qv_error *err);

void jl_gather_free(jl_layout *l, qv_batch *out);

void jl_layout_free(jl_layout *l);

#endif /* QUIVER_JOIN_LAYOUT_H */
