/*
 * groups.h — assigning rows to groups by the values of their key columns (SQL GROUP BY:
 * nulls equal each other, so null keys form their own group).
 */
#ifndef QUIVER_AGGREGATE_GROUPS_H
#define QUIVER_AGGREGATE_GROUPS_H

#include <stdint.h>

#include "quiver.h"

/**
 * Numbers the groups of `all` by the key columns `key_columns[0..n_keys)` in order of their
 * first row, writes each row's group number to `gid[0..all->n_rows)` (caller-owned), and
 * returns the number of groups. `*out_first_row` receives a malloc'ed array (owned by the
 * caller, free()) of each group's first row number. With no keys every row is in group 0
 * and there is exactly one group, even for empty input (its first row is then -1).
 * Exits through qv_fail when memory runs out.
 */
int64_t group_rows(const qv_batch *all, const int64_t *key_columns, int n_keys, uint32_t *gid,
                   int64_t **out_first_row);

#endif /* QUIVER_AGGREGATE_GROUPS_H */
