/**
 * The airports test table for the filter oracle tests: airports.csv with a row id, its state
 * dictionary-encoded (as the csv module reads a repetitive text column).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { type TestTable, dataDir, loadTable } from './expr-oracle';

/** Loads airports.csv into DuckDB table `airports` and the matching Arrow stream. */
export function loadAirports(conn: DuckDBConnection): Promise<TestTable> {
  return loadTable(
    conn,
    'airports',
    `SELECT (row_number() OVER ())::BIGINT AS rid, iata, name, city, state, country, latitude, longitude
     FROM read_csv('${resolve(dataDir, 'airports.csv')}', header = true, columns = {
       'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR',
       'country': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE'})`,
    [
      { name: 'rid', kind: 'bigint' },
      { name: 'iata', kind: 'varchar' },
      { name: 'name', kind: 'varchar' },
      { name: 'city', kind: 'varchar' },
      { name: 'state', kind: 'dict' },
      { name: 'country', kind: 'varchar' },
      { name: 'latitude', kind: 'double' },
      { name: 'longitude', kind: 'double' },
    ],
  );
}
