/*
 * join — a hash join of inputs `left` and `right` on one or more key pairs, written to `out`.
 *
 * Params (join.json): {"how": "inner" | "left" | "right" | "full" | "semi" | "anti",
 * "keys": [{"left": "origin", "right": "iata"}], "leftSuffix": "_left",
 * "rightSuffix": "_right", "build": "right" | "left"}.
 *
 * Semantics are SQL's (checked against DuckDB): a null key matches nothing, so such a row
 * appears only where its side is preserved (left/right/full) or in an anti join. Semi and anti
 * joins output the left rows that have (semi) or have not (anti) a match, each once.
 *
 * Output columns (join_layout.c): the left columns in order, then the right ones, as DuckDB's
 * `SELECT *` with `USING` for keys of the same name: a key pair with the same name and value
 * type on both sides is one column, in the left's position (the value of whichever side has the
 * row). A name found on both sides otherwise gets `leftSuffix` on the left and `rightSuffix` on
 * the right. Semi and anti joins output the left columns only.
 *
 * Algorithm: the `build` side (default right) is held whole (`qv_step_hold_input`; the manifest
 * says `"holdsInput"` for that port, so the host delivers it first), concatenated and indexed
 * by a chained hash table (join_table.h) when the first batch of the other, *probe*, side
 * arrives or at the end. Probe batches stream through: each probe row looks up its matches,
 * and the matched rows are gathered into output batches of at most JOIN_OUTPUT_ROWS rows.
 * Rows of the build side no probe row matched come at the end (right and full joins with the
 * right as build side, the reverse with the left; semi and anti joins with the left as build
 * side). Row order: probe order, each probe row's matches in build order, then the build rows
 * emitted at the end in build order.
 * Memory: the build side twice while it is concatenated, plus 13 bytes per build row and 4 per
 * hash bucket; the step logs what the table holds and the module's linear memory at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "join_layout.h"
#include "join_table.h"
#include "quiver.h"

/** Most rows per output record batch. */
#define JOIN_OUTPUT_ROWS 65536
/** Marks an absent row (that side's columns are null) in the pending rows. */
#define NONE UINT32_MAX

/** The step's state: one instance runs one step. */
static struct {
  jl_params p;
  const qv_schema *schemas[2];
  jl_layout layout;
  /** The build side's batches (shallow copies; the SDK keeps them until finish returns). */
  qv_batch *held;
  int64_t n_held, cap_held;
  jt_table table;
  bool built;
  /** Pending output rows: the row of each side (NONE: absent). */
  uint32_t *rows[2];
  int64_t n_out;
  int64_t probe_rows, out_rows;
} J;

/** Keeps a build-side batch (a shallow copy: the SDK keeps its buffers). */
static void hold(const qv_batch *batch) {
  if (J.n_held == J.cap_held) {
    int64_t cap = J.cap_held ? J.cap_held * 2 : 16;
    qv_batch *grown = realloc(J.held, (size_t)cap * sizeof *grown);
    if (grown == NULL) qv_fail("join: out of memory holding the %s input", jl_side_name(J.p.build));
    J.held = grown;
    J.cap_held = cap;
  }
  J.held[J.n_held++] = *batch;
}

/** Builds the hash table and opens the output, once. */
static int ensure_built(qv_step *step, qv_error *err) {
  if (J.built) return QV_OK;
  J.built = true;
  int b = J.p.build;
  jt_build(&J.table, J.schemas[b], J.held, J.n_held, J.p.pairs, J.p.n_pairs, b);
  J.rows[0] = qv_calloc_or_fail("join", JOIN_OUTPUT_ROWS, sizeof(uint32_t));
  J.rows[1] = qv_calloc_or_fail("join", JOIN_OUTPUT_ROWS, sizeof(uint32_t));
  qv_schema out;
  int rc = jl_output_schema(&J.layout, &J.p, J.schemas, &J.table.all, &out, err);
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  qv_schema_release(&out);
  return rc;
}

/** Writes the pending rows; the probe side's come from `probe` (NULL: none has one). */
static int flush(qv_step *step, const qv_batch *probe, qv_error *err) {
  if (J.n_out == 0) return QV_OK;
  const qv_batch *sides[2];
  sides[J.p.build] = &J.table.all;
  sides[1 - J.p.build] = probe;
  /* The side every pending row has: the probe side while probing, the build side after. */
  int present = probe != NULL ? 1 - J.p.build : J.p.build;
  const uint32_t *rows[2] = {J.rows[0], J.rows[1]};
  qv_batch out;
  int rc = jl_gather(&J.layout, &J.p, J.schemas, sides, rows, J.n_out, present, &out, err);
  if (rc == QV_OK) rc = qv_step_write(step, 0, &out, err);
  jl_gather_free(&J.layout, &out);
  J.out_rows += J.n_out;
  J.n_out = 0;
  return rc;
}

/** Adds an output row (`left`, `right`: rows of each side or NONE), writing a full batch. */
static int emit(qv_step *step, const qv_batch *probe, uint32_t left, uint32_t right,
                qv_error *err) {
  J.rows[0][J.n_out] = left;
  J.rows[1][J.n_out] = right;
  J.n_out++;
  return J.n_out == JOIN_OUTPUT_ROWS ? flush(step, probe, err) : QV_OK;
}

/** Probe row `i` of `batch`: its output rows, and its matches marked in the table. */
static int probe_row(qv_step *step, const qv_batch *batch, const jk_side *keys, int64_t i,
                     qv_error *err) {
  int p = 1 - J.p.build;
  uint64_t h;
  int64_t m = jk_hash(keys, i, &h) ? jt_first(&J.table, keys, i, h) : -1;
  if (J.p.semi_or_anti && p == JL_LEFT) { /* the left row once, or not */
    return (m >= 0) == J.p.semi ? emit(step, batch, (uint32_t)i, NONE, err) : QV_OK;
  }
  int rc = QV_OK;
  if (m < 0 && J.p.keep[p]) {
    rc = p == JL_LEFT ? emit(step, batch, (uint32_t)i, NONE, err)
                      : emit(step, batch, NONE, (uint32_t)i, err);
  }
  for (; rc == QV_OK && m >= 0; m = jt_next(&J.table, keys, i, h, m)) {
    J.table.matched[m] = 1;
    if (J.p.semi_or_anti) continue; /* build side on the left: emitted at the end */
    rc = p == JL_LEFT ? emit(step, batch, (uint32_t)i, (uint32_t)m, err)
                      : emit(step, batch, (uint32_t)m, (uint32_t)i, err);
  }
  return rc;
}

/** Streams one probe batch through the table. */
static int probe(qv_step *step, const qv_batch *batch, qv_error *err) {
  int rc = ensure_built(step, err);
  jk_side keys;
  jk_side_make(&keys, J.p.pairs, J.p.n_pairs, 1 - J.p.build, batch);
  for (int64_t i = 0; rc == QV_OK && i < batch->n_rows; i++) rc = probe_row(step, batch, &keys, i, err);
  if (rc == QV_OK) rc = flush(step, batch, err);
  jk_side_free(&keys);
  J.probe_rows += batch->n_rows;
  return rc;
}

/** The build rows output at the end: unmatched ones of a preserved build side, or the left
 * rows of a semi/anti join whose build side is the left. */
static int emit_build_rows(qv_step *step, qv_error *err) {
  int b = J.p.build;
  bool wanted_if_matched;
  if (J.p.semi_or_anti && b == JL_LEFT) wanted_if_matched = J.p.semi;
  else if (J.p.keep[b] && !J.p.semi_or_anti) wanted_if_matched = false;
  else return QV_OK;
  int rc = QV_OK;
  for (int64_t r = 0; rc == QV_OK && r < J.table.all.n_rows; r++) {
    if ((J.table.matched[r] != 0) != wanted_if_matched) continue;
    rc = b == JL_LEFT ? emit(step, NULL, (uint32_t)r, NONE, err)
                      : emit(step, NULL, NONE, (uint32_t)r, err);
  }
  return rc == QV_OK ? flush(step, NULL, err) : rc;
}

/** Logs what the build side holds (ABI: stdout becomes the step's log). */
static void report(void) {
  size_t linear = 0;
#ifdef __wasm__
  linear = __builtin_wasm_memory_size(0) * 65536;
#endif
  printf("join: %s input held: %lld rows in %lld batches, hash table %.1f MiB; %lld %s rows "
         "probed, %lld rows out; linear memory %.1f MiB\n",
         jl_side_name(J.p.build), (long long)J.table.all.n_rows, (long long)J.n_held,
         (double)J.table.size_bytes / 1048576.0, (long long)J.probe_rows,
         jl_side_name(1 - J.p.build), (long long)J.out_rows, (double)linear / 1048576.0);
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  J.schemas[JL_LEFT] = qv_step_input_schema(step, JL_LEFT);
  J.schemas[JL_RIGHT] = qv_step_input_schema(step, JL_RIGHT);
  int rc = jl_params_read(params, J.schemas, &J.p, err);
  if (rc == QV_OK) rc = jl_layout_make(&J.p, J.schemas, &J.layout, err);
  if (rc == QV_OK) rc = qv_step_hold_input(step, J.p.build, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "join: %s", err->message);
  return QV_OK;
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  if (port == J.p.build) {
    if (J.built) {
      return qv_error_set(err, EINVAL, "join: a batch of the %s input came after the %s input "
                          "started (the host must deliver the held input first)",
                          jl_side_name(port), jl_side_name(1 - port));
    }
    hold(in);
    return QV_OK;
  }
  int rc = probe(step, in, err);
  return rc == QV_OK ? QV_OK : qv_error_set(err, rc, "join: %s", err->message);
}

static int finish(qv_step *step, qv_error *err) {
  int rc = ensure_built(step, err);
  if (rc == QV_OK) rc = emit_build_rows(step, err);
  if (rc != QV_OK) return qv_error_set(err, rc, "join: %s", err->message);
  report();
  jt_free(&J.table);
  jl_layout_free(&J.layout);
  free(J.p.pairs);
  free(J.held);
  free(J.rows[0]);
  free(J.rows[1]);
  return QV_OK;
}

static const char *const inputs[] = {"left", "right"}, *const outputs[] = {"out"};
QV_MODULE(.id = "join", .inputs = inputs, .n_inputs = 2, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
