/*
 * Minimal FlatBuffers access for the Arrow IPC metadata: a bounds-checked reader (every
 * offset is checked against the buffer before it is followed, so hostile metadata cannot
 * make us read outside it) and a small forward builder. Internal to the SDK.
 *
 * Wire format (https://flatbuffers.dev/internals/): little-endian; the buffer starts with a
 * uint32 offset to the root table; a table starts with an int32 `soffset` such that its
 * vtable is at `table - soffset`; a vtable is uint16 [vtable size in bytes, table size in
 * bytes, field offsets...] where field offset 0 means "absent, use the default"; offset
 * fields (tables, vectors, strings) hold a uint32 relative to their own position; a vector
 * is a uint32 element count followed by the elements; a string is a byte vector plus a NUL.
 */
#ifndef QUIVER_FLATBUF_H
#define QUIVER_FLATBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/** A buffer being read. */
typedef struct fb_buf {
  const uint8_t *p;
  int64_t size;
} fb_buf;

/** A table inside a buffer: its position and the extent of its vtable. */
typedef struct fb_table {
  const fb_buf *buf;
  int64_t pos;
  int64_t vtable;
  int64_t vtable_size;
  int64_t table_size;
} fb_table;

/** A vector: `len` elements starting at `pos`. */
typedef struct fb_vec {
  const fb_buf *buf;
  int64_t pos;
  int64_t len;
} fb_vec;

static inline bool fb_in(const fb_buf *b, int64_t pos, int64_t n) {
  return pos >= 0 && n >= 0 && pos <= b->size && n <= b->size - pos;
}

static inline uint64_t fb_load(const fb_buf *b, int64_t pos, int n) {
  uint64_t v = 0;
  for (int k = n - 1; k >= 0; k--) v = (v << 8) | b->p[pos + k];
  return v;
}

/** Opens the table at `pos`. False if it or its vtable lies outside the buffer. */
static inline bool fb_table_at(const fb_buf *b, int64_t pos, fb_table *t) {
  if (!fb_in(b, pos, 4)) return false;
  int64_t soff = (int32_t)(uint32_t)fb_load(b, pos, 4);
  int64_t vt = pos - soff;
  if (!fb_in(b, vt, 4)) return false;
  int64_t vts = (int64_t)fb_load(b, vt, 2);
  int64_t ts = (int64_t)fb_load(b, vt + 2, 2);
  if (vts < 4 || (vts & 1) != 0 || !fb_in(b, vt, vts) || ts < 4 || !fb_in(b, pos, ts)) {
    return false;
  }
  t->buf = b;
  t->pos = pos;
  t->vtable = vt;
  t->vtable_size = vts;
  t->table_size = ts;
  return true;
}

/** Opens the root table. */
static inline bool fb_root(const fb_buf *b, fb_table *t) {
  if (!fb_in(b, 0, 4)) return false;
  return fb_table_at(b, (int64_t)fb_load(b, 0, 4), t);
}

/** Position of field `slot` (0-based) holding `width` bytes: 0 if absent, -1 if it would
 * lie outside the table. */
static inline int64_t fb_field(const fb_table *t, int slot, int width) {
  int64_t vo = 4 + 2 * (int64_t)slot;
  if (vo + 2 > t->vtable_size) return 0;
  int64_t off = (int64_t)fb_load(t->buf, t->vtable + vo, 2);
  if (off == 0) return 0;
  if (off < 4 || off + width > t->table_size) return -1;
  return t->pos + off;
}

/** Reads scalar field `slot` of `width` bytes (sign-extended if `is_signed`) into `*out`, or
 * `dflt` when absent. False if malformed. */
static inline bool fb_scalar(const fb_table *t, int slot, int width, bool is_signed,
                             int64_t dflt, int64_t *out) {
  int64_t at = fb_field(t, slot, width);
  if (at < 0) return false;
  if (at == 0) {
    *out = dflt;
    return true;
  }
  uint64_t v = fb_load(t->buf, at, width);
  if (is_signed && width < 8 && (v >> (width * 8 - 1)) & 1) v |= ~0ull << (width * 8);
  *out = (int64_t)v;
  return true;
}

/** Follows offset field `slot`: 1 and `*target` if present, 0 if absent, -1 if malformed. */
static inline int fb_offset(const fb_table *t, int slot, int64_t *target) {
  int64_t at = fb_field(t, slot, 4);
  if (at <= 0) return (int)at;
  int64_t tgt = at + (int64_t)fb_load(t->buf, at, 4);
  if (!fb_in(t->buf, tgt, 4)) return -1;
  *target = tgt;
  return 1;
}

/** Sub-table field: 1 present, 0 absent, -1 malformed. */
static inline int fb_subtable(const fb_table *t, int slot, fb_table *out) {
  int64_t tgt;
  int rc = fb_offset(t, slot, &tgt);
  if (rc <= 0) return rc;
  return fb_table_at(t->buf, tgt, out) ? 1 : -1;
}

/** Vector field of `elem_size`-byte elements: 1 present, 0 absent (empty), -1 malformed. */
static inline int fb_vector(const fb_table *t, int slot, int64_t elem_size, fb_vec *out) {
  out->buf = t->buf;
  out->pos = 0;
  out->len = 0;
  int64_t tgt;
  int rc = fb_offset(t, slot, &tgt);
  if (rc <= 0) return rc;
  int64_t len = (int64_t)fb_load(t->buf, tgt, 4);
  if (!fb_in(t->buf, tgt + 4, 0) || len > (t->buf->size - tgt - 4) / elem_size) return -1;
  out->pos = tgt + 4;
  out->len = len;
  return 1;
}

/** Table element `i` of a vector of tables. */
static inline bool fb_vec_table(const fb_vec *v, int64_t i, fb_table *out) {
  if (i < 0 || i >= v->len) return false;
  int64_t at = v->pos + 4 * i;
  return fb_table_at(v->buf, at + (int64_t)fb_load(v->buf, at, 4), out);
}

/** Signed 64-bit element of struct element `i` (of `stride` bytes) at byte `field_off`. */
static inline int64_t fb_vec_i64(const fb_vec *v, int64_t i, int64_t stride, int64_t field_off) {
  return (int64_t)fb_load(v->buf, v->pos + i * stride + field_off, 8);
}

/** String field: 1 present (`*s` not NUL-terminated, `*len` bytes), 0 absent, -1 malformed. */
static inline int fb_string(const fb_table *t, int slot, const char **s, int64_t *len) {
  fb_vec v;
  int rc = fb_vector(t, slot, 1, &v);
  if (rc <= 0) return rc;
  *s = (const char *)v.buf->p + v.pos;
  *len = v.len;
  return 1;
}

/* --- builder --------------------------------------------------------------------------- */

/** A growing output buffer. `failed` records an allocation failure; later calls do nothing. */
typedef struct fbb {
  uint8_t *p;
  int64_t size;
  int64_t cap;
  bool failed;
} fbb;

#define FBB_MAX_SLOTS 8

/** A table under construction: scalar values or placeholders for offset fields. */
typedef struct fbb_table {
  int n_slots;
  int width[FBB_MAX_SLOTS]; /* 0 = absent */
  uint64_t value[FBB_MAX_SLOTS];
  bool is_offset[FBB_MAX_SLOTS];
  int64_t at[FBB_MAX_SLOTS]; /* absolute position after fbb_end */
} fbb_table;

void fbb_init(fbb *b);
void fbb_free(fbb *b);
/** Makes room for `n` more bytes (see reserve() in flatbuf.c for the growth policy); false
 * (and `failed` set) when out of memory. */
bool fbb_reserve(fbb *b, int64_t n);
/** Pads with zeros until size % align == phase. */
void fbb_align(fbb *b, int64_t align, int64_t phase);
/** Appends raw bytes; returns their position. */
int64_t fbb_bytes(fbb *b, const void *data, int64_t n);
/** Starts a table; every field is absent. */
void fbb_begin(fbb_table *t);
/** Sets scalar field `slot` to the low `width` bytes of `v`. */
void fbb_scalar(fbb_table *t, int slot, int width, uint64_t v);
/** Declares offset field `slot`; patch it with fbb_patch after fbb_end. */
void fbb_offset_field(fbb_table *t, int slot);
/** Writes the vtable and table; returns the table position. */
int64_t fbb_end(fbb *b, fbb_table *t);
/** Points offset field `slot` of ended table `t` at position `target` (after it). */
void fbb_patch(fbb *b, const fbb_table *t, int slot, int64_t target);
/** Writes a uint32 at `at` (for vector-of-table elements). */
void fbb_patch_at(fbb *b, int64_t at, int64_t target);
/** Writes a string; returns its position. */
int64_t fbb_string(fbb *b, const char *s, int64_t len);
/** Writes a vector header for `n` elements of `elem_size` bytes aligned to `elem_align`;
 * returns the vector position (the elements follow at +4). */
int64_t fbb_vector(fbb *b, int64_t n, int64_t elem_size, int64_t elem_align);

#endif /* QUIVER_FLATBUF_H */
