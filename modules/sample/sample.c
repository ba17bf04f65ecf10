/*
 * sample — keeps a random sample of its input's rows, reproducibly: the same seed and the same
 * input give the same rows, in any run, ABI or machine.
 *
 * Params (see sample.json): {"rows": 100, "seed": 42} (exactly `rows` rows, or all rows when
 * the input is smaller) or {"fraction": 0.1, "seed": 42} (each row kept with that probability).
 *
 * Random numbers: SplitMix64 (G. Steele, D. Lea, C. Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), seeded with `seed`. A uniform double is the top 53 bits times
 * 2^-53; a uniform integer below `bound` is the high 64 bits of a 64x64-bit product (D. Lemire,
 * "Fast random integer generation in an interval", 2019, without its rejection step: the bias
 * is below bound / 2^64).
 *
 * - fraction: Bernoulli sampling, one draw per row in input order; rows stream through.
 * - rows: reservoir sampling, Algorithm R (J. S. Vitter, "Random sampling with a reservoir",
 *   ACM TOMS 11(1), 1985): the first n rows fill the reservoir; input row i (from 0) then
 *   replaces reservoir slot j = uniform(i + 1) when j < n. Every n-subset is equally likely.
 *   The reservoir keeps copies of its rows only (sample_store.c), not the input; the sample is
 *   written at the end in input order. Its columns are written plain (dictionaries decoded).
 *
 * Draws follow input row order, so the step sees its batches in order (not streamable).
 */
#include <stdlib.h>
#include <string.h>

#include "quiver.h"
#include "sample_store.h"

/** SplitMix64's state. */
static uint64_t state;
static double fraction; /* < 0: rows mode */
static int64_t capacity_rows;
static int64_t position; /* input rows seen so far */
static sample_store store;

static uint64_t next_random(void) {
  uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static uint64_t random_below(uint64_t bound) {
  return (uint64_t)(((unsigned __int128)next_random() * bound) >> 64);
}

static int begin(qv_step *step, const qv_json *params, qv_error *err) {
  static const char *const top[] = {"rows", "fraction", "seed"};
  int64_t seed;
  if (params->kind != QV_JSON_OBJECT) qv_fail("sample: parameters must be a JSON object");
  qv_require_members(params, "sample", "object", top, 3);
  if (qv_json_get_int64_or(params, "rows", -1, &capacity_rows, err) != QV_OK ||
      qv_json_get_double_or(params, "fraction", -1, &fraction, err) != QV_OK ||
      qv_json_get_int64_or(params, "seed", 42, &seed, err) != QV_OK)
    return qv_error_set(err, EINVAL, "sample: %s", err->message);
  if ((capacity_rows >= 0) == (fraction >= 0))
    qv_fail("sample: give exactly one of the parameters 'rows' and 'fraction'");
  if (fraction > 1) qv_fail("sample: parameter 'fraction' must be between 0 and 1, found %g", fraction);
  state = (uint64_t)seed;
  const qv_schema *schema = qv_step_input_schema(step, 0);
  qv_schema out;
  int rc = qv_schema_copy(schema, &out, err);
  if (capacity_rows >= 0)
    for (int64_t c = 0; c < out.n_fields; c++) out.fields[c].type.dictionary = false;
  if (rc == QV_OK) rc = qv_step_open_output(step, 0, &out, err);
  if (rc == QV_OK && capacity_rows >= 0) store_init(&store, &out, capacity_rows);
  qv_schema_release(&out);
  return rc != QV_OK ? qv_error_set(err, rc, "sample: %s", err->message) : QV_OK;
}

/** Bernoulli: writes the rows of `in` whose draw falls below the fraction. */
static int bernoulli(qv_step *step, const qv_batch *in, qv_error *err) {
  int64_t *rows = qv_calloc_or_fail("sample", (size_t)in->n_rows, sizeof *rows), n = 0;
  for (int64_t i = 0; i < in->n_rows; i++)
    if ((double)(next_random() >> 11) * 0x1p-53 < fraction) rows[n++] = i;
  qv_batch out;
  int rc = qv_batch_init(&out, in->n_columns, n, err);
  for (int64_t c = 0; rc == QV_OK && c < in->n_columns; c++)
    rc = qv_column_take(&in->columns[c], rows, n, &out.columns[c], err);
  if (rc == QV_OK && n > 0) rc = qv_step_write(step, 0, &out, err);
  qv_batch_release(&out);
  free(rows);
  return rc;
}

/** Algorithm R over the rows of `in`. */
static void reservoir(const qv_batch *in) {
  for (int64_t i = 0; i < in->n_rows; i++, position++) {
    if (position < capacity_rows) store_set(&store, position, position);
    else {
      uint64_t j = random_below((uint64_t)position + 1);
      if (j < (uint64_t)capacity_rows) store_set(&store, (int64_t)j, position);
    }
  }
  store_absorb(&store, in, position - in->n_rows);
}

static int batch(qv_step *step, int port, const qv_batch *in, qv_error *err) {
  (void)port;
  if (capacity_rows < 0) {
    int rc = bernoulli(step, in, err);
    return rc != QV_OK ? qv_error_set(err, rc, "sample: %s", err->message) : QV_OK;
  }
  reservoir(in);
  return QV_OK;
}

static int finish(qv_step *step, qv_error *err) {
  (void)err;
  if (capacity_rows >= 0) store_write(&store, step);
  return QV_OK;
}

static const char *const inputs[] = {"in"}, *const outputs[] = {"out"};
QV_MODULE(.id = "sample", .inputs = inputs, .n_inputs = 1, .outputs = outputs, .n_outputs = 1,
          .begin = begin, .batch = batch, .finish = finish)
