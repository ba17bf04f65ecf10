/*
 * window_sort.c — the window step orders rows with the sort module's stable radix/merge sort
 * of row numbers (modules/sort/sort_perm.c), compiled into this module from that one source:
 * a module is built from the C files of its own folder, so this file includes the sort's
 * instead of copying it.
 */
#include "../sort/sort_perm.c"
