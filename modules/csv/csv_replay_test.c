/*
 * csv_replay_test.c — native harness: runs the csv parser (through fuzz_csv.c) over files,
 * each with several option sets, printing one summary line per run:
 *   <file>\t<flags>\t<summary>
 * Build with sanitizers, e.g.
 *   clang-19 -fsanitize=address,undefined -fno-sanitize-recover=all \
 *     modules/csv/fuzz_csv.c modules/csv/csv_replay_test.c -o csv_replay
 * Exits 2 when a file cannot be read; a sanitizer report aborts with its own status.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_csv.h"
#include "csv_test_file.h"

/* Option sets (see csv_fuzz_run): defaults; skip mode with tiny batches and a 1-row
 * sample; no header with backslash escapes; TSV; single quotes, all-rows inference. */
static const uint8_t kFlagSets[] = {0x00, 0xC0, 0x30, 0x01, 0x84};

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    size_t size = 0;
    unsigned char *data = read_file(argv[i], &size);
    if (!data) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
    for (size_t k = 0; k < sizeof kFlagSets; k++) {
      char summary[512];
      /* An exact-size copy, so AddressSanitizer catches any read past the end. */
      unsigned char *exact = malloc(size ? size : 1);
      if (!exact) return 2;
      for (size_t b = 0; b < size; b++) exact[b] = data[b];
      csv_fuzz_run(exact, size, kFlagSets[k], summary, sizeof summary);
      free(exact);
      printf("%s\t0x%02x\t%s\n", argv[i], kFlagSets[k], summary);
    }
    free(data);
  }
  return 0;
}
