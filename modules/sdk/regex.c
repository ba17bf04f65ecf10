/*
 * regex.c — parser, Thompson-construction compiler and Pike VM of regex.h. The parser builds
 * a small syntax tree (nodes in one growable array, linked by index); the compiler emits a
 * program of CHAR / ANY / CLASS / SPLIT / JMP / SAVE / assertion / MATCH instructions; the VM
 * runs all threads in lock step over the text, one code point at a time, keeping at most one
 * thread per instruction, so a search costs O(text × program).
 */
#include "regex.h"

#include <stdlib.h>
#include <string.h>

#include "unicode_case.h"
#include "utf8.h"

typedef enum { I_CHAR, I_ANY, I_CLASS, I_MATCH, I_JMP, I_SPLIT, I_SAVE, I_BOL, I_EOL, I_WORDB,
               I_NWORDB } inst_op;

/** One instruction: CHAR matches code point `c`; CLASS class `x`; JMP goes to `x`; SPLIT
 * tries `x` first, then `y`; SAVE stores the position in capture slot `x`. */
typedef struct inst {
  uint8_t op;
  int32_t x, y;
  uint32_t c;
} inst;

typedef struct range {
  uint32_t lo, hi;
} range;

typedef struct char_class {
  int32_t first, count; /* in qv_regex.ranges */
  bool negated;
} char_class;

struct qv_regex {
  inst *prog;
  int32_t n_insts, cap_insts;
  range *ranges;
  int32_t n_ranges, cap_ranges;
  char_class *classes;
  int32_t n_classes, cap_classes;
  int groups;
  int flags;
  /* The Pike VM's working memory, allocated once at compile time and reused by every search
   * (a search allocating its own costs more than it does on short strings). */
  struct vm_scratch *scratch;
};

struct vm_scratch;
static struct vm_scratch *scratch_new(const qv_regex *re);
static void scratch_free(struct vm_scratch *m);

/* ---- syntax tree ------------------------------------------------------------------------ */

typedef enum { N_EMPTY, N_LIT, N_ANY, N_CLASS, N_CAT, N_ALT, N_REP, N_GROUP, N_ASSERT } node_kind;

typedef struct node {
  node_kind kind;
  uint32_t c;       /* LIT: code point; ASSERT: instruction op */
  int32_t a, b;     /* CAT, ALT: children; REP, GROUP: a */
  int32_t min, max; /* REP: max -1 = unbounded */
  bool greedy;
  int32_t group; /* GROUP: capture index, -1 for (?: ) */
} node;

typedef struct parser {
  qv_regex *re;
  const unsigned char *p;
  int64_t i, n;
  node *nodes;
  int32_t n_nodes, cap_nodes;
  qv_error *err;
  int rc;
} parser;

static int syntax(parser *ps, const char *what) {
  if (ps->rc == QV_OK) {
    ps->rc = qv_error_set(ps->err, EINVAL, "regular expression: %s at byte %lld of the pattern",
                          what, (long long)ps->i);
  }
  return -1;
}

static int nomem(parser *ps) {
  if (ps->rc == QV_OK) ps->rc = qv_error_set(ps->err, ENOMEM, "regular expression: out of memory");
  return -1;
}

/** Grows `*arr` (elements of `size`) to hold one more; -1 on ENOMEM. */
static int grow(void **arr, int32_t n, int32_t *cap, size_t size) {
  if (n < *cap) return 0;
  int32_t next = *cap ? *cap * 2 : 16;
  void *p = realloc(*arr, (size_t)next * size);
  if (p == NULL) return -1;
  *arr = p;
  *cap = next;
  return 0;
}

static int32_t new_node(parser *ps, node_kind kind) {
  if (grow((void **)&ps->nodes, ps->n_nodes, &ps->cap_nodes, sizeof(node)) != 0) return nomem(ps);
  node *n = &ps->nodes[ps->n_nodes];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->a = n->b = n->group = -1;
  return ps->n_nodes++;
}

static int32_t binary(parser *ps, node_kind kind, int32_t a, int32_t b) {
  int32_t k = new_node(ps, kind);
  if (k < 0) return -1;
  ps->nodes[k].a = a;
  ps->nodes[k].b = b;
  return k;
}

/* ---- classes ---------------------------------------------------------------------------- */

static int add_range(parser *ps, uint32_t lo, uint32_t hi) {
  qv_regex *re = ps->re;
  if (grow((void **)&re->ranges, re->n_ranges, &re->cap_ranges, sizeof(range)) != 0) return nomem(ps);
  re->ranges[re->n_ranges++] = (range){lo, hi};
  return 0;
}

/** The ASCII ranges of \d, \w, \s (RE2's definitions). */
static const range DIGIT[] = {{'0', '9'}};
static const range WORD[] = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
static const range SPACE[] = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};

/** Adds the ranges of shorthand `k` (d, w, s; upper case: the complement). */
static int add_shorthand(parser *ps, unsigned char k) {
  const range *r = DIGIT;
  int n = 1;
  if (k == 'w' || k == 'W') r = WORD, n = 4;
  if (k == 's' || k == 'S') r = SPACE, n = 3;
  if (k >= 'a') {
    for (int j = 0; j < n; j++) {
      if (add_range(ps, r[j].lo, r[j].hi) != 0) return -1;
    }
    return 0;
  }
  uint32_t lo = 0;
  for (int j = 0; j < n; j++) {
    if (r[j].lo > lo && add_range(ps, lo, r[j].lo - 1) != 0) return -1;
    lo = r[j].hi + 1;
  }
  return add_range(ps, lo, 0x10FFFF);
}

static int32_t begin_class(parser *ps, bool negated) {
  qv_regex *re = ps->re;
  if (grow((void **)&re->classes, re->n_classes, &re->cap_classes, sizeof(char_class)) != 0) {
    return nomem(ps);
  }
  re->classes[re->n_classes] = (char_class){re->n_ranges, 0, negated};
  return re->n_classes++;
}

static int32_t class_node(parser *ps, int32_t cls) {
  ps->re->classes[cls].count = ps->re->n_ranges - ps->re->classes[cls].first;
  int32_t k = new_node(ps, N_CLASS);
  if (k >= 0) ps->nodes[k].c = (uint32_t)cls;
  return k;
}

static bool is_shorthand(unsigned char c) {
  return c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S';
}

/** The code point of the escape `\c` (after the backslash) that stands for one character,
 * or -1 if `c` is not such an escape. Letters and digits other than the listed ones are
 * reserved (RE2 gives them meanings this engine does not implement). */
static int64_t escape_char(unsigned char c) {
  switch (c) {
  case 'n':
    return '\n';
  case 't':
    return '\t';
  case 'r':
    return '\r';
  case 'f':
    return '\f';
  case 'v':
    return '\v';
  default:
    return (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                          (c >= 'A' && c <= 'Z')))
               ? c
               : -1;
  }
}

/** Reads the hex digits of `\xHH` or `\x{H...}` (ps->i just past the x); -1 if malformed. */
static int64_t hex_escape(parser *ps) {
  bool braced = ps->i < ps->n && ps->p[ps->i] == '{';
  int64_t v = 0;
  int digits = 0;
  if (braced) ps->i++;
  while (ps->i < ps->n && (braced || digits < 2)) {
    unsigned char h = ps->p[ps->i];
    int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
            : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
    if (d < 0) break;
    v = v * 16 + d;
    digits++;
    ps->i++;
    if (v > 0x10FFFF) return syntax(ps, "\\x escape beyond U+10FFFF");
  }
  if (braced) {
    if (ps->i >= ps->n || ps->p[ps->i] != '}') return syntax(ps, "missing } in \\x{...}");
    ps->i++;
  }
  if (digits == 0 || (!braced && digits != 2)) return syntax(ps, "bad \\x escape");
  return v;
}

/** One character of a class (after `[`), or a shorthand added directly (returns -2). */
static int64_t class_char(parser *ps) {
  if (ps->p[ps->i] != '\\') return qv_utf8_decode_((const char *)ps->p, ps->n, &ps->i);
  if (++ps->i >= ps->n) return syntax(ps, "trailing backslash");
  unsigned char c = ps->p[ps->i];
  if (is_shorthand(c)) {
    ps->i++;
    return add_shorthand(ps, c) != 0 ? -1 : -2;
  }
  if (c == 'x') {
    ps->i++;
    return hex_escape(ps);
  }
  int64_t e = escape_char(c);
  if (e < 0) return syntax(ps, "unsupported escape in a class");
  ps->i++;
  return e;
}

static int32_t parse_class(parser *ps) {
  ps->i++; /* [ */
  bool negated = ps->i < ps->n && ps->p[ps->i] == '^';
  if (negated) ps->i++;
  int32_t cls = begin_class(ps, negated);
  if (cls < 0) return -1;
  bool first = true;
  while (ps->i < ps->n && (ps->p[ps->i] != ']' || first)) {
    first = false;
    if (ps->p[ps->i] == '[' && ps->i + 1 < ps->n && ps->p[ps->i + 1] == ':') {
      return syntax(ps, "POSIX [:classes:] are not supported");
    }
    int64_t lo = class_char(ps);
    if (lo == -1) return -1;
    if (lo == -2) continue;
    int64_t hi = lo;
    if (ps->i + 1 < ps->n && ps->p[ps->i] == '-' && ps->p[ps->i + 1] != ']') {
      ps->i++;
      hi = class_char(ps);
      if (hi == -1) return -1;
      if (hi == -2 || hi < lo) return syntax(ps, "bad range in a class");
    }
    if (add_range(ps, (uint32_t)lo, (uint32_t)hi) != 0) return -1;
  }
  if (ps->i >= ps->n) return syntax(ps, "missing ]");
  ps->i++;
  return class_node(ps, cls);
}

/* ---- parser ----------------------------------------------------------------------------- */

static int32_t parse_alt(parser *ps, int depth);

static int32_t parse_group(parser *ps, int depth) {
  ps->i++; /* ( */
  int32_t group = -1;
  if (ps->i + 1 < ps->n && ps->p[ps->i] == '?') {
    if (ps->p[ps->i + 1] != ':') return syntax(ps, "only (?: ) groups are supported after (?");
    ps->i += 2;
  } else {
    if (ps->re->groups >= QV_REGEX_MAX_GROUPS) return syntax(ps, "too many groups");
    group = ++ps->re->groups;
  }
  int32_t inner = parse_alt(ps, depth + 1);
  if (inner < 0) return -1;
  if (ps->i >= ps->n || ps->p[ps->i] != ')') return syntax(ps, "missing )");
  ps->i++;
  int32_t k = new_node(ps, N_GROUP);
  if (k < 0) return -1;
  ps->nodes[k].a = inner;
  ps->nodes[k].group = group;
  return k;
}

static int32_t parse_escape(parser *ps) {
  if (++ps->i >= ps->n) return syntax(ps, "trailing backslash");
  unsigned char c = ps->p[ps->i];
  if (is_shorthand(c)) {
    ps->i++;
    int32_t cls = begin_class(ps, false);
    if (cls < 0 || add_shorthand(ps, c) != 0) return -1;
    return class_node(ps, cls);
  }
  if (c == 'b' || c == 'B') {
    ps->i++;
    int32_t k = new_node(ps, N_ASSERT);
    if (k >= 0) ps->nodes[k].c = c == 'b' ? I_WORDB : I_NWORDB;
    return k;
  }
  int64_t e;
  if (c == 'x') {
    ps->i++;
    e = hex_escape(ps);
    if (e < 0) return -1;
  } else {
    e = escape_char(c);
    if (e < 0) return syntax(ps, "unsupported escape (backreferences and \\p are not supported)");
    ps->i++;
  }
  int32_t k = new_node(ps, N_LIT);
  if (k >= 0) ps->nodes[k].c = (uint32_t)e;
  return k;
}

static int32_t parse_atom(parser *ps, int depth) {
  unsigned char c = ps->p[ps->i];
  int32_t k;
  switch (c) {
  case '(':
    return parse_group(ps, depth);
  case '[':
    return parse_class(ps);
  case '\\':
    return parse_escape(ps);
  case '.':
    ps->i++;
    return new_node(ps, N_ANY);
  case '^':
  case '$':
    ps->i++;
    k = new_node(ps, N_ASSERT);
    if (k >= 0) ps->nodes[k].c = c == '^' ? I_BOL : I_EOL;
    return k;
  case '*':
  case '+':
  case '?':
  case '{':
    return syntax(ps, "repetition of nothing");
  default:
    k = new_node(ps, N_LIT);
    if (k >= 0) ps->nodes[k].c = qv_utf8_decode_((const char *)ps->p, ps->n, &ps->i);
    return k;
  }
}

/** Reads a decimal count of a {n,m} repetition (at most 1000); -1 if absent. */
static int32_t read_count(parser *ps) {
  int32_t v = -1;
  while (ps->i < ps->n && ps->p[ps->i] >= '0' && ps->p[ps->i] <= '9') {
    v = (v < 0 ? 0 : v) * 10 + (ps->p[ps->i++] - '0');
    if (v > 1000) return syntax(ps, "repetition count above 1000"), -2;
  }
  return v;
}

/** Parses a quantifier after an atom, if any: sets min/max; returns 1 if one was read. */
static int parse_quantifier(parser *ps, int32_t *min, int32_t *max) {
  unsigned char c = ps->p[ps->i];
  if (c == '*' || c == '+' || c == '?') {
    ps->i++;
    *min = c == '+' ? 1 : 0;
    *max = c == '?' ? 1 : -1;
    return 1;
  }
  if (c != '{') return 0;
  int64_t start = ps->i++;
  int32_t lo = read_count(ps), hi = lo;
  if (lo == -2) return -1;
  if (lo >= 0 && ps->i < ps->n && ps->p[ps->i] == ',') {
    ps->i++;
    hi = read_count(ps);
    if (hi == -2) return -1;
  }
  if (lo < 0 || ps->i >= ps->n || ps->p[ps->i] != '}') {
    ps->i = start; /* not a repetition: `{` is a literal, as in RE2 */
    return 0;
  }
  ps->i++;
  if (hi >= 0 && hi < lo) return syntax(ps, "bad repetition {n,m} with m < n"), -1;
  *min = lo;
  *max = hi;
  return 1;
}

static int32_t parse_repeat(parser *ps, int depth) {
  int32_t atom = parse_atom(ps, depth);
  if (atom < 0 || ps->i >= ps->n) return atom;
  int32_t min, max;
  int q = parse_quantifier(ps, &min, &max);
  if (q <= 0) return q < 0 ? -1 : atom;
  bool greedy = true;
  if (ps->i < ps->n && ps->p[ps->i] == '?') {
    greedy = false;
    ps->i++;
  }
  if (ps->i < ps->n && (ps->p[ps->i] == '*' || ps->p[ps->i] == '+' || ps->p[ps->i] == '?')) {
    return syntax(ps, "bad repetition operator");
  }
  int32_t k = new_node(ps, N_REP);
  if (k < 0) return -1;
  node *n = &ps->nodes[k];
  n->a = atom;
  n->min = min;
  n->max = max;
  n->greedy = greedy;
  return k;
}

static int32_t parse_cat(parser *ps, int depth) {
  int32_t left = -1;
  while (ps->i < ps->n && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
    int32_t r = parse_repeat(ps, depth);
    if (r < 0) return -1;
    left = left < 0 ? r : binary(ps, N_CAT, left, r);
    if (left < 0) return -1;
  }
  return left < 0 ? new_node(ps, N_EMPTY) : left;
}

static int32_t parse_alt(parser *ps, int depth) {
  if (depth > 100) return syntax(ps, "groups nested deeper than 100");
  int32_t left = parse_cat(ps, depth);
  while (left >= 0 && ps->i < ps->n && ps->p[ps->i] == '|') {
    ps->i++;
    int32_t right = parse_cat(ps, depth);
    if (right < 0) return -1;
    left = binary(ps, N_ALT, left, right);
  }
  return left;
}

/* ---- compiler --------------------------------------------------------------------------- */

static int32_t emit(parser *ps, inst_op op, int32_t x, int32_t y, uint32_t c) {
  qv_regex *re = ps->re;
  if (re->n_insts >= QV_REGEX_MAX_INSTS) {
    return syntax(ps, "pattern too large once repetitions are expanded");
  }
  if (grow((void **)&re->prog, re->n_insts, &re->cap_insts, sizeof(inst)) != 0) return nomem(ps);
  re->prog[re->n_insts] = (inst){(uint8_t)op, x, y, c};
  return re->n_insts++;
}

static int gen(parser *ps, int32_t k, int depth);

/** x{min,max}: min copies, then either a loop (max unbounded) or max-min optional copies. */
static int gen_repeat(parser *ps, const node *n, int depth) {
  for (int32_t r = 0; r < n->min; r++) {
    if (gen(ps, n->a, depth + 1) != 0) return -1;
  }
  if (n->max < 0) {
    int32_t split = emit(ps, I_SPLIT, 0, 0, 0);
    if (split < 0 || gen(ps, n->a, depth + 1) != 0 || emit(ps, I_JMP, split, 0, 0) < 0) return -1;
    int32_t body = split + 1, out = ps->re->n_insts;
    ps->re->prog[split].x = n->greedy ? body : out;
    ps->re->prog[split].y = n->greedy ? out : body;
    return 0;
  }
  int32_t optional = n->max - n->min;
  int32_t *splits = malloc(sizeof(int32_t) * (size_t)(optional > 0 ? optional : 1));
  if (splits == NULL) return nomem(ps);
  int rc = 0;
  for (int32_t r = 0; r < optional && rc == 0; r++) {
    splits[r] = emit(ps, I_SPLIT, 0, 0, 0);
    rc = splits[r] < 0 ? -1 : gen(ps, n->a, depth + 1);
  }
  int32_t out = ps->re->n_insts;
  for (int32_t r = 0; r < optional && rc == 0; r++) {
    ps->re->prog[splits[r]].x = n->greedy ? splits[r] + 1 : out;
    ps->re->prog[splits[r]].y = n->greedy ? out : splits[r] + 1;
  }
  free(splits);
  return rc;
}

static int gen(parser *ps, int32_t k, int depth) {
  const node n = ps->nodes[k];
  if (depth > 400) return syntax(ps, "pattern nested too deeply");
  bool fold = ps->re->flags & QV_REGEX_IGNORE_CASE;
  switch (n.kind) {
  case N_EMPTY:
    return 0;
  case N_LIT:
    return emit(ps, I_CHAR, 0, 0, fold ? qv_unicode_lower(n.c) : n.c) < 0 ? -1 : 0;
  case N_ANY:
    return emit(ps, I_ANY, 0, 0, 0) < 0 ? -1 : 0;
  case N_CLASS:
    return emit(ps, I_CLASS, (int32_t)n.c, 0, 0) < 0 ? -1 : 0;
  case N_ASSERT:
    return emit(ps, (inst_op)n.c, 0, 0, 0) < 0 ? -1 : 0;
  case N_CAT:
    return gen(ps, n.a, depth + 1) != 0 ? -1 : gen(ps, n.b, depth + 1);
  case N_GROUP:
    if (n.group >= 0 && emit(ps, I_SAVE, 2 * n.group, 0, 0) < 0) return -1;
    if (gen(ps, n.a, depth + 1) != 0) return -1;
    return n.group >= 0 && emit(ps, I_SAVE, 2 * n.group + 1, 0, 0) < 0 ? -1 : 0;
  case N_REP:
    return gen_repeat(ps, &n, depth);
  case N_ALT: {
    int32_t split = emit(ps, I_SPLIT, 0, 0, 0);
    if (split < 0 || gen(ps, n.a, depth + 1) != 0) return -1;
    int32_t jmp = emit(ps, I_JMP, 0, 0, 0);
    if (jmp < 0 || gen(ps, n.b, depth + 1) != 0) return -1;
    ps->re->prog[split].x = split + 1;
    ps->re->prog[split].y = jmp + 1;
    ps->re->prog[jmp].x = ps->re->n_insts;
    return 0;
  }
  }
  return syntax(ps, "internal error");
}

int qv_regex_compile(const char *pattern, int64_t size_bytes, int flags, qv_regex **out,
                     qv_error *err) {
  *out = NULL;
  qv_regex *re = calloc(1, sizeof *re);
  if (re == NULL) return qv_error_set(err, ENOMEM, "regular expression: out of memory");
  re->flags = flags;
  parser ps = {.re = re, .p = (const unsigned char *)pattern, .n = size_bytes, .err = err};
  int32_t root = parse_alt(&ps, 0);
  if (root >= 0 && ps.i < ps.n) syntax(&ps, "unmatched )");
  if (ps.rc == QV_OK && (emit(&ps, I_SAVE, 0, 0, 0) < 0 || gen(&ps, root, 0) != 0 ||
                         emit(&ps, I_SAVE, 1, 0, 0) < 0 || emit(&ps, I_MATCH, 0, 0, 0) < 0)) {
    syntax(&ps, "cannot compile");
  }
  free(ps.nodes);
  if (ps.rc == QV_OK && (re->scratch = scratch_new(re)) == NULL) nomem(&ps);
  if (ps.rc != QV_OK) {
    qv_regex_free(re);
    return ps.rc;
  }
  *out = re;
  return QV_OK;
}

int qv_regex_groups(const qv_regex *re) { return re->groups; }

void qv_regex_free(qv_regex *re) {
  if (re == NULL) return;
  scratch_free(re->scratch);
  free(re->prog);
  free(re->ranges);
  free(re->classes);
  free(re);
}

/* ---- Pike VM ---------------------------------------------------------------------------- */

/** A list of threads: program counters and, per thread, its capture slots. */
typedef struct thread_list {
  int32_t n;
  int32_t *pc;
  int64_t *caps; /* n_insts × n_caps */
} thread_list;

/** One pending step of add_thread: visit `pc`, or (pc < 0) restore slot `slot` to `old`. */
typedef struct pending {
  int32_t pc, slot;
  int64_t old;
} pending;

typedef struct vm {
  const qv_regex *re;
  const unsigned char *text;
  int64_t len;
  int n_caps;
  uint32_t *mark; /* per instruction: the generation it was last added in */
  uint32_t generation;
  pending *stack;
} vm;

/** Memory of the VM kept between searches; `generation` only grows, so marks never need
 * clearing (until it wraps). */
struct vm_scratch {
  uint32_t *mark;
  uint32_t generation;
  pending *stack;
  int64_t *start_caps;
  thread_list lists[2];
};

static void scratch_free(struct vm_scratch *m) {
  if (m == NULL) return;
  free(m->mark);
  free(m->stack);
  free(m->start_caps);
  for (int k = 0; k < 2; k++) {
    free(m->lists[k].pc);
    free(m->lists[k].caps);
  }
  free(m);
}

static struct vm_scratch *scratch_new(const qv_regex *re) {
  size_t n = (size_t)re->n_insts;
  size_t n_caps = (size_t)(2 * (re->groups + 1));
  struct vm_scratch *m = calloc(1, sizeof *m);
  if (m == NULL) return NULL;
  m->mark = calloc(n, sizeof *m->mark);
  m->stack = malloc((3 * n + 8) * sizeof *m->stack);
  m->start_caps = malloc(sizeof(int64_t) * n_caps);
  bool ok = m->mark && m->stack && m->start_caps;
  for (int k = 0; k < 2; k++) {
    m->lists[k].pc = malloc(n * sizeof(int32_t));
    m->lists[k].caps = malloc(n * n_caps * sizeof(int64_t));
    ok = ok && m->lists[k].pc && m->lists[k].caps;
  }
  if (!ok) {
    scratch_free(m);
    return NULL;
  }
  return m;
}

static bool is_word_byte(const unsigned char *t, int64_t len, int64_t i) {
  if (i < 0 || i >= len) return false;
  unsigned char c = t[i];
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/** Adds the thread at `pc0` with captures `caps` at text position `pos` to `l`, following
 * jumps, splits (first choice first), saves and assertions; each instruction is added at
 * most once per generation. `caps` is restored before returning. */
static void add_thread(vm *m, thread_list *l, int32_t pc0, int64_t *caps, int64_t pos) {
  int32_t top = 0;
  m->stack[top++] = (pending){pc0, 0, 0};
  while (top > 0) {
    pending e = m->stack[--top];
    if (e.pc < 0) {
      caps[e.slot] = e.old;
      continue;
    }
    if (m->mark[e.pc] == m->generation) continue;
    m->mark[e.pc] = m->generation;
    const inst *in = &m->re->prog[e.pc];
    bool word_change = is_word_byte(m->text, m->len, pos - 1) != is_word_byte(m->text, m->len, pos);
    switch (in->op) {
    case I_JMP:
      m->stack[top++] = (pending){in->x, 0, 0};
      break;
    case I_SPLIT:
      m->stack[top++] = (pending){in->y, 0, 0};
      m->stack[top++] = (pending){in->x, 0, 0};
      break;
    case I_SAVE:
      if (in->x < m->n_caps) {
        m->stack[top++] = (pending){-1, in->x, caps[in->x]};
        caps[in->x] = pos;
      }
      m->stack[top++] = (pending){e.pc + 1, 0, 0};
      break;
    case I_BOL:
    case I_EOL:
    case I_WORDB:
    case I_NWORDB: {
      bool holds = in->op == I_BOL     ? pos == 0
                   : in->op == I_EOL   ? pos == m->len
                   : in->op == I_WORDB ? word_change
                                       : !word_change;
      if (holds) m->stack[top++] = (pending){e.pc + 1, 0, 0};
      break;
    }
    default:
      l->pc[l->n] = e.pc;
      memcpy(&l->caps[(size_t)l->n * (size_t)m->n_caps], caps, sizeof(int64_t) * (size_t)m->n_caps);
      l->n++;
    }
  }
}

static bool class_has(const qv_regex *re, const char_class *cls, uint32_t cp) {
  for (int32_t r = 0; r < cls->count; r++) {
    const range *g = &re->ranges[cls->first + r];
    if (cp >= g->lo && cp <= g->hi) return true;
  }
  return false;
}

/** Whether the consuming instruction `in` accepts code point `cp`. */
static bool consumes(const qv_regex *re, const inst *in, uint32_t cp) {
  bool fold = re->flags & QV_REGEX_IGNORE_CASE;
  switch (in->op) {
  case I_CHAR:
    return (fold ? qv_unicode_lower(cp) : cp) == in->c;
  case I_ANY:
    return cp != '\n';
  case I_CLASS: {
    const char_class *cls = &re->classes[in->x];
    bool has = class_has(re, cls, cp) ||
               (fold && (class_has(re, cls, qv_unicode_lower(cp)) ||
                         class_has(re, cls, qv_unicode_upper(cp))));
    return has != cls->negated;
  }
  default:
    return false;
  }
}

int qv_regex_search(qv_regex *re, const char *text, int64_t size_bytes, int64_t from,
                    int64_t *caps) {
  struct vm_scratch *sc = re->scratch;
  int n_caps = 2 * (re->groups + 1);
  if (sc->generation > UINT32_MAX - 2 * (uint32_t)(size_bytes - from + 2) ||
      size_bytes - from > INT32_MAX) {
    memset(sc->mark, 0, (size_t)re->n_insts * sizeof *sc->mark);
    sc->generation = 0;
  }
  vm m = {.re = re, .text = (const unsigned char *)text, .len = size_bytes, .n_caps = n_caps,
          .mark = sc->mark, .generation = sc->generation + 1, .stack = sc->stack};
  int64_t *start_caps = sc->start_caps;
  thread_list *clist = &sc->lists[0], *nlist = &sc->lists[1];
  clist->n = 0;
  nlist->n = 0;
  int result = 0;
  for (int64_t pos = from;;) {
    if (!result) {
      for (int k = 0; k < n_caps; k++) start_caps[k] = -1;
      add_thread(&m, clist, 0, start_caps, pos);
    }
    if (clist->n == 0) break;
    int64_t next = pos;
    uint32_t cp =
        pos < size_bytes ? qv_utf8_decode_((const char *)m.text, size_bytes, &next) : 0;
    m.generation++;
    nlist->n = 0;
    for (int32_t t = 0; t < clist->n; t++) {
      const inst *in = &re->prog[clist->pc[t]];
      int64_t *tcaps = &clist->caps[(size_t)t * (size_t)n_caps];
      if (in->op == I_MATCH) {
        result = 1;
        memcpy(caps, tcaps, sizeof(int64_t) * (size_t)n_caps);
        break; /* lower-priority threads are cut off (leftmost-first) */
      }
      if (pos < size_bytes && consumes(re, in, cp)) add_thread(&m, nlist, clist->pc[t] + 1, tcaps, next);
    }
    thread_list *swap = clist;
    clist = nlist;
    nlist = swap;
    if (pos >= size_bytes) break;
    pos = next;
  }
  sc->generation = m.generation;
  return result;
}
