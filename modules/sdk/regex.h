/*
 * regex.h — a small regular-expression engine for the expression functions regexp_matches,
 * regexp_replace and regexp_extract. Written for Quiver from the published algorithm, no code
 * copied: a Thompson-construction program run by a Pike VM (Russ Cox, "Regular Expression
 * Matching: the Virtual Machine Approach", 2009, https://swtch.com/~rsc/regexp/regexp2.html;
 * and "Regular Expression Matching Can Be Simple And Fast", 2007), so matching takes time
 * linear in the text for a given pattern: no backtracking, no catastrophic patterns.
 *
 * Dialect (a subset of RE2 / POSIX ERE syntax, documented in README "Regular expressions"):
 *   literals (UTF-8; code points), `.` (any code point but newline), `[...]` / `[^...]` with
 *   ranges and the escapes below, `\d \D \w \W \s \S` (ASCII classes), `\b \B` (ASCII word
 *   boundaries), `^ $` (start and end of the text), `( )` capturing groups, `(?: )`, `|`,
 *   `* + ? {n} {n,} {n,m}` (greedy) and the same followed by `?` (lazy), and `\` before any
 *   punctuation for itself, `\n \t \r \f \v`. Matches are leftmost-first (as in RE2 and Perl:
 *   alternatives and repetitions prefer their first / greedy choice). With QV_REGEX_IGNORE_CASE,
 *   letters match regardless of case (Unicode simple case mapping).
 * Not supported (a compile error naming the position): backreferences, lookaround,
 * possessive quantifiers, named groups, POSIX [:classes:], Unicode \p{...}.
 *
 * Ownership: a qv_regex is owned by the caller (qv_regex_free).
 */
#ifndef QUIVER_REGEX_H
#define QUIVER_REGEX_H

#include "quiver.h"

/** Compile flag: letters match regardless of case. */
#define QV_REGEX_IGNORE_CASE 1

/** Largest compiled program, in instructions (counted repetitions expand); bounds memory. */
#define QV_REGEX_MAX_INSTS 20000

/** Most capturing groups. */
#define QV_REGEX_MAX_GROUPS 32

typedef struct qv_regex qv_regex;

/** Compiles `pattern` (`size_bytes` bytes, UTF-8). EINVAL with a message naming the byte
 * offset of a syntax error; ENOMEM. `*out` is owned by the caller. */
int qv_regex_compile(const char *pattern, int64_t size_bytes, int flags, qv_regex **out,
                     qv_error *err);

/** Number of capturing groups (group 0, the whole match, not counted). */
int qv_regex_groups(const qv_regex *re);

/**
 * Searches `text[from..size_bytes)` for the leftmost-first match. On a match returns true and
 * fills `caps[0..2*(groups+1))` with byte offsets into text (start, end per group; -1 for a
 * group that did not take part). `^` matches only at offset 0 of text, `$` only at its end.
 * Returns false when there is no match. Uses working memory allocated by qv_regex_compile, so
 * one search at a time per qv_regex (modules are single-threaded).
 */
int qv_regex_search(qv_regex *re, const char *text, int64_t size_bytes, int64_t from,
                    int64_t *caps);

/** Frees a compiled regex; NULL is allowed. */
void qv_regex_free(qv_regex *re);

#endif /* QUIVER_REGEX_H */
