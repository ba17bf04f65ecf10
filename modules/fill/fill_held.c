/*
 * fill_held.c — up-fill and per-group fill (see fill.c): the input is copied batch by batch
 * (the SDK does not hold it), each row's group is found with a hash set of the group columns
 * (modules/common/row_set.h), and for each filled column a pass forward (down) or backward (up)
 * records, per group, the last non-null row seen; a null row takes that row's value.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/row_set.h"
#include "fill.h"

/** The copies: batches whose columns own their buffers; dictionary columns point at an owned
 * copy of their dictionary (in `dictionaries`). */
static qv_batch *held;
static qv_column ***dictionaries;
static int64_t n_held, capacity_held, n_rows;

/** An owned copy of `src` into `dst`; a dictionary column keeps its encoding. */
static void copy_column(const qv_column *src, qv_column *dst, qv_column **dictionary) {
  qv_error err;
  *dictionary = NULL;
  if (!src->type.dictionary || src->dictionary == NULL) {
    if (qv_column_decode_dictionary(src, dst, &err) != QV_OK) qv_fail("fill: %s", err.message);
    return;
  }
  int64_t *identity = qv_calloc_or_fail(MODULE, (size_t)src->length, sizeof *identity);
  for (int64_t i = 0; i < src->length; i++) identity[i] = i;
  *dictionary = qv_calloc_or_fail(MODULE, 1, sizeof **dictionary);
  if (qv_column_take(src, identity, src->length, dst, &err) != QV_OK ||
      qv_column_decode_dictionary(src->dictionary, *dictionary, &err) != QV_OK)
    qv_fail("fill: %s", err.message);
  dst->dictionary = *dictionary; /* the copy's, not the batch's (borrowed by the take) */
  free(identity);
}

void fill_held_keep(const qv_batch *in) {
  qv_error err;
  if (n_held == capacity_held) {
    capacity_held = capacity_held ? capacity_held * 2 : 16;
    held = realloc(held, (size_t)capacity_held * sizeof *held);
    dictionaries = realloc(dictionaries, (size_t)capacity_held * sizeof *dictionaries);
    if (held == NULL || dictionaries == NULL) qv_fail("fill: out of memory (%lld batches)", (long long)capacity_held);
  }
  qv_batch *copy = &held[n_held];
  dictionaries[n_held] = qv_calloc_or_fail(MODULE, (size_t)in->n_columns, sizeof **dictionaries);
  if (qv_batch_init(copy, in->n_columns, in->n_rows, &err) != QV_OK) qv_fail("fill: %s", err.message);
  for (int64_t c = 0; c < in->n_columns; c++)
    copy_column(&in->columns[c], &copy->columns[c], &dictionaries[n_held][c]);
  n_held++;
  n_rows += in->n_rows;
}

/** Each row's group number (all 0 without groups); `views` owned by the caller. */
static uint32_t *group_rows(ck_view **views, int64_t *n_groups) {
  uint32_t *gid = qv_calloc_or_fail(MODULE, (size_t)n_rows, sizeof *gid);
  rs_set set;
  rs_init(&set, plan.n_group_by, MODULE);
  int64_t at = 0;
  for (int64_t b = 0; b < n_held; b++) {
    views[b] = qv_calloc_or_fail(MODULE, (size_t)plan.n_group_by, sizeof **views);
    for (int k = 0; k < plan.n_group_by; k++) views[b][k] = ck_view_make(&held[b].columns[plan.group_by[k]]);
    for (int64_t r = 0; r < held[b].n_rows; r++) {
      bool added;
      gid[at++] = plan.n_group_by > 0 ? (uint32_t)rs_find_or_add(&set, views[b], r, &added) : 0;
    }
  }
  *n_groups = plan.n_group_by > 0 ? set.n_entries : 1;
  rs_free(&set);
  return gid;
}

/** For column `c`: per row (global), the batch and row whose value fills it (-1: none). */
static void find_sources(int64_t c, const uint32_t *gid, int64_t n_groups, int64_t *src_batch,
                         int64_t *src_row) {
  int64_t *last_batch = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *last_batch);
  int64_t *last_row = qv_calloc_or_fail(MODULE, (size_t)n_groups, sizeof *last_row);
  for (int64_t g = 0; g < n_groups; g++) last_batch[g] = -1;
  bool up = plan.mode == FILL_UP;
  int64_t at = up ? n_rows : 0;
  for (int64_t k = 0; k < n_held; k++) {
    int64_t b = up ? n_held - 1 - k : k;
    const qv_column *col = &held[b].columns[c];
    for (int64_t j = 0; j < held[b].n_rows; j++) {
      int64_t r = up ? held[b].n_rows - 1 - j : j, i = up ? --at : at++;
      uint32_t g = gid[i];
      if (!qv_column_is_null(col, r)) last_batch[g] = b, last_row[g] = r;
      src_batch[i] = last_batch[g];
      src_row[i] = last_row[g];
    }
  }
  free(last_batch);
  free(last_row);
}

/** Writes held batch `b` (its rows start at global row `at`) with the filled columns. */
static void write_batch(qv_step *step, int64_t b, int64_t at, int64_t **src_batch,
                        int64_t **src_row) {
  qv_error err;
  const qv_batch *in = &held[b];
  qv_batch out;
  if (qv_batch_init(&out, in->n_columns, in->n_rows, &err) != QV_OK) qv_fail("fill: %s", err.message);
  for (int64_t c = 0; c < in->n_columns; c++) {
    if (!plan.filled[c]) {
      qv_column_borrow(&in->columns[c], &out.columns[c]);
      continue;
    }
    qv_builder *builder;
    int rc = qv_builder_new(fill_output_type(c), in->n_rows, &builder, &err);
    for (int64_t r = 0; rc == QV_OK && r < in->n_rows; r++) {
      int64_t sb = src_batch[c][at + r];
      rc = sb < 0 ? qv_builder_append_null(builder, &err)
                  : qv_builder_append_from(builder, &held[sb].columns[c], src_row[c][at + r], &err);
    }
    if (rc == QV_OK) rc = qv_builder_finish(builder, &out.columns[c], &err);
    else qv_builder_free(builder);
    if (rc != QV_OK) qv_fail("fill: column \"%s\": %s", plan.schema->fields[c].name, err.message);
  }
  if (qv_step_write(step, 0, &out, &err) != QV_OK) qv_fail("fill: %s", err.message);
  qv_batch_release(&out);
}

void fill_held_finish(qv_step *step) {
  int64_t n_fields = plan.schema->n_fields, n_groups;
  ck_view **views = qv_calloc_or_fail(MODULE, (size_t)n_held, sizeof *views);
  uint32_t *gid = group_rows(views, &n_groups);
  int64_t **src_batch = qv_calloc_or_fail(MODULE, (size_t)n_fields, sizeof *src_batch);
  int64_t **src_row = qv_calloc_or_fail(MODULE, (size_t)n_fields, sizeof *src_row);
  for (int64_t c = 0; c < n_fields; c++) {
    if (!plan.filled[c]) continue;
    src_batch[c] = qv_calloc_or_fail(MODULE, (size_t)n_rows, sizeof **src_batch);
    src_row[c] = qv_calloc_or_fail(MODULE, (size_t)n_rows, sizeof **src_row);
    find_sources(c, gid, n_groups, src_batch[c], src_row[c]);
  }
  for (int64_t b = 0, at = 0; b < n_held; at += held[b].n_rows, b++) write_batch(step, b, at, src_batch, src_row);
  for (int64_t c = 0; c < n_fields; c++) free(src_batch[c]), free(src_row[c]);
  for (int64_t b = 0; b < n_held; b++) {
    qv_batch_release(&held[b]);
    for (int64_t c = 0; c < n_fields; c++) {
      if (dictionaries[b][c] != NULL) qv_column_release(dictionaries[b][c]);
      free(dictionaries[b][c]);
    }
    free(dictionaries[b]), free(views[b]);
  }
  free(src_batch), free(src_row), free(gid), free(views), free(held), free(dictionaries);
}
