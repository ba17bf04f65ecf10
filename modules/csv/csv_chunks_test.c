/*
 * csv_chunks_test.c — native harness: the csv parser fed in chunks must give the same table
 * as the whole-buffer parse (same outcome, error, batches, names, types and values; see
 * csv_fuzz_run_chunks), for every file given, with each option set of csv_replay_test.c.
 * Cuts: every byte position as a two-chunk split (files up to about 2 KB; evenly spread
 * positions within SPLIT_BUDGET_BYTES for larger ones), one-byte chunks throughout (files up
 * to 256 KiB), and 8 random splits into chunks of 1..64 and 1..65536 bytes. Build as csv_replay_test.c:
 *   clang-19 -fsanitize=address,undefined -fno-sanitize-recover=all \
 *     modules/csv/fuzz_csv.c modules/csv/csv_chunks_test.c -o csv_chunks
 * Prints one line per file and option set (<file>\t<flags>\t<splits> splits agree) and exits 0;
 * on a difference prints both summaries and the cuts' description to stderr and exits 1;
 * exits 2 when a file cannot be read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_csv.h"
#include "csv_test_file.h"

static const uint8_t kFlagSets[] = {0x00, 0xC0, 0x30, 0x01, 0x84};

/* Bytes parsed per file and option set for the two-chunk splits, at most (keeps the
 * sanitizer build fast on megabyte files). */
#define SPLIT_BUDGET_BYTES ((size_t)4 << 20)

/* Largest file also fed one byte at a time. */
#define ONE_BYTE_CHUNKS_MAX_BYTES ((size_t)256 << 10)

/* xorshift64: reproducible cuts. */
static uint64_t next_random(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

typedef struct run_ctx {
  const char *path;
  const uint8_t *data;
  size_t size;
  uint8_t flags;
  char whole[1024];
  long splits;
} run_ctx;

/* Parses with `cuts` and compares with the whole-buffer summary; false on a difference. */
static bool agrees(run_ctx *c, const size_t *cuts, size_t n_cuts, const char *how) {
  char chunked[1024];
  csv_fuzz_run_chunks(c->data, c->size, c->flags, cuts, n_cuts, chunked, sizeof chunked);
  c->splits++;
  if (strcmp(c->whole, chunked) == 0) return true;
  fprintf(stderr, "%s\t0x%02x\t%s\n  whole:   %s\n  chunked: %s\n", c->path, c->flags, how,
          c->whole, chunked);
  return false;
}

static bool check_file(run_ctx *c, size_t *cuts) {
  csv_fuzz_run(c->data, c->size, c->flags, c->whole, sizeof c->whole);
  char how[96];
  /* Two chunks, cut at every position (or evenly spread ones within the budget). */
  size_t step = c->size / (SPLIT_BUDGET_BYTES / (c->size + 1) + 1) + 1;
  for (size_t at = 0; at <= c->size; at += step) {
    snprintf(how, sizeof how, "two chunks cut at %zu", at);
    if (!agrees(c, &at, 1, how)) return false;
  }
  /* One byte at a time (larger files get the random 1..64-byte chunks below instead). */
  if (c->size <= ONE_BYTE_CHUNKS_MAX_BYTES) {
    for (size_t i = 0; i + 1 < c->size; i++) cuts[i] = i + 1;
    if (!agrees(c, cuts, c->size > 1 ? c->size - 1 : 0, "one-byte chunks")) return false;
  }
  /* Random chunk sizes. */
  uint64_t seed = 0x9E3779B97F4A7C15ull ^ c->size ^ ((uint64_t)c->flags << 32);
  for (int round = 0; round < 8; round++) {
    size_t max_chunk = round % 2 ? 65536 : 64, n = 0;
    for (size_t at = 0;;) {
      at += 1 + next_random(&seed) % max_chunk;
      if (at >= c->size) break;
      cuts[n++] = at;
    }
    snprintf(how, sizeof how, "random chunks of 1..%zu bytes, round %d", max_chunk, round);
    if (!agrees(c, cuts, n, how)) return false;
  }
  return true;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    run_ctx c = {.path = argv[i]};
    unsigned char *data = read_file(argv[i], &c.size);
    if (!data) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
    /* An exact-size copy, so AddressSanitizer catches any read past the end. */
    unsigned char *exact = malloc(c.size ? c.size : 1);
    size_t *cuts = malloc((c.size + 1) * sizeof *cuts);
    if (!exact || !cuts) return 2;
    memcpy(exact, data, c.size);
    c.data = exact;
    bool ok = true;
    for (size_t k = 0; ok && k < sizeof kFlagSets; k++) {
      c.flags = kFlagSets[k];
      c.splits = 0;
      ok = check_file(&c, cuts);
      if (ok) printf("%s\t0x%02x\t%ld splits agree\n", argv[i], c.flags, c.splits);
    }
    free(cuts);
    free(exact);
    free(data);
    if (!ok) return 1;
  }
  return 0;
}
