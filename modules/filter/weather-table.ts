/**
 * The seattle-weather test table for the filter/derive oracle tests: the real CSV with nulls
 * injected at fixed row ids, an int64 column, two timestamp columns (µs and ms with a UTC
 * zone) and pre-1970 date/timestamp columns, so every expression type and null path is hit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { type ColKind, type TestTable, dataDir, loadTable } from './expr-oracle';

export const WEATHER_COLUMNS: { name: string; kind: ColKind }[] = [
  { name: 'rid', kind: 'bigint' },
  { name: 'date', kind: 'date' },
  { name: 'precipitation', kind: 'double' },
  { name: 'temp_max', kind: 'double' },
  { name: 'temp_min', kind: 'double' },
  { name: 'wind', kind: 'double' },
  { name: 'weather', kind: 'dict' },
  { name: 'weather text', kind: 'varchar' },
  { name: 'n', kind: 'bigint' },
  { name: 'ts', kind: 'ts_us' },
  { name: 'tsms', kind: 'ts_ms_utc' },
  { name: 'old', kind: 'date' },
  { name: 'oldts', kind: 'ts_us' },
  { name: 'wet', kind: 'bool' },
];

/** Loads seattle-weather.csv into DuckDB table `w` and the matching Arrow stream. */
export function loadWeather(conn: DuckDBConnection, batchRows = 500): Promise<TestTable> {
  const csv = resolve(dataDir, 'seattle-weather.csv');
  const sql = `
    WITH src AS (
      SELECT (row_number() OVER ())::BIGINT AS rid, *
      FROM read_csv('${csv}', header = true, columns = {
        'date': 'DATE', 'precipitation': 'DOUBLE', 'temp_max': 'DOUBLE', 'temp_min': 'DOUBLE',
        'wind': 'DOUBLE', 'weather': 'VARCHAR'})
    )
    SELECT rid, date,
      CASE WHEN rid % 11 = 0 THEN NULL ELSE precipitation END AS precipitation,
      temp_max,
      CASE WHEN rid % 17 = 0 THEN NULL ELSE temp_min END AS temp_min,
      wind,
      CASE WHEN rid % 13 = 0 THEN NULL ELSE weather END AS weather,
      CASE WHEN rid % 13 = 0 THEN NULL WHEN rid % 5 = 0 THEN upper(weather) || ' Día' ELSE weather END AS "weather text",
      CASE WHEN rid % 19 = 0 THEN NULL ELSE rid - 700 END AS n,
      date + to_minutes((rid * 37) % 1440) AS ts,
      CASE WHEN rid % 23 = 0 THEN NULL ELSE date + to_seconds((rid * 7919) % 86400) END AS tsms,
      (date - INTERVAL 60 YEAR)::DATE AS old,
      date + to_minutes((rid * 53) % 1440) - INTERVAL 70 YEAR AS oldts,
      CASE WHEN rid % 29 = 0 THEN NULL ELSE precipitation > 0 END AS wet
    FROM src`;
  return loadTable(conn, 'w', sql, WEATHER_COLUMNS, batchRows);
}
