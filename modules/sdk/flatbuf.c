/* The forward FlatBuffers builder of flatbuf.h. Children are written after their parents,
 * since FlatBuffers offsets are unsigned and point forward; the root offset is written first
 * by the caller. */
#include <stdlib.h>

#include "flatbuf.h"

void fbb_init(fbb *b) {
  memset(b, 0, sizeof *b);
}

void fbb_free(fbb *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* Growth: an empty buffer that is too small is replaced by one of exactly the size asked
 * (nothing to copy, and a reused output buffer does not end up twice the largest message);
 * a buffer holding bytes doubles, so appends stay amortised O(1). */
static bool reserve(fbb *b, int64_t n) {
  if (b->failed) return false;
  if (n < 0 || b->size > ((int64_t)1 << 40) - n) {
    b->failed = true;
    return false;
  }
  int64_t need = b->size + n;
  if (need <= b->cap) return true;
  int64_t cap = b->cap < 256 ? 256 : b->cap;
  uint8_t *p;
  if (b->size == 0) {
    cap = need < 256 ? 256 : need;
    free(b->p);
    b->p = NULL;
    b->cap = 0;
    p = malloc((size_t)cap);
  } else {
    while (cap < need) cap *= 2;
    p = realloc(b->p, (size_t)cap);
  }
  if (p == NULL) {
    b->failed = true;
    return false;
  }
  b->p = p;
  b->cap = cap;
  return true;
}

bool fbb_reserve(fbb *b, int64_t n) {
  return reserve(b, n);
}

static void put(fbb *b, int64_t at, uint64_t v, int width) {
  if (b->failed) return;
  for (int k = 0; k < width; k++) b->p[at + k] = (uint8_t)(v >> (8 * k));
}

void fbb_align(fbb *b, int64_t align, int64_t phase) {
  while (!b->failed && b->size % align != phase) {
    if (!reserve(b, 1)) return;
    b->p[b->size++] = 0;
  }
}

int64_t fbb_bytes(fbb *b, const void *data, int64_t n) {
  int64_t at = b->size;
  if (!reserve(b, n)) return at;
  if (n > 0) memcpy(b->p + at, data, (size_t)n);
  b->size += n;
  return at;
}

static int64_t put_new(fbb *b, uint64_t v, int width) {
  int64_t at = b->size;
  if (!reserve(b, width)) return at;
  put(b, at, v, width);
  b->size += width;
  return at;
}

void fbb_begin(fbb_table *t) {
  memset(t, 0, sizeof *t);
}

void fbb_scalar(fbb_table *t, int slot, int width, uint64_t v) {
  t->width[slot] = width;
  t->value[slot] = v;
  if (slot + 1 > t->n_slots) t->n_slots = slot + 1;
}

void fbb_offset_field(fbb_table *t, int slot) {
  fbb_scalar(t, slot, 4, 0);
  t->is_offset[slot] = true;
}

int64_t fbb_end(fbb *b, fbb_table *t) {
  /* Table layout: int32 soffset, then fields by decreasing width, each naturally aligned
   * relative to a table start aligned to 8. */
  int64_t off[FBB_MAX_SLOTS] = {0};
  int64_t table_size = 4;
  for (int w = 8; w >= 1; w /= 2) {
    for (int s = 0; s < t->n_slots; s++) {
      if (t->width[s] != w) continue;
      while (table_size % w != 0) table_size++;
      off[s] = table_size;
      table_size += w;
    }
  }
  while (table_size % 4 != 0) table_size++;
  int64_t vt_size = 4 + 2 * (int64_t)t->n_slots;
  fbb_align(b, 2, 0);
  /* Place the vtable so that the table after it starts 8-aligned. */
  while (!b->failed && (b->size + vt_size) % 8 != 0) put_new(b, 0, 2);
  int64_t vt = put_new(b, (uint64_t)vt_size, 2);
  put_new(b, (uint64_t)table_size, 2);
  for (int s = 0; s < t->n_slots; s++) put_new(b, (uint64_t)off[s], 2);
  int64_t pos = b->size;
  if (!reserve(b, table_size)) return pos;
  memset(b->p + pos, 0, (size_t)table_size);
  b->size += table_size;
  put(b, pos, (uint64_t)(uint32_t)(int32_t)(pos - vt), 4);
  for (int s = 0; s < t->n_slots; s++) {
    if (t->width[s] == 0) continue;
    t->at[s] = pos + off[s];
    if (!t->is_offset[s]) put(b, pos + off[s], t->value[s], t->width[s]);
  }
  return pos;
}

void fbb_patch(fbb *b, const fbb_table *t, int slot, int64_t target) {
  fbb_patch_at(b, t->at[slot], target);
}

void fbb_patch_at(fbb *b, int64_t at, int64_t target) {
  put(b, at, (uint64_t)(target - at), 4);
}

int64_t fbb_string(fbb *b, const char *s, int64_t len) {
  fbb_align(b, 4, 0);
  int64_t at = put_new(b, (uint64_t)len, 4);
  fbb_bytes(b, s, len);
  put_new(b, 0, 1);
  return at;
}

int64_t fbb_vector(fbb *b, int64_t n, int64_t elem_size, int64_t elem_align) {
  (void)elem_size;
  fbb_align(b, elem_align < 4 ? 4 : elem_align, (elem_align < 4 ? 4 : elem_align) - 4);
  return put_new(b, (uint64_t)n, 4);
}
