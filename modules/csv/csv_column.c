/* csv_column.c — Arrow-layout column buffers for the csv module; see csv_column.h. */
#include "csv_column.h"

#include <stdlib.h>
#include <string.h>

static size_t value_width_bytes(csv_kind kind) {
  switch (kind) {
  case CSV_KIND_INT64:
  case CSV_KIND_FLOAT64:
  case CSV_KIND_TIMESTAMP:
  case CSV_KIND_TIMESTAMP_TZ:
    return 8;
  case CSV_KIND_DATE32:
    return 4;
  default:
    return 0; /* BOOL is bit-packed, UTF8 has offsets, NULL has no values */
  }
}

void csv_column_clear(csv_column_buffers *col, csv_kind kind) {
  col->kind = kind;
  col->n_rows = 0;
  col->null_count = 0;
  col->data_size_bytes = 0;
  /* Bitmaps are filled by OR-ing bits in, so they start zeroed. */
  if (col->validity) memset(col->validity, 0, (col->rows_capacity + 7) / 8);
  if (col->values && kind == CSV_KIND_BOOL) memset(col->values, 0, (col->rows_capacity + 7) / 8);
  if (col->offsets) col->offsets[0] = 0;
}

bool csv_column_reserve(csv_column_buffers *col, size_t rows) {
  if (rows <= col->rows_capacity && col->offsets) return true;
  size_t cap = col->rows_capacity ? col->rows_capacity : 64;
  while (cap < rows) cap *= 2;
  size_t old_bitmap = col->rows_capacity ? (col->rows_capacity + 7) / 8 : 0;
  size_t bitmap = (cap + 7) / 8;
  uint8_t *validity = realloc(col->validity, bitmap);
  if (!validity) return false;
  col->validity = validity;
  memset(validity + old_bitmap, 0, bitmap - old_bitmap);
  /* Values are sized for the widest layout, so a column may change kind between batches. */
  uint8_t *values = realloc(col->values, cap * 8);
  if (!values) return false;
  col->values = values;
  if (col->kind == CSV_KIND_BOOL) memset(values + old_bitmap, 0, bitmap - old_bitmap);
  int32_t *offsets = realloc(col->offsets, (cap + 1) * sizeof *offsets);
  if (!offsets) return false;
  if (!col->offsets) offsets[0] = 0;
  col->offsets = offsets;
  col->rows_capacity = cap;
  return true;
}

void csv_column_append_null(csv_column_buffers *col) {
  size_t row = (size_t)col->n_rows;
  size_t width = value_width_bytes(col->kind);
  if (width) memset(col->values + row * width, 0, width);
  if (col->kind == CSV_KIND_UTF8) col->offsets[row + 1] = col->offsets[row];
  col->null_count++;
  col->n_rows++;
}

void csv_column_append_value(csv_column_buffers *col, csv_value value) {
  size_t row = (size_t)col->n_rows;
  col->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
  switch (col->kind) {
  case CSV_KIND_BOOL:
    if (value.b) col->values[row >> 3] |= (uint8_t)(1u << (row & 7));
    break;
  case CSV_KIND_INT64:
  case CSV_KIND_TIMESTAMP:
  case CSV_KIND_TIMESTAMP_TZ:
    memcpy(col->values + row * 8, &value.i64, 8);
    break;
  case CSV_KIND_FLOAT64:
    memcpy(col->values + row * 8, &value.f64, 8);
    break;
  case CSV_KIND_DATE32:
    memcpy(col->values + row * 4, &value.days, 4);
    break;
  default:
    break;
  }
  col->n_rows++;
}

static bool reserve_data(csv_column_buffers *col, size_t more) {
  if (more > (size_t)INT32_MAX - col->data_size_bytes) return false;
  size_t need = col->data_size_bytes + more;
  if (need <= col->data_capacity_bytes) return true;
  size_t cap = col->data_capacity_bytes ? col->data_capacity_bytes : 4096;
  while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  uint8_t *grown = realloc(col->data, cap);
  if (!grown) return false;
  col->data = grown;
  col->data_capacity_bytes = cap;
  return true;
}

size_t csv_utf8_sequence_length(const uint8_t *s, size_t n) {
  uint8_t c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0; /* no overlong forms */
    if (c == 0xED) hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

static const uint8_t kReplacement[3] = {0xEF, 0xBF, 0xBD}; /* U+FFFD */

int csv_column_append_text(csv_column_buffers *col, const uint8_t *s, size_t n) {
  size_t row = (size_t)col->n_rows;
  /* Fast path: pure ASCII, checked eight bytes at a time. */
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    memcpy(&word, s + i, 8);
    if (word & UINT64_C(0x8080808080808080)) break;
  }
  while (i < n && s[i] < 0x80) i++;
  int replaced = 0;
  if (i == n) {
    if (!reserve_data(col, n)) return -1;
    if (n) memcpy(col->data + col->data_size_bytes, s, n);
    col->data_size_bytes += n;
  } else {
    /* Worst case every byte becomes a 3-byte U+FFFD. */
    if (n > SIZE_MAX / 3 || !reserve_data(col, n * 3)) return -1;
    uint8_t *out = col->data + col->data_size_bytes;
    memcpy(out, s, i);
    size_t w = i;
    while (i < n) {
      size_t len = csv_utf8_sequence_length(s + i, n - i);
      if (len == 0) {
        memcpy(out + w, kReplacement, 3);
        w += 3;
        i++;
        replaced = 1;
      } else {
        memcpy(out + w, s + i, len);
        w += len;
        i += len;
      }
    }
    col->data_size_bytes += w;
  }
  col->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
  col->offsets[row + 1] = (int32_t)col->data_size_bytes;
  col->n_rows++;
  return replaced;
}

void csv_column_buffers_free(csv_column_buffers *col) {
  free(col->validity);
  free(col->values);
  free(col->offsets);
  free(col->data);
  memset(col, 0, sizeof *col);
}

size_t csv_utf8_sanitize(const uint8_t *s, size_t n, char *out, size_t out_capacity) {
  size_t w = 0;
  size_t i = 0;
  while (i < n) {
    size_t len = s[i] == 0 ? 0 : csv_utf8_sequence_length(s + i, n - i);
    const uint8_t *piece = len ? s + i : kReplacement;
    size_t piece_len = len ? len : 3;
    if (w + piece_len + 1 > out_capacity) break;
    memcpy(out + w, piece, piece_len);
    w += piece_len;
    i += len ? len : 1;
  }
  out[w] = '\0';
  return w;
}
