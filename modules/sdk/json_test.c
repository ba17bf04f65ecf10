/* Unit tests of the SDK's JSON parser and parameter getters (json.c). Built natively with
 * sanitizers and run by modules/sdk/sdk.test.ts. Prints "ok <n> checks" or the first
 * failure. Expected values come from RFC 8259 and hand-computed UTF-8, not from our output. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiver.h"

static int checks = 0;
static int failures = 0;

#define CHECK(cond)                                                                      \
  do {                                                                                   \
    checks++;                                                                            \
    if (!(cond)) {                                                                       \
      failures++;                                                                        \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                             \
    }                                                                                    \
  } while (0)

static qv_json *parse(const char *text, qv_error *err) {
  qv_json *root = NULL;
  int rc = qv_json_parse(text, (int64_t)strlen(text), &root, err);
  if (rc != QV_OK) return NULL;
  return root;
}

/** Parsing `text` fails with EINVAL and a message containing `needle`. */
static void expect_error(const char *text, const char *needle) {
  qv_error err = {0, ""};
  qv_json *root = parse(text, &err);
  CHECK(root == NULL);
  CHECK(err.code == EINVAL);
  if (strstr(err.message, needle) == NULL) {
    failures++;
    printf("FAIL: parsing %s: message '%s' lacks '%s'\n", text, err.message, needle);
  }
  qv_json_free(root);
}

static void test_values(void) {
  qv_error err;
  qv_json *r = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}, \"c\": []} ", &err);
  CHECK(r != NULL && r->kind == QV_JSON_OBJECT && r->n_children == 3);
  const qv_json *a = qv_json_get(r, "a");
  CHECK(a != NULL && a->kind == QV_JSON_ARRAY && a->n_children == 6);
  CHECK(qv_json_at(a, 0)->number_value == 1.0);
  CHECK(qv_json_at(a, 1)->number_value == -2500.0);
  CHECK(qv_json_at(a, 2)->kind == QV_JSON_BOOL && qv_json_at(a, 2)->bool_value);
  CHECK(qv_json_at(a, 3)->kind == QV_JSON_BOOL && !qv_json_at(a, 3)->bool_value);
  CHECK(qv_json_at(a, 4)->kind == QV_JSON_NULL);
  CHECK(strcmp(qv_json_at(a, 5)->string_value, "x") == 0);
  CHECK(qv_json_at(a, 6) == NULL);
  CHECK(qv_json_get(r, "b")->kind == QV_JSON_OBJECT && qv_json_get(r, "b")->n_children == 0);
  CHECK(qv_json_get(r, "c")->kind == QV_JSON_ARRAY && qv_json_get(r, "c")->n_children == 0);
  CHECK(qv_json_get(r, "zz") == NULL);
  CHECK(strcmp(r->children[1].key, "b") == 0);
  qv_json_free(r);

  r = parse("0.1", &err);
  CHECK(r != NULL && r->number_value == 0.1);
  qv_json_free(r);
  r = parse("-0", &err);
  CHECK(r != NULL && r->number_value == 0.0 && signbit(r->number_value));
  qv_json_free(r);
  r = parse("1E+2", &err);
  CHECK(r != NULL && r->number_value == 100.0);
  qv_json_free(r);
}

static void test_strings(void) {
  qv_error err;
  /* escapes; \u00e9 is U+00E9 = C3 A9; \ud83d\ude00 is U+1F600 = F0 9F 98 80 */
  qv_json *r = parse("\"q\\\"b\\\\s\\/n\\n t\\t \\u00e9 \\ud83d\\ude00 \\b\\f\\r\"", &err);
  CHECK(r != NULL && r->kind == QV_JSON_STRING);
  const char *want = "q\"b\\s/n\n t\t \xC3\xA9 \xF0\x9F\x98\x80 \b\f\r";
  CHECK(r != NULL && strcmp(r->string_value, want) == 0);
  CHECK(r != NULL && r->string_size_bytes == (int64_t)strlen(want));
  qv_json_free(r);
  r = parse("\"a\\u0000b\"", &err);
  CHECK(r != NULL && r->string_size_bytes == 3 && r->string_value[1] == '\0' &&
        r->string_value[2] == 'b');
  qv_json_free(r);
  r = parse("\"\xE2\x82\xAC\"", &err); /* raw UTF-8 euro sign */
  CHECK(r != NULL && r->string_size_bytes == 3);
  qv_json_free(r);
}

static void test_errors(void) {
  expect_error("", "unexpected end of input");
  expect_error("{", "line 1, column 2");
  expect_error("{\"a\":1,}", "expected a member name");
  expect_error("[1,]", "unexpected character");
  expect_error("{\"a\" 1}", "expected ':'");
  expect_error("{\"a\":1}\n x", "line 2, column 2: unexpected text after the value");
  expect_error("01", "unexpected text after the value");
  expect_error("1.", "invalid number");
  expect_error("-", "invalid number");
  expect_error("1e", "invalid number");
  expect_error("1e999", "number out of range");
  expect_error("tru", "unexpected character");
  expect_error("\"abc", "unterminated string");
  expect_error("\"a\nb\"", "control character");
  expect_error("\"\\x\"", "invalid escape");
  expect_error("\"\\u12G4\"", "invalid hex digit");
  expect_error("\"\\ud800\"", "unpaired high surrogate");
  expect_error("\"\\udc00\"", "unpaired low surrogate");
  expect_error("\"\\ud800\\u0041\"", "invalid low surrogate");
  expect_error("\"\xC3\"", "invalid UTF-8");
  expect_error("\"\xC0\xAF\"", "invalid UTF-8"); /* overlong '/' */
  expect_error("\"\xED\xA0\x80\"", "invalid UTF-8"); /* encoded surrogate */
  expect_error("{\"a\":1,\"a\":2}", "duplicate key");
  expect_error("'a'", "unexpected character");
  char deep[QV_JSON_MAX_DEPTH + 10];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  expect_error(deep, "nesting too deep");
}

static void test_getters(void) {
  qv_error err = {0, ""};
  qv_json *r = parse("{\"n\": 42, \"f\": 2.5, \"s\": \"hi\", \"b\": true, \"z\": null, "
                     "\"big\": 1e300, \"arr\": [1], \"obj\": {\"k\": 1}}",
                     &err);
  CHECK(r != NULL);
  int64_t i = 0;
  double d = 0;
  bool b = false;
  const char *s = NULL;
  const qv_json *v = NULL;
  CHECK(qv_json_get_int64(r, "n", &i, &err) == QV_OK && i == 42);
  CHECK(qv_json_get_double(r, "n", &d, &err) == QV_OK && d == 42.0);
  CHECK(qv_json_get_double(r, "f", &d, &err) == QV_OK && d == 2.5);
  CHECK(qv_json_get_string(r, "s", &s, &err) == QV_OK && strcmp(s, "hi") == 0);
  CHECK(qv_json_get_bool(r, "b", &b, &err) == QV_OK && b);
  CHECK(qv_json_get_array(r, "arr", &v, &err) == QV_OK && v->n_children == 1);
  CHECK(qv_json_get_object(r, "obj", &v, &err) == QV_OK && v->n_children == 1);

  CHECK(qv_json_get_int64(r, "f", &i, &err) == EINVAL);
  CHECK(strstr(err.message, "parameter 'f' must be an integer") != NULL);
  CHECK(qv_json_get_int64(r, "big", &i, &err) == EINVAL);
  CHECK(qv_json_get_string(r, "n", &s, &err) == EINVAL);
  CHECK(strcmp(err.message, "parameter 'n' must be a string, found number") == 0);
  CHECK(qv_json_get_bool(r, "missing", &b, &err) == EINVAL);
  CHECK(strcmp(err.message, "parameter 'missing' is missing") == 0);
  CHECK(qv_json_get_string(r, "z", &s, &err) == EINVAL);
  CHECK(strstr(err.message, "found null") != NULL);

  CHECK(qv_json_get_int64_or(r, "missing", 7, &i, &err) == QV_OK && i == 7);
  CHECK(qv_json_get_int64_or(r, "z", 8, &i, &err) == QV_OK && i == 8);
  CHECK(qv_json_get_int64_or(r, "n", 8, &i, &err) == QV_OK && i == 42);
  CHECK(qv_json_get_string_or(r, "z", "dflt", &s, &err) == QV_OK && strcmp(s, "dflt") == 0);
  CHECK(qv_json_get_bool_or(r, "missing", true, &b, &err) == QV_OK && b);
  CHECK(qv_json_get_double_or(r, "missing", 1.5, &d, &err) == QV_OK && d == 1.5);
  CHECK(qv_json_get_bool_or(r, "s", true, &b, &err) == EINVAL);
  CHECK(strstr(err.message, "parameter 's' must be a boolean, found string") != NULL);
  CHECK(qv_json_get(NULL, "x") == NULL);
  CHECK(qv_json_get(qv_json_get(r, "n"), "x") == NULL);
  qv_json_free(r);
}

int main(void) {
  test_values();
  test_strings();
  test_errors();
  test_getters();
  if (failures > 0) {
    printf("%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("ok %d checks\n", checks);
  return 0;
}
