/* fuzz_csv.h — entry points of fuzz_csv.c shared with the native replay harness. */
#ifndef FUZZ_CSV_H
#define FUZZ_CSV_H

#include <stddef.h>
#include <stdint.h>

/**
 * Parses `size_bytes` bytes of CSV with the options encoded in `flags` (see fuzz_csv.c),
 * checking every batch against Arrow's layout rules (abort on a broken rule). Writes a
 * one-line summary ("ok rows=.. columns=.." or "error <code>: <message>") into `summary`.
 * Returns 0 when parsed, else the parser's error code.
 */
int csv_fuzz_run(const uint8_t *data, size_t size_bytes, uint8_t flags, char *summary,
                 size_t summary_size_bytes);

/** As csv_fuzz_run, but feeds the input in chunks cut at the `n_cuts` ascending offsets
 * `cuts` (each at most `size_bytes`). The summary also carries a digest of every name,
 * type and value the sink received, so equal summaries mean equal tables. */
int csv_fuzz_run_chunks(const uint8_t *data, size_t size_bytes, uint8_t flags,
                        const size_t *cuts, size_t n_cuts, char *summary,
                        size_t summary_size_bytes);

/** libFuzzer entry point: the first byte is `flags`, the rest the CSV. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* FUZZ_CSV_H */
