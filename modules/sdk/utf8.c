/* UTF-8 decoding and encoding shared by the SDK (see utf8.h). */
#include "utf8.h"

int qv_utf8_sequence_(const char *text, int64_t n, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)text;
  unsigned char c = s[0];
  int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || len > n) return 0;
  uint32_t v = len == 1 ? c : (uint32_t)(c & (0x7F >> len));
  for (int k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[k] & 0x3F);
  }
  *cp = v;
  return len;
}

uint32_t qv_utf8_decode_(const char *s, int64_t n, int64_t *i) {
  uint32_t cp;
  int len = qv_utf8_sequence_(s + *i, n - *i, &cp);
  if (len == 0) {
    (*i)++;
    return 0xFFFD;
  }
  *i += len;
  return cp;
}

int qv_utf8_encode_(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}
