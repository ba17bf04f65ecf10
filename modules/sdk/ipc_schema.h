/* Arrow IPC Schema messages: decoding into a qv_schema (reader) and the Arrow `Type` union
 * numbering shared with the writer. Internal to the SDK. */
#ifndef QUIVER_IPC_SCHEMA_H
#define QUIVER_IPC_SCHEMA_H

#include "flatbuf.h"
#include "internal.h"

/** The dictionary id of a dictionary-encoded field (per field; unused for plain fields). */
typedef struct ipc_dict_ref {
  int64_t id;
} ipc_dict_ref;

/** Arrow's `Type` union tags (Schema.fbs). */
enum {
  ARROW_NULL = 1,
  ARROW_INT = 2,
  ARROW_FLOATING_POINT = 3,
  ARROW_BINARY = 4,
  ARROW_UTF8 = 5,
  ARROW_BOOL = 6,
  ARROW_DECIMAL = 7,
  ARROW_DATE = 8,
  ARROW_TIME = 9,
  ARROW_TIMESTAMP = 10,
  ARROW_INTERVAL = 11,
  ARROW_LIST = 12,
  ARROW_STRUCT = 13,
  ARROW_UNION = 14,
  ARROW_FIXED_SIZE_BINARY = 15,
  ARROW_FIXED_SIZE_LIST = 16,
  ARROW_MAP = 17,
  ARROW_DURATION = 18,
  ARROW_LARGE_BINARY = 19,
  ARROW_LARGE_UTF8 = 20,
  ARROW_LARGE_LIST = 21,
  ARROW_RUN_END_ENCODED = 22,
  ARROW_BINARY_VIEW = 23,
  ARROW_UTF8_VIEW = 24,
  ARROW_LIST_VIEW = 25,
  ARROW_LARGE_LIST_VIEW = 26
};

/**
 * Decodes a Schema table into `out` (owned by the caller) and `*refs` (heap, one per field,
 * owned by the caller). ENOTSUP names an unsupported type or feature and the field; EINVAL
 * for malformed metadata.
 */
int qv_ipc_parse_schema_(const fb_table *schema, qv_schema *out, ipc_dict_ref **refs,
                         qv_error *err);

#endif /* QUIVER_IPC_SCHEMA_H */
