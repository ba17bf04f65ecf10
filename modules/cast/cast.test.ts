/**
 * The cast module against DuckDB's CAST (onError "fail") and TRY_CAST (onError "null") on
 * vega-datasets cars and movies, with nulls injected: number to text and back, text to dates,
 * dates to timestamps, floats rounded to integers, and text that does not convert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { expectTable, loadQuery, openOracle, rechunk, runFails, runOk } from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, builtModule } from '../sdk/reactor.testkit';

let oracle: Oracle;
let cars: Table;
let movies: Table;

const DATA = 'node_modules/vega-datasets/data';

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('cast', abi);
  oracle = await openOracle();
  cars = await loadQuery(
    oracle,
    'cars',
    `SELECT Name, CASE WHEN row_number() OVER () % 7 = 3 THEN NULL ELSE Miles_per_Gallon END AS mpg,
            Cylinders, Horsepower, CAST(Year AS VARCHAR) AS year_text, Year, Acceleration,
            CASE WHEN row_number() OVER () % 5 = 1 THEN NULL ELSE Origin END AS Origin,
            CAST(Acceleration * 1e6 AS DOUBLE) AS big, CAST(Cylinders % 2 AS VARCHAR) AS odd
       FROM read_json('${DATA}/cars.json')`,
    100,
  );
  movies = await loadQuery(
    oracle,
    'movies',
    `SELECT Title->>'$' AS Title, "US Gross", "Release Date", "Running Time min",
            "Rotten Tomatoes Rating", "IMDB Rating"
       FROM read_json('${DATA}/movies.json')`,
    500,
  );
});

afterAll(() => oracle?.close());

describe.each(BOTH_ABIS)('cast module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('cast', input, params, abi);

  it('converts numbers, text and dates on cars as DuckDB CAST does', async () => {
    const out = run(rechunk(cars, [0, 30, 1]), {
      columns: [
        { column: 'mpg', to: 'string' },
        { column: 'Cylinders', to: 'float64' },
        { column: 'Horsepower', to: 'string' },
        { column: 'year_text', to: 'date' },
        { column: 'Year', to: 'timestamp' },
        { column: 'Acceleration', to: 'int64' },
        { column: 'big', to: 'int32' },
        { column: 'odd', to: 'bool' },
      ],
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT Name, CAST(mpg AS VARCHAR) AS mpg, CAST(Cylinders AS DOUBLE) AS Cylinders,
                CAST(Horsepower AS VARCHAR) AS Horsepower, CAST(year_text AS DATE) AS year_text,
                CAST(Year AS TIMESTAMP) AS Year, CAST(Acceleration AS BIGINT) AS Acceleration,
                Origin, CAST(big AS INTEGER) AS big, CAST(odd AS BOOLEAN) AS odd
           FROM cars ORDER BY file_row_number`,
      ),
    );
  });

  it('turns values that do not convert into nulls as TRY_CAST does (movies)', async () => {
    const out = run(movies, {
      onError: 'null',
      columns: [
        { column: 'Title', to: 'int64' },
        { column: 'Release Date', to: 'date' },
        { column: 'IMDB Rating', to: 'string' },
        { column: 'US Gross', to: 'float64' },
        { column: 'Running Time min', to: 'int32' },
        { column: 'Rotten Tomatoes Rating', to: 'bool' },
      ],
    });
    const expected = await oracle.columns(
      `SELECT TRY_CAST(Title AS BIGINT) AS Title, CAST("US Gross" AS DOUBLE) AS "US Gross",
              TRY_CAST("Release Date" AS DATE) AS "Release Date",
              CAST("Running Time min" AS INTEGER) AS "Running Time min",
              CAST("Rotten Tomatoes Rating" AS BOOLEAN) AS "Rotten Tomatoes Rating",
              CAST("IMDB Rating" AS VARCHAR) AS "IMDB Rating"
         FROM movies ORDER BY file_row_number`,
    );
    expect(expected['Title']!.filter((v) => v !== null).length).toBeGreaterThan(0);
    expectTable(out, expected);
  });

  it('fails naming the column, the input row and the value, across batches', async () => {
    const [first] = (
      await oracle.columns(
        `SELECT file_row_number AS n, "Release Date" AS d FROM movies
          WHERE TRY_CAST("Release Date" AS DATE) IS NULL AND "Release Date" IS NOT NULL
          ORDER BY file_row_number LIMIT 1`,
      )
    )['n']!;
    const message = runFails(
      'cast',
      rechunk(movies, [7, 100]),
      { columns: [{ column: 'Release Date', to: 'date' }] },
      abi,
    );
    expect(message).toContain(`column "Release Date" row ${String(first)}: cannot cast "`);
    expect(message).toContain('to date32');
  });

  it('refuses a pair of types that never converts, before reading rows', () => {
    const message = runFails('cast', cars, { columns: [{ column: 'Year', to: 'int64' }] }, abi);
    expect(message).toContain('column "Year" (date32) cannot be cast to int64');
  });
});
