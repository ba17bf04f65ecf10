/**
 * The host SQL steps (src/runtime/sql/sql.json, sql2.json): the query's columns are DuckDB's to
 * say, so the output schema is the one seen in the last run; before that it is unknown.
 */
import { knownAfterReading, type SchemaRule } from './rule';

export const sqlRule: SchemaRule = knownAfterReading('The SQL step’s');
