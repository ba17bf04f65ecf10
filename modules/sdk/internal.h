/*
 * Internal helpers shared by the SDK's .c files. Not part of the public API: modules include
 * only quiver.h.
 */
#ifndef QUIVER_INTERNAL_H
#define QUIVER_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "quiver.h"

/** What a qv_column owns (qv_column.owned_): up to four heap buffers and a heap dictionary. */
typedef struct qv_owned_ {
  void *buffers[4];
  qv_column *dictionary;
} qv_owned_;

/** Attaches heap buffer `p` to `col`'s owned set (allocating the set if needed). On ENOMEM
 * frees `p` and returns ENOMEM. `p` may be NULL (no-op). */
int qv_column_own_(qv_column *col, void *p, qv_error *err);

/** Attaches heap column `dict` (already holding its own buffers) as `col`'s owned dictionary
 * and points col->dictionary at it. On ENOMEM releases and frees `dict`. */
int qv_column_own_dictionary_(qv_column *col, qv_column *dict, qv_error *err);

/** Bit i of a LSB-first bitmap. */
static inline bool qv_bit_(const uint8_t *bits, int64_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}

/** Number of bytes of a bitmap of `n_bits` bits. */
static inline int64_t qv_bitmap_size_bytes_(int64_t n_bits) {
  return (n_bits + 7) / 8;
}

/** Counts zero bits among the first `n_bits` bits of `bits`. */
int64_t qv_count_unset_bits_(const uint8_t *bits, int64_t n_bits);

/** Dictionary index `i` of a dictionary column (raw value of its index type, widened). The
 * row must be in range and valid. */
int64_t qv_dictionary_index_(const qv_column *col, int64_t i);

/** For row `i` of `col`, the plain column and row (`*i` updated) holding its value, following
 * the dictionary. NULL if the row is null or out of range. */
const qv_column *qv_locate_(const qv_column *col, int64_t *i);

/** EINVAL unless every valid index of dictionary column `col` is inside its (already
 * validated) dictionary. */
int qv_dictionary_indices_validate_(const qv_column *col, qv_error *err);

/** A view of a dictionary column's indices as a plain integer column (borrowed). */
void qv_dictionary_indices_view_(const qv_column *col, qv_column *out);

/** Overflow-checked a*b and a+b for non-negative sizes; false on overflow. */
static inline bool qv_mul_size_(int64_t a, int64_t b, int64_t *out) {
  return !__builtin_mul_overflow(a, b, out);
}
static inline bool qv_add_size_(int64_t a, int64_t b, int64_t *out) {
  return !__builtin_add_overflow(a, b, out);
}

/** Reads the whole file at `path` into a fresh heap buffer (`*out` owned by the caller, with
 * a NUL byte appended that `*out_size_bytes` does not count). ENOENT/EIO/ENOMEM/EOVERFLOW. */
int qv_read_file_(const char *path, uint8_t **out, int64_t *out_size_bytes, qv_error *err);

/** EINVAL unless `t` is a valid type; `name` is the field named in the message. */
int qv_type_check_(const qv_type *t, const char *name, qv_error *err);

/* --- ABI v2: input pushed in blocks, output drained by the host (step_v2.c) ----------- */

/** Opens a reader on a block holding one port's Schema message and nothing else (EINVAL
 * otherwise). The schema is copied: the block may be freed on return. Then feed the next
 * blocks with qv_reader_feed_. `*out` is owned by the caller (qv_reader_close). */
int qv_reader_open_block_(const uint8_t *data, int64_t size_bytes, qv_reader **out,
                          qv_error *err);

/** Makes `data` (whole IPC messages, borrowed) the reader's next bytes: qv_reader_next reads
 * its messages and reports the end when the block is used up. */
void qv_reader_feed_(qv_reader *r, const uint8_t *data, int64_t size_bytes);

/** Before the fed block is freed: gives every dictionary still pointing into it its own copy,
 * and forgets the block. `batches_alive` false says no batch returned so far is still in use
 * (so replaced dictionaries can be freed now). ENOMEM. */
int qv_reader_detach_(qv_reader *r, bool batches_alive, qv_error *err);

/** The bytes a memory writer holds (borrowed; valid until the next write or clear). */
void qv_writer_pending_(const qv_writer *w, const uint8_t **out_data, int64_t *out_size_bytes);

/** Forgets the bytes a memory writer holds, keeping its buffer for the next messages. */
void qv_writer_clear_pending_(qv_writer *w);

/** An aligned, zero-filled empty buffer for zero-length columns (never written). */
extern const uint64_t qv_empty_buffer_[2];

#endif /* QUIVER_INTERNAL_H */
