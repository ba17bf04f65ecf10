/*
 * JSON (RFC 8259) parser and typed lookups for module parameters (see quiver.h). A recursive
 * descent parser with a depth limit; strings are decoded (escapes, surrogate pairs) into
 * NUL-terminated UTF-8. Errors give the line and column (1-based, columns in bytes).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "internal.h"
#include "utf8.h"

typedef struct parser {
  const char *s;
  int64_t n;
  int64_t i;
  qv_error *err;
} parser;

static int fail_at(parser *p, int64_t at, const char *what) {
  int64_t line = 1, col = 1;
  for (int64_t k = 0; k < at && k < p->n; k++) {
    if (p->s[k] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return qv_error_set(p->err, EINVAL, "JSON syntax error at line %lld, column %lld: %s",
                      (long long)line, (long long)col, what);
}

static void skip_ws(parser *p) {
  while (p->i < p->n) {
    char c = p->s[p->i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    p->i++;
  }
}

static void free_node(qv_json *v) {
  free((char *)v->key);
  free((char *)v->string_value);
  for (int64_t k = 0; k < v->n_children; k++) free_node(&v->children[k]);
  free(v->children);
}

void qv_json_free(qv_json *root) {
  if (root == NULL) return;
  free_node(root);
  free(root);
}

/** A growable byte string. */
typedef struct sbuf {
  char *p;
  int64_t len;
  int64_t cap;
} sbuf;

static bool sbuf_put(sbuf *b, const char *data, int64_t n) {
  if (b->len + n + 1 > b->cap) {
    int64_t cap = b->cap < 16 ? 16 : b->cap;
    while (cap < b->len + n + 1) cap *= 2;
    char *q = realloc(b->p, (size_t)cap);
    if (q == NULL) return false;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, (size_t)n);
  b->len += n;
  b->p[b->len] = '\0';
  return true;
}

static int hex4(parser *p, uint32_t *out) {
  if (p->n - p->i < 4) return fail_at(p, p->i, "truncated \\u escape");
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) {
    char c = p->s[p->i + k];
    uint32_t d;
    if (c >= '0' && c <= '9') d = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') d = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = (uint32_t)(c - 'A' + 10);
    else return fail_at(p, p->i + k, "invalid hex digit in \\u escape");
    v = v * 16 + d;
  }
  p->i += 4;
  *out = v;
  return QV_OK;
}

/** Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid (RFC 3629: no overlong
 * form, no surrogate, nothing above U+10FFFF). */
static int utf8_valid(const char *s, int64_t n) {
  uint32_t cp;
  int len = qv_utf8_sequence_(s, n, &cp);
  static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (len == 0 || cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/** Parses a string (p->i at the opening quote) into a heap string. */
static int parse_string(parser *p, char **out, int64_t *out_len) {
  sbuf b = {NULL, 0, 0};
  int64_t start = p->i++;
  int rc = QV_OK;
  if (!sbuf_put(&b, "", 0)) return qv_error_set(p->err, ENOMEM, "out of memory");
  for (;;) {
    if (p->i >= p->n) {
      rc = fail_at(p, start, "unterminated string");
      break;
    }
    unsigned char c = (unsigned char)p->s[p->i];
    if (c == '"') {
      p->i++;
      break;
    }
    if (c < 0x20) {
      rc = fail_at(p, p->i, "control character in string");
      break;
    }
    if (c != '\\') {
      int len = utf8_valid(p->s + p->i, p->n - p->i);
      if (len == 0) {
        rc = fail_at(p, p->i, "invalid UTF-8 in string");
        break;
      }
      if (!sbuf_put(&b, p->s + p->i, len)) {
        rc = qv_error_set(p->err, ENOMEM, "out of memory");
        break;
      }
      p->i += len;
      continue;
    }
    if (++p->i >= p->n) {
      rc = fail_at(p, start, "unterminated string");
      break;
    }
    char e = p->s[p->i++];
    char buf[4];
    int len = 1;
    switch (e) {
    case '"': buf[0] = '"'; break;
    case '\\': buf[0] = '\\'; break;
    case '/': buf[0] = '/'; break;
    case 'b': buf[0] = '\b'; break;
    case 'f': buf[0] = '\f'; break;
    case 'n': buf[0] = '\n'; break;
    case 'r': buf[0] = '\r'; break;
    case 't': buf[0] = '\t'; break;
    case 'u': {
      uint32_t cp, lo;
      rc = hex4(p, &cp);
      if (rc != QV_OK) break;
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        rc = fail_at(p, p->i - 6, "unpaired low surrogate in \\u escape");
        break;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u') {
          rc = fail_at(p, p->i - 6, "unpaired high surrogate in \\u escape");
          break;
        }
        p->i += 2;
        rc = hex4(p, &lo);
        if (rc != QV_OK) break;
        if (lo < 0xDC00 || lo > 0xDFFF) {
          rc = fail_at(p, p->i - 6, "invalid low surrogate in \\u escape");
          break;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      len = qv_utf8_encode_(cp, buf);
      break;
    }
    default: rc = fail_at(p, p->i - 1, "invalid escape in string"); break;
    }
    if (rc != QV_OK) break;
    if (!sbuf_put(&b, buf, len)) {
      rc = qv_error_set(p->err, ENOMEM, "out of memory");
      break;
    }
  }
  if (rc != QV_OK) {
    free(b.p);
    return rc;
  }
  *out = b.p;
  *out_len = b.len;
  return QV_OK;
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/** Exact powers of ten representable as doubles. */
static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/**
 * The common case of a validated JSON number without strtod, whose long-double arithmetic is
 * emulated in wasm32 and about 30 times slower: at most 15 significant digits and a decimal
 * exponent within ±22, where mantissa × or ÷ 10^k is correctly rounded (both operands are
 * exact doubles: W. Clinger, "How to Read Floating Point Numbers Accurately", 1990).
 * Integers of at most 18 digits are also exact int64s. False leaves the rest to strtod.
 */
static bool fast_number(const char *s, int64_t n, bool integral, qv_json *v) {
  int64_t k = 0;
  bool neg = s[0] == '-';
  if (neg) k++;
  uint64_t mant = 0;
  int digits = 0, exp10 = 0;
  for (; k < n && is_digit(s[k]); k++) {
    if (digits > 0 || s[k] != '0') digits++;
    mant = mant * 10 + (uint64_t)(s[k] - '0');
    if (digits > 18) return false;
  }
  if (k < n && s[k] == '.') {
    for (k++; k < n && is_digit(s[k]); k++) {
      if (digits > 0 || s[k] != '0') digits++;
      mant = mant * 10 + (uint64_t)(s[k] - '0');
      exp10--;
      if (digits > 18) return false;
    }
  }
  if (k < n) {
    int e = 0, sign = 1;
    k++; /* e or E */
    if (s[k] == '+' || s[k] == '-') sign = s[k++] == '-' ? -1 : 1;
    for (; k < n; k++) {
      e = e * 10 + (s[k] - '0');
      if (e > 400) return false;
    }
    exp10 += sign * e;
  }
  if (integral) {
    v->number_is_integer = true;
    v->int_value = neg ? -(int64_t)mant : (int64_t)mant;
  }
  if (digits > 15 || exp10 > 22 || exp10 < -22) {
    if (!integral) return false;
    v->number_value = (double)v->int_value; /* 16-18 digit integers: rounded once */
    return true;
  }
  double d = (double)mant;
  d = exp10 >= 0 ? d * POW10[exp10] : d / POW10[-exp10];
  v->number_value = neg ? -d : d;
  return true;
}

static int parse_number(parser *p, qv_json *v) {
  int64_t start = p->i;
  if (p->i < p->n && p->s[p->i] == '-') p->i++;
  if (p->i >= p->n || !is_digit(p->s[p->i])) return fail_at(p, start, "invalid number");
  if (p->s[p->i] == '0') p->i++;
  else while (p->i < p->n && is_digit(p->s[p->i])) p->i++;
  bool integral = true;
  if (p->i < p->n && p->s[p->i] == '.') {
    integral = false;
    p->i++;
    if (p->i >= p->n || !is_digit(p->s[p->i])) return fail_at(p, start, "invalid number");
    while (p->i < p->n && is_digit(p->s[p->i])) p->i++;
  }
  if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
    integral = false;
    p->i++;
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
    if (p->i >= p->n || !is_digit(p->s[p->i])) return fail_at(p, start, "invalid number");
    while (p->i < p->n && is_digit(p->s[p->i])) p->i++;
  }
  v->kind = QV_JSON_NUMBER;
  if (fast_number(p->s + start, p->i - start, integral, v)) return QV_OK;
  int64_t len = p->i - start;
  char small[64];
  char *text = len < (int64_t)sizeof small ? small : malloc((size_t)len + 1);
  if (text == NULL) return qv_error_set(p->err, ENOMEM, "out of memory");
  memcpy(text, p->s + start, (size_t)len);
  text[len] = '\0';
  v->number_value = strtod(text, NULL);
  if (integral) {
    errno = 0;
    long long exact = strtoll(text, NULL, 10);
    v->number_is_integer = errno != ERANGE;
    v->int_value = (int64_t)exact;
  }
  if (text != small) free(text);
  if (!isfinite(v->number_value)) return fail_at(p, start, "number out of range");
  return QV_OK;
}

static bool match(parser *p, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(p->n - p->i) < n || memcmp(p->s + p->i, word, n) != 0) return false;
  p->i += (int64_t)n;
  return true;
}

static int parse_value(parser *p, qv_json *v, int depth);

/** Parses an array or object body (p->i after the opening bracket). */
static int parse_container(parser *p, qv_json *v, bool object, int depth) {
  int64_t cap = 0;
  char close = object ? '}' : ']';
  v->kind = object ? QV_JSON_OBJECT : QV_JSON_ARRAY;
  skip_ws(p);
  if (p->i < p->n && p->s[p->i] == close) {
    p->i++;
    return QV_OK;
  }
  for (;;) {
    if (v->n_children == cap) {
      int64_t ncap = cap == 0 ? 4 : cap * 2;
      qv_json *grown = realloc(v->children, (size_t)ncap * sizeof *grown);
      if (grown == NULL) return qv_error_set(p->err, ENOMEM, "out of memory");
      v->children = grown;
      cap = ncap;
    }
    qv_json *child = &v->children[v->n_children];
    memset(child, 0, sizeof *child);
    v->n_children++;
    skip_ws(p);
    if (object) {
      if (p->i >= p->n || p->s[p->i] != '"') return fail_at(p, p->i, "expected a member name");
      int64_t key_at = p->i;
      char *key;
      int64_t key_len;
      int rc = parse_string(p, &key, &key_len);
      if (rc != QV_OK) return rc;
      child->key = key;
      for (int64_t k = 0; k + 1 < v->n_children; k++) {
        if (strcmp(v->children[k].key, key) == 0) return fail_at(p, key_at, "duplicate key");
      }
      skip_ws(p);
      if (p->i >= p->n || p->s[p->i] != ':') return fail_at(p, p->i, "expected ':'");
      p->i++;
      skip_ws(p);
    }
    int rc = parse_value(p, child, depth + 1);
    if (rc != QV_OK) return rc;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
      p->i++;
      continue;
    }
    if (p->i < p->n && p->s[p->i] == close) {
      p->i++;
      return QV_OK;
    }
    return fail_at(p, p->i, object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static int parse_value(parser *p, qv_json *v, int depth) {
  if (depth > QV_JSON_MAX_DEPTH) return fail_at(p, p->i, "nesting too deep");
  skip_ws(p);
  if (p->i >= p->n) return fail_at(p, p->i, "unexpected end of input");
  v->offset_bytes = p->i;
  char c = p->s[p->i];
  switch (c) {
  case '{': p->i++; return parse_container(p, v, true, depth);
  case '[': p->i++; return parse_container(p, v, false, depth);
  case '"': {
    char *s;
    int64_t len;
    int rc = parse_string(p, &s, &len);
    if (rc != QV_OK) return rc;
    v->kind = QV_JSON_STRING;
    v->string_value = s;
    v->string_size_bytes = len;
    return QV_OK;
  }
  case 't':
  case 'f':
    if (match(p, "true") || match(p, "false")) {
      v->kind = QV_JSON_BOOL;
      v->bool_value = c == 't';
      return QV_OK;
    }
    break;
  case 'n':
    if (match(p, "null")) {
      v->kind = QV_JSON_NULL;
      return QV_OK;
    }
    break;
  default:
    if (c == '-' || is_digit(c)) return parse_number(p, v);
    break;
  }
  return fail_at(p, p->i, "unexpected character");
}

int qv_json_parse(const char *text, int64_t size_bytes, qv_json **out_root, qv_error *err) {
  *out_root = NULL;
  if (size_bytes < 0 || (text == NULL && size_bytes > 0)) {
    return qv_error_set(err, EINVAL, "invalid JSON buffer");
  }
  qv_json *root = calloc(1, sizeof *root);
  if (root == NULL) return qv_error_set(err, ENOMEM, "out of memory");
  parser p = {text, size_bytes, 0, err};
  if (p.n >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) p.i = 3; /* tolerate a BOM */
  int rc = parse_value(&p, root, 0);
  if (rc == QV_OK) {
    skip_ws(&p);
    if (p.i != p.n) rc = fail_at(&p, p.i, "unexpected text after the value");
  }
  if (rc != QV_OK) {
    qv_json_free(root);
    return rc;
  }
  *out_root = root;
  return QV_OK;
}

/* --- lookups --------------------------------------------------------------------------- */

const qv_json *qv_json_get(const qv_json *object, const char *key) {
  if (object == NULL || object->kind != QV_JSON_OBJECT) return NULL;
  for (int64_t k = 0; k < object->n_children; k++) {
    if (strcmp(object->children[k].key, key) == 0) return &object->children[k];
  }
  return NULL;
}

const qv_json *qv_json_at(const qv_json *array, int64_t i) {
  if (array == NULL || array->kind != QV_JSON_ARRAY || i < 0 || i >= array->n_children) {
    return NULL;
  }
  return &array->children[i];
}

const char *qv_json_kind_name(qv_json_kind kind) {
  switch (kind) {
  case QV_JSON_NULL: return "null";
  case QV_JSON_BOOL: return "boolean";
  case QV_JSON_NUMBER: return "number";
  case QV_JSON_STRING: return "string";
  case QV_JSON_ARRAY: return "array";
  case QV_JSON_OBJECT: return "object";
  }
  return "invalid";
}

/** The member `key` of kind `kind`: QV_OK with *out, 1 when absent or null (and optional),
 * else EINVAL naming the key. */
static int member(const qv_json *object, const char *key, qv_json_kind kind, bool optional,
                  const char *wanted, const qv_json **out, qv_error *err) {
  const qv_json *v = qv_json_get(object, key);
  if (v == NULL || (optional && v->kind == QV_JSON_NULL)) {
    if (optional) return 1;
    return qv_error_set(err, EINVAL, "parameter '%s' is missing", key);
  }
  if (v->kind != kind) {
    return qv_error_set(err, EINVAL, "parameter '%s' must be %s, found %s", key, wanted,
                        qv_json_kind_name(v->kind));
  }
  *out = v;
  return QV_OK;
}

static int get_string(const qv_json *o, const char *key, bool opt, const char *fallback,
                      const char **out, qv_error *err) {
  const qv_json *v;
  int rc = member(o, key, QV_JSON_STRING, opt, "a string", &v, err);
  if (rc == 1) *out = fallback;
  else if (rc == QV_OK) *out = v->string_value;
  return rc == 1 ? QV_OK : rc;
}

int qv_json_get_string(const qv_json *o, const char *key, const char **out, qv_error *err) {
  return get_string(o, key, false, NULL, out, err);
}

int qv_json_get_string_or(const qv_json *o, const char *key, const char *fallback,
                          const char **out, qv_error *err) {
  return get_string(o, key, true, fallback, out, err);
}

static int get_int64(const qv_json *o, const char *key, bool opt, int64_t fallback,
                     int64_t *out, qv_error *err) {
  const qv_json *v;
  int rc = member(o, key, QV_JSON_NUMBER, opt, "an integer", &v, err);
  if (rc == 1) {
    *out = fallback;
    return QV_OK;
  }
  if (rc != QV_OK) return rc;
  double d = v->number_value;
  if (d != floor(d) || fabs(d) > 9007199254740992.0) {
    return qv_error_set(err, EINVAL, "parameter '%s' must be an integer within +/-2^53, found %g",
                        key, d);
  }
  *out = (int64_t)d;
  return QV_OK;
}

int qv_json_get_int64(const qv_json *o, const char *key, int64_t *out, qv_error *err) {
  return get_int64(o, key, false, 0, out, err);
}

int qv_json_get_int64_or(const qv_json *o, const char *key, int64_t fallback, int64_t *out,
                         qv_error *err) {
  return get_int64(o, key, true, fallback, out, err);
}

static int get_double(const qv_json *o, const char *key, bool opt, double fallback,
                      double *out, qv_error *err) {
  const qv_json *v;
  int rc = member(o, key, QV_JSON_NUMBER, opt, "a number", &v, err);
  if (rc == 1) *out = fallback;
  else if (rc == QV_OK) *out = v->number_value;
  return rc == 1 ? QV_OK : rc;
}

int qv_json_get_double(const qv_json *o, const char *key, double *out, qv_error *err) {
  return get_double(o, key, false, 0.0, out, err);
}

int qv_json_get_double_or(const qv_json *o, const char *key, double fallback, double *out,
                          qv_error *err) {
  return get_double(o, key, true, fallback, out, err);
}

static int get_bool(const qv_json *o, const char *key, bool opt, bool fallback, bool *out,
                    qv_error *err) {
  const qv_json *v;
  int rc = member(o, key, QV_JSON_BOOL, opt, "a boolean", &v, err);
  if (rc == 1) *out = fallback;
  else if (rc == QV_OK) *out = v->bool_value;
  return rc == 1 ? QV_OK : rc;
}

int qv_json_get_bool(const qv_json *o, const char *key, bool *out, qv_error *err) {
  return get_bool(o, key, false, false, out, err);
}

int qv_json_get_bool_or(const qv_json *o, const char *key, bool fallback, bool *out,
                        qv_error *err) {
  return get_bool(o, key, true, fallback, out, err);
}

int qv_json_get_array(const qv_json *o, const char *key, const qv_json **out, qv_error *err) {
  return member(o, key, QV_JSON_ARRAY, false, "an array", out, err);
}

int qv_json_get_object(const qv_json *o, const char *key, const qv_json **out, qv_error *err) {
  return member(o, key, QV_JSON_OBJECT, false, "an object", out, err);
}
