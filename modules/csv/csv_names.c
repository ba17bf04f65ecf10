/* csv_names.c — column names from a header or generated; see csv_names.h. */
#include "csv_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_column.h"

void csv_names_free(char **names, size_t n) {
  if (!names) return;
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

/* An open-addressing set of the names given so far; each entry also remembers the next
 * suffix to try for its name, so that many equal names cost linear, not quadratic, time. */
typedef struct name_entry {
  const char *name;
  size_t next_suffix;
} name_entry;

typedef struct name_set {
  name_entry *entries;
  size_t mask;
} name_set;

static size_t hash_name(const char *s) {
  size_t h = (size_t)14695981039346656037ULL; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return h;
}

/* The entry holding `name`, or the empty slot where it would go. */
static name_entry *find_slot(name_set *set, const char *name) {
  size_t i = hash_name(name) & set->mask;
  while (set->entries[i].name && strcmp(set->entries[i].name, name) != 0) {
    i = (i + 1) & set->mask;
  }
  return &set->entries[i];
}

char **csv_names_generated(size_t n) {
  char **names = calloc(n ? n : 1, sizeof *names);
  if (!names) return NULL;
  for (size_t i = 0; i < n; i++) {
    names[i] = malloc(32);
    if (!names[i]) {
      csv_names_free(names, n);
      return NULL;
    }
    snprintf(names[i], 32, "column_%zu", i + 1);
  }
  return names;
}

char **csv_names_from_header(const csv_field *fields, size_t n) {
  char **names = calloc(n ? n : 1, sizeof *names);
  name_set set;
  size_t slots = 16;
  while (slots < 2 * n) slots *= 2;
  set.entries = calloc(slots, sizeof *set.entries);
  set.mask = slots - 1;
  if (!names || !set.entries) {
    free(names);
    free(set.entries);
    return NULL;
  }
  char base[CSV_NAME_MAX_BYTES + 1];
  for (size_t i = 0; i < n; i++) {
    size_t len = csv_utf8_sanitize(fields[i].data, fields[i].size_bytes, base, sizeof base);
    if (len == 0) len = (size_t)snprintf(base, sizeof base, "column_%zu", i + 1);
    /* Room for the name and a suffix "_<k>". */
    size_t cap = len + 24;
    names[i] = malloc(cap);
    if (!names[i]) {
      csv_names_free(names, n);
      free(set.entries);
      return NULL;
    }
    memcpy(names[i], base, len + 1);
    name_entry *slot = find_slot(&set, names[i]);
    if (slot->name) {
      name_entry *original = slot;
      size_t k = original->next_suffix ? original->next_suffix : 1;
      for (;; k++) {
        snprintf(names[i], cap, "%s_%zu", base, k);
        slot = find_slot(&set, names[i]);
        if (!slot->name) break;
      }
      original->next_suffix = k + 1;
    }
    slot->name = names[i];
    slot->next_suffix = 0;
  }
  free(set.entries);
  return names;
}
