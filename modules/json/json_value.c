/* The csv module's value forms (ISO 8601 dates and timestamps, the type lattice), shared so
 * that JSON strings infer exactly as CSV fields do. */
#include "../csv/csv_value.c"
