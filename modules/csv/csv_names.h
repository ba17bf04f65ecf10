/*
 * csv_names.h — column names of the csv module: from a header record, or generated.
 */
#ifndef CSV_NAMES_H
#define CSV_NAMES_H

#include <stddef.h>

#include "csv_parse.h"

/** Longest column name kept, in bytes; longer header fields are cut on a character boundary. */
#define CSV_NAME_MAX_BYTES 1024

/**
 * Names from the `n` header fields: valid UTF-8 (invalid bytes and NULs become U+FFFD), an
 * empty name becomes column_<i> (1-based), and a name equal to an earlier one gets the first
 * free suffix _1, _2, ... (as DuckDB's read_csv does). Returns an array of `n` NUL-terminated
 * strings owned by the caller (csv_names_free), or NULL when out of memory.
 */
char **csv_names_from_header(const csv_field *fields, size_t n);

/** Names column_1 .. column_<n>; ownership as csv_names_from_header. */
char **csv_names_generated(size_t n);

/** Frees an array from the functions above. */
void csv_names_free(char **names, size_t n);

#endif /* CSV_NAMES_H */
