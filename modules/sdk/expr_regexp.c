/*
 * expr_regexp.c — regexp_matches, regexp_replace and regexp_extract over the engine of
 * regex.h. The pattern and options are literals (the host's checker insists), compiled once
 * per expression by qv_expr_compile_regexp_. Semantics follow DuckDB, which uses RE2:
 * regexp_matches finds a match anywhere; regexp_replace replaces the first match, or every
 * match with option `g` (an empty match right after the previous match is skipped, as RE2
 * does), with `\0`–`\9` in the replacement standing for groups and `\\` for a backslash;
 * regexp_extract gives the first match's group (0: the whole match), "" if none.
 */
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"
#include "utf8.h"
#include "regex.h"

/** The options literal of a regexp node ("" when absent). */
static qv_str options_of(const qv_expr_node_ *n, const qv_expr_node_ *nodes) {
  int32_t at = n->op == QV_OP_REGEXP_REPLACE_ ? 3 : n->op == QV_OP_REGEXP_MATCHES_ ? 2 : -1;
  if (at < 0 || n->n_args <= at) return (qv_str){"", 0};
  const qv_expr_node_ *o = &nodes[n->args[at]];
  return (qv_str){o->str_value, o->str_size_bytes};
}

static bool literal_string(const qv_expr_node_ *n) {
  return n->op == QV_OP_LITERAL_ && !n->is_null && n->type == QV_EXPR_UTF8;
}

int qv_expr_compile_regexp_(qv_expr_node_ *n, const qv_expr_node_ *nodes, qv_error *err) {
  const qv_expr_node_ *pattern = &nodes[n->args[1]];
  if (!literal_string(pattern)) {
    return qv_error_set(err, EINVAL, "compiled expression: %s needs a string literal pattern",
                        QV_OP_NAMES_[n->op]);
  }
  qv_str options = options_of(n, nodes);
  int32_t at = n->op == QV_OP_REGEXP_REPLACE_ ? 3 : 2;
  if (options.size_bytes > 0 && !literal_string(&nodes[n->args[at]])) {
    return qv_error_set(err, EINVAL, "compiled expression: %s needs literal options",
                        QV_OP_NAMES_[n->op]);
  }
  int flags = 0;
  for (int64_t k = 0; k < options.size_bytes; k++) {
    char ch = options.data[k];
    if (ch == 'i') {
      flags |= QV_REGEX_IGNORE_CASE;
    } else if (!(ch == 'g' && n->op == QV_OP_REGEXP_REPLACE_)) {
      return qv_error_set(err, EINVAL, "%s: unknown option '%c'", QV_OP_NAMES_[n->op], ch);
    }
  }
  int rc = qv_regex_compile(pattern->str_value, pattern->str_size_bytes, flags, &n->regex, err);
  if (rc != QV_OK) {
    return qv_error_set(err, rc, "%s(…, \"%s\"): %s", QV_OP_NAMES_[n->op], pattern->str_value,
                        err ? err->message : "bad pattern");
  }
  if (n->op == QV_OP_REGEXP_EXTRACT_ && n->n_args > 2) {
    const qv_expr_node_ *g = &nodes[n->args[2]];
    if (g->op != QV_OP_LITERAL_ || g->is_null || g->int_value < 0 ||
        g->int_value > qv_regex_groups(n->regex)) {
      return qv_error_set(err, EINVAL,
                          "regexp_extract: the group must be a literal from 0 to %d (the "
                          "pattern's groups)",
                          qv_regex_groups(n->regex));
    }
  }
  return QV_OK;
}

/** Appends `repl` with \0–\9 replaced by the groups of the match `caps` in `s`. */
static int put_replacement(qv_strout_ *o, qv_str s, qv_str repl, const int64_t *caps, int groups) {
  for (int64_t k = 0; k < repl.size_bytes; k++) {
    char ch = repl.data[k];
    int rc;
    if (ch == '\\' && k + 1 < repl.size_bytes && repl.data[k + 1] >= '0' && repl.data[k + 1] <= '9') {
      int g = repl.data[++k] - '0';
      rc = g <= groups && caps[2 * g] >= 0
               ? qv_strout_put_(o, s.data + caps[2 * g], caps[2 * g + 1] - caps[2 * g])
               : QV_OK;
    } else if (ch == '\\' && k + 1 < repl.size_bytes && repl.data[k + 1] == '\\') {
      rc = qv_strout_put_(o, repl.data + ++k, 1);
    } else {
      rc = qv_strout_put_(o, &repl.data[k], 1);
    }
    if (rc != QV_OK) return rc;
  }
  return QV_OK;
}

static int put_regexp_replace(qv_strout_ *o, qv_regex *re, qv_str s, qv_str repl,
                              bool global, int64_t *caps) {
  int groups = qv_regex_groups(re);
  int64_t pos = 0, copied = 0, last_end = -1;
  while (pos <= s.size_bytes) {
    if (!qv_regex_search(re, s.data, s.size_bytes, pos, caps)) break;
    if (caps[0] == caps[1] && caps[0] == last_end) {
      /* An empty match where the previous one ended: step over one code point. */
      if (caps[0] >= s.size_bytes) break;
      pos = caps[0];
      qv_utf8_decode_(s.data, s.size_bytes, &pos);
      continue;
    }
    int rc = qv_strout_put_(o, s.data + copied, caps[0] - copied);
    if (rc == QV_OK) rc = put_replacement(o, s, repl, caps, groups);
    if (rc != QV_OK) return rc;
    copied = last_end = caps[1];
    if (!global) break;
    pos = caps[1];
    if (caps[0] == caps[1]) {
      if (pos >= s.size_bytes) break;
      qv_utf8_decode_(s.data, s.size_bytes, &pos);
    }
  }
  return qv_strout_put_(o, s.data + copied, s.size_bytes - copied);
}

int qv_expr_eval_regexp_(const qv_call_ *c, qv_vec_ *v) {
  const qv_expr_node_ *n = c->node;
  qv_regex *re = n->regex;
  const qv_vec_ *a = c->args;
  bool global = false;
  qv_str options = options_of(n, c->nodes);
  for (int64_t k = 0; k < options.size_bytes; k++) global = global || options.data[k] == 'g';
  int64_t group = n->op == QV_OP_REGEXP_EXTRACT_ && n->n_args > 2 ? c->nodes[n->args[2]].int_value : 0;
  int64_t caps[2 * (QV_REGEX_MAX_GROUPS + 1)];
  qv_strout_ o;
  bool strings = n->op != QV_OP_REGEXP_MATCHES_;
  int rc = strings ? qv_strout_init_(&o, v, 64, c->err) : QV_OK;
  for (int64_t i = 0; i < v->n_rows && rc == QV_OK; i++) {
    if (!c->mask[i] || !a[0].valid[i]) continue;
    if (n->op == QV_OP_REGEXP_REPLACE_ && !a[2].valid[i]) continue;
    qv_str s = a[0].strs[i];
    if (n->op == QV_OP_REGEXP_REPLACE_) {
      rc = put_regexp_replace(&o, re, s, a[2].strs[i], global, caps);
      if (rc == QV_OK) qv_strout_row_(&o, i);
      continue;
    }
    int found = qv_regex_search(re, s.data, s.size_bytes, 0, caps);
    if (n->op == QV_OP_REGEXP_MATCHES_) {
      v->valid[i] = 1;
      v->bools[i] = (uint8_t)found;
    } else {
      if (found && caps[2 * group] >= 0) {
        rc = qv_strout_put_(&o, s.data + caps[2 * group], caps[2 * group + 1] - caps[2 * group]);
      }
      qv_strout_row_(&o, i);
    }
  }
  if (strings && rc == QV_OK) qv_strout_finish_(&o);
  if (strings && rc != QV_OK) qv_strout_free_(&o);
  return rc;
}
