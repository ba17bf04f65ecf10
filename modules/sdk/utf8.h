/*
 * utf8.h — decoding and encoding UTF-8 (RFC 3629) for the SDK's JSON parser, the expression
 * string functions and the regular-expression engine. One decoder serves them all: each
 * decides what to do with a sequence it cannot read (JSON refuses it, the expression
 * functions and regexps read U+FFFD). Not part of the public API.
 */
#ifndef QUIVER_UTF8_H
#define QUIVER_UTF8_H

#include <stdint.h>

/**
 * The sequence at s[0..n) (n ≥ 1): its length in bytes (1 to 4), with its code point in
 * `*cp`; 0 when s[0] is not a lead byte, the sequence is cut short by `n`, or a continuation
 * byte is missing. Overlong forms, surrogates and values above U+10FFFF are decoded, not
 * refused: a caller that needs a Unicode scalar value checks `*cp` (see json.c).
 */
int qv_utf8_sequence_(const char *s, int64_t n, uint32_t *cp);

/** Decodes one code point at s[*i] (*i < n), advancing *i; a sequence qv_utf8_sequence_
 * cannot read reads as U+FFFD and advances one byte. */
uint32_t qv_utf8_decode_(const char *s, int64_t n, int64_t *i);

/** Writes `cp` (at most U+10FFFF) as UTF-8 into out (4 bytes of room); returns the bytes. */
int qv_utf8_encode_(uint32_t cp, char *out);

#endif /* QUIVER_UTF8_H */
