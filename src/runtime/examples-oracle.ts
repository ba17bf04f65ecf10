/**
 * For the example tests and the bench (Node only): the DuckDB query equal to each example in
 * examples/, over the same file. DuckDB reads Arrow IPC only through an extension it would
 * download, so flights-200k.arrow is handed to it as CSV written from apache-arrow's reading.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { REPO_ROOT } from './node-host';

/** The examples of one source file each, by file name without `.quiver.json` (the bench's). */
export const EXAMPLES = [
  'seattle-weather',
  'flights-delay-by-distance',
  'flights-by-origin',
] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** The examples joining two source files (SQL), checked against DuckDB by the tests only. */
export const JOINED_EXAMPLES = ['flights-delay-by-state'] as const;
export type JoinedExampleName = (typeof JOINED_EXAMPLES)[number];

const DATA = join(REPO_ROOT, 'node_modules/vega-datasets/data');

let flightsCsvPath: string | undefined;

/**
 * Writes flights-200k.arrow's delay and distance as CSV, once per process, to one fixed file in
 * the temporary directory (replaced atomically, so runs neither pile up files nor race);
 * returns its path.
 */
function flightsCsv(): string {
  if (flightsCsvPath !== undefined) return flightsCsvPath;
  const table = tableFromIPC(readFileSync(join(DATA, 'flights-200k.arrow')));
  const delay = table.getChild('delay')?.toArray() ?? [];
  const distance = table.getChild('distance')?.toArray() ?? [];
  const lines = ['delay,distance'];
  for (let i = 0; i < table.numRows; i++) lines.push(`${delay[i]},${distance[i]}`);
  const path = join(tmpdir(), 'quiver-oracle-flights-200k.csv');
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, lines.join('\n'));
  renameSync(partial, path);
  flightsCsvPath = path;
  return path;
}

/** DuckDB SQL giving the example's result, columns and order included. */
export function exampleSql(name: ExampleName | JoinedExampleName): string {
  switch (name) {
    case 'seattle-weather':
      return `SELECT weather, count(*) AS days, avg(temp_max - temp_min) AS avg_temp_range,
                     sum(precipitation) AS total_precipitation
              FROM read_csv('${DATA}/seattle-weather.csv', header = true)
              WHERE temp_max > 15 GROUP BY weather ORDER BY days DESC`;
    case 'flights-delay-by-distance':
      return `SELECT CAST(floor(distance / 250) * 250 AS BIGINT) AS band, count(*) AS flights,
                     avg(delay) AS avg_delay, max(delay) AS max_delay
              FROM read_csv('${flightsCsv()}', header = true,
                            columns = {'delay': 'SMALLINT', 'distance': 'SMALLINT'})
              WHERE delay > 0 GROUP BY band ORDER BY band`;
    case 'flights-by-origin':
      return `SELECT origin, count(*) AS flights, avg(delay) AS avg_delay
              FROM read_parquet('${DATA}/flights-3m.parquet')
              WHERE distance > 500 GROUP BY origin ORDER BY flights DESC, origin LIMIT 20`;
    case 'flights-delay-by-state':
      // The chart step's table (x, value; no colour): its bars are the SQL step's rows, in order.
      return `SELECT a.state AS x, avg(f.delay) AS value
              FROM read_parquet('${DATA}/flights-3m.parquet') AS f
              JOIN read_csv('${DATA}/airports.csv', header = true,
                            nullstr = ['', 'NA', 'NULL', 'null']) AS a ON f.origin = a.iata
              WHERE a.state IS NOT NULL GROUP BY a.state ORDER BY a.state`;
  }
}
