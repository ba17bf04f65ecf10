/*
 * expr_text.c — the string functions of the expression evaluator (see expr_internal.h):
 * lower, upper (Unicode simple case mapping, tables generated in unicode_case.c), replace,
 * trim / ltrim / rtrim, substr, split_part, concat and `||`. Semantics follow DuckDB (the
 * oracle in modules/derive/text.test.ts); positions count code points.
 */
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"
#include "unicode_case.h"
#include "utf8.h"

/* ---- the string builder ----------------------------------------------------------------- */

int qv_strout_init_(qv_strout_ *o, qv_vec_ *v, int64_t capacity_bytes, qv_error *err) {
  memset(o, 0, sizeof *o);
  o->v = v;
  o->err = err;
  o->capacity_bytes = capacity_bytes > 16 ? capacity_bytes : 16;
  free(v->arena);
  v->arena = malloc((size_t)o->capacity_bytes);
  o->offsets = calloc((size_t)(v->n_rows > 0 ? v->n_rows : 1), sizeof *o->offsets);
  if (v->arena == NULL || o->offsets == NULL) {
    qv_strout_free_(o);
    return qv_error_set(err, ENOMEM, "expression: out of memory");
  }
  return QV_OK;
}

int qv_strout_put_(qv_strout_ *o, const char *bytes, int64_t size_bytes) {
  if (size_bytes <= 0) return QV_OK;
  if (o->size_bytes + size_bytes > o->capacity_bytes) {
    int64_t cap = o->capacity_bytes;
    while (cap < o->size_bytes + size_bytes) cap *= 2;
    char *grown = realloc(o->v->arena, (size_t)cap);
    if (grown == NULL) return qv_error_set(o->err, ENOMEM, "expression: out of memory");
    o->v->arena = grown;
    o->capacity_bytes = cap;
  }
  memcpy(o->v->arena + o->size_bytes, bytes, (size_t)size_bytes);
  o->size_bytes += size_bytes;
  return QV_OK;
}

void qv_strout_row_(qv_strout_ *o, int64_t i) {
  o->v->valid[i] = 1;
  o->offsets[i] = o->row_start;
  o->v->strs[i].size_bytes = o->size_bytes - o->row_start;
  o->row_start = o->size_bytes;
}

void qv_strout_finish_(qv_strout_ *o) {
  for (int64_t i = 0; i < o->v->n_rows; i++) {
    if (o->v->valid[i]) o->v->strs[i].data = o->v->arena + o->offsets[i];
  }
  free(o->offsets);
  o->offsets = NULL;
}

void qv_strout_free_(qv_strout_ *o) {
  free(o->offsets);
  o->offsets = NULL;
}

/* ---- the functions ---------------------------------------------------------------------- */

/** Total bytes of the valid strings of `a` on the mask (a capacity hint). */
static int64_t total_bytes(const qv_vec_ *a, const uint8_t *mask) {
  int64_t total = 0;
  for (int64_t i = 0; i < a->n_rows; i++) {
    if (mask[i] && a->valid[i]) total += a->strs[i].size_bytes;
  }
  return total;
}

static int put_case(qv_strout_ *o, qv_str s, bool upper) {
  char buf[4];
  for (int64_t k = 0; k < s.size_bytes;) {
    int64_t at = k;
    uint32_t cp = qv_utf8_decode_(s.data, s.size_bytes, &k);
    int rc;
    if (cp == 0xFFFD && k - at == 1) {
      rc = qv_strout_put_(o, s.data + at, 1); /* an invalid byte passes unchanged */
    } else {
      uint32_t m = upper ? qv_unicode_upper(cp) : qv_unicode_lower(cp);
      rc = qv_strout_put_(o, buf, qv_utf8_encode_(m, buf));
    }
    if (rc != QV_OK) return rc;
  }
  return QV_OK;
}

static int put_replace(qv_strout_ *o, qv_str s, qv_str from, qv_str to) {
  if (from.size_bytes == 0) return qv_strout_put_(o, s.data, s.size_bytes);
  int64_t k = 0, copied = 0;
  while (k + from.size_bytes <= s.size_bytes) {
    if (memcmp(s.data + k, from.data, (size_t)from.size_bytes) == 0) {
      int rc = qv_strout_put_(o, s.data + copied, k - copied);
      if (rc == QV_OK) rc = qv_strout_put_(o, to.data, to.size_bytes);
      if (rc != QV_OK) return rc;
      k += from.size_bytes;
      copied = k;
    } else {
      k++;
    }
  }
  return qv_strout_put_(o, s.data + copied, s.size_bytes - copied);
}

/** Whether code point `cp` is one of the code points of `set`. */
static bool in_set(uint32_t cp, qv_str set) {
  for (int64_t k = 0; k < set.size_bytes;) {
    if (qv_utf8_decode_(set.data, set.size_bytes, &k) == cp) return true;
  }
  return false;
}

/** trim family: strips code points of `set` (DuckDB's default: the space only). */
static int put_trim(qv_strout_ *o, qv_str s, qv_str set, bool left, bool right) {
  int64_t begin = 0, end = s.size_bytes;
  if (left) {
    while (begin < end) {
      int64_t k = begin;
      if (!in_set(qv_utf8_decode_(s.data, end, &k), set)) break;
      begin = k;
    }
  }
  if (right) {
    while (end > begin) {
      int64_t start = end - 1;
      while (start > begin && ((unsigned char)s.data[start] & 0xC0) == 0x80) start--;
      int64_t k = start;
      if (!in_set(qv_utf8_decode_(s.data, end, &k), set) || k != end) break;
      end = start;
    }
  }
  return qv_strout_put_(o, s.data + begin, end - begin);
}

/** Byte offset of code point `index` (0-based) of s, clamped to [0, size]. */
static int64_t cp_offset(qv_str s, int64_t index) {
  int64_t k = 0;
  for (int64_t n = 0; n < index && k < s.size_bytes; n++) qv_utf8_decode_(s.data, s.size_bytes, &k);
  return k;
}

static int64_t cp_count(qv_str s) {
  int64_t n = 0;
  for (int64_t k = 0; k < s.size_bytes; k++) n += ((unsigned char)s.data[k] & 0xC0) != 0x80;
  return n;
}

static int64_t sat_add(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

/** substr as DuckDB defines it: the code points in [first, last) (1-based), where first is
 * `start` (counted from the end when negative: -1 is the last) and last is first + length
 * (a negative length takes the characters before first), clamped to the string. */
static int put_substr(qv_strout_ *o, qv_str s, int64_t start, bool has_length, int64_t length) {
  int64_t n = cp_count(s);
  int64_t first = start < 0 ? sat_add(sat_add(n, start), 1) : start;
  int64_t last = has_length ? sat_add(first, length) : INT64_MAX;
  if (has_length && length < 0) {
    if (first > n + 1) first = n + 1; /* DuckDB clamps the start before counting back */
    last = first;
    first = sat_add(first, length);
  }
  if (first < 1) first = 1;
  if (last > n + 1) last = n + 1;
  if (last <= first) return QV_OK;
  int64_t b = cp_offset(s, first - 1);
  int64_t e = b + cp_offset((qv_str){s.data + b, s.size_bytes - b}, last - first);
  return qv_strout_put_(o, s.data + b, e - b);
}

/** split_part: part `index` (1-based; negative from the end) of s split at sep; an empty
 * separator splits into code points; out of range or 0: "". */
static int put_split_part(qv_strout_ *o, qv_str s, qv_str sep, int64_t index) {
  if (index == 0 || s.size_bytes == 0) return QV_OK;
  /* Part boundaries: collect the byte ranges, at most as many as bytes + 1. */
  int64_t parts = 1;
  if (sep.size_bytes == 0) {
    parts = cp_count(s);
  } else {
    for (int64_t k = 0; k + sep.size_bytes <= s.size_bytes;) {
      if (memcmp(s.data + k, sep.data, (size_t)sep.size_bytes) == 0) {
        parts++;
        k += sep.size_bytes;
      } else {
        k++;
      }
    }
  }
  int64_t want = index > 0 ? index - 1 : parts + index;
  if (want < 0 || want >= parts) return QV_OK;
  if (sep.size_bytes == 0) {
    int64_t b = cp_offset(s, want), e = b;
    qv_utf8_decode_(s.data, s.size_bytes, &e);
    return qv_strout_put_(o, s.data + b, e - b);
  }
  int64_t part = 0, begin = 0;
  for (int64_t k = 0; k + sep.size_bytes <= s.size_bytes;) {
    if (memcmp(s.data + k, sep.data, (size_t)sep.size_bytes) == 0) {
      if (part == want) return qv_strout_put_(o, s.data + begin, k - begin);
      part++;
      k += sep.size_bytes;
      begin = k;
    } else {
      k++;
    }
  }
  return qv_strout_put_(o, s.data + begin, s.size_bytes - begin);
}

static const qv_str SPACE = {" ", 1};

/** One row of a fixed-arity string function (every argument valid). */
static int text_row(qv_expr_op_ op, const qv_vec_ *a, int32_t n_args, int64_t i, qv_strout_ *o) {
  qv_str s = a[0].strs[i];
  switch (op) {
  case QV_OP_LOWER_:
  case QV_OP_UPPER_:
    return put_case(o, s, op == QV_OP_UPPER_);
  case QV_OP_REPLACE_:
    return put_replace(o, s, a[1].strs[i], a[2].strs[i]);
  case QV_OP_TRIM_:
  case QV_OP_LTRIM_:
  case QV_OP_RTRIM_:
    return put_trim(o, s, n_args > 1 ? a[1].strs[i] : SPACE, op != QV_OP_RTRIM_,
                    op != QV_OP_LTRIM_);
  case QV_OP_SUBSTR_:
    return put_substr(o, s, a[1].ints[i], n_args > 2, n_args > 2 ? a[2].ints[i] : 0);
  case QV_OP_SPLIT_PART_:
    return put_split_part(o, s, a[1].strs[i], a[2].ints[i]);
  default:
    return qv_error_set(o->err, EINVAL, "expression: unexpected string operation");
  }
}

int qv_expr_eval_text_(const qv_call_ *c, qv_vec_ *v) {
  qv_expr_op_ op = c->node->op;
  int32_t n_args = c->node->n_args;
  const qv_vec_ *a = c->args;
  qv_strout_ o;
  int64_t hint = 0;
  for (int32_t k = 0; k < n_args; k++) {
    if (c->nodes[c->node->args[k]].type == QV_EXPR_UTF8) hint += total_bytes(&a[k], c->mask);
  }
  int rc = qv_strout_init_(&o, v, hint + hint / 2, c->err);
  for (int64_t i = 0; i < v->n_rows && rc == QV_OK; i++) {
    if (!c->mask[i]) continue;
    bool all_valid = true;
    for (int32_t k = 0; k < n_args; k++) all_valid = all_valid && a[k].valid[i];
    if (op == QV_OP_CONCAT_) {
      /* concat: null arguments count as empty strings (DuckDB). */
      for (int32_t k = 0; k < n_args && rc == QV_OK; k++) {
        if (a[k].valid[i]) rc = qv_strout_put_(&o, a[k].strs[i].data, a[k].strs[i].size_bytes);
      }
    } else if (!all_valid) {
      continue;
    } else if (op == QV_OP_CONCAT_STRICT_) {
      for (int32_t k = 0; k < n_args && rc == QV_OK; k++) {
        rc = qv_strout_put_(&o, a[k].strs[i].data, a[k].strs[i].size_bytes);
      }
    } else {
      rc = text_row(op, a, n_args, i, &o);
    }
    if (rc == QV_OK) qv_strout_row_(&o, i);
  }
  if (rc == QV_OK) {
    qv_strout_finish_(&o);
  } else {
    qv_strout_free_(&o);
  }
  return rc;
}
