/*
 * unicode_case.h — simple case mapping of Unicode code points (one code point to one), for
 * the expression functions lower/upper and case-insensitive regular expressions. The tables
 * in unicode_case.c are generated from the Unicode Character Database by
 * scripts/gen-unicode-case.mjs.
 */
#ifndef QUIVER_UNICODE_CASE_H
#define QUIVER_UNICODE_CASE_H

#include <stdint.h>

/** The simple lower-case mapping of `cp` (itself if it has none). */
uint32_t qv_unicode_lower(uint32_t cp);

/** The simple upper-case mapping of `cp` (itself if it has none). */
uint32_t qv_unicode_upper(uint32_t cp);

#endif /* QUIVER_UNICODE_CASE_H */
