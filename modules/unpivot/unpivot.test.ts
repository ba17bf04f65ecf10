/**
 * The unpivot module against DuckDB's own UNPIVOT on vega-datasets cars and movies (nulls
 * injected), ordered by input row and then by the listed columns' order (the module's order).
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
  for (const abi of BOTH_ABIS) builtModule('unpivot', abi);
  oracle = await openOracle();
  cars = await loadQuery(
    oracle,
    'cars',
    `SELECT Name, Miles_per_Gallon, Cylinders,
            CASE WHEN row_number() OVER () % 9 = 4 THEN NULL ELSE Horsepower END AS Horsepower,
            Acceleration, CAST(year(Year) AS BIGINT) AS yr,
            CASE WHEN row_number() OVER () % 13 = 0 THEN NULL ELSE Origin END AS Origin
       FROM read_json('${DATA}/cars.json')`,
    60,
  );
  movies = await loadQuery(
    oracle,
    'movies',
    `SELECT Title->>'$' AS Title, Distributor, Source, "Major Genre", "IMDB Rating"
       FROM read_json('${DATA}/movies.json')`,
    700,
  );
});

afterAll(() => oracle?.close());

describe.each(BOTH_ABIS)('unpivot module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('unpivot', input, params, abi);
  const listOrder = (cols: string[]) =>
    `list_position([${cols.map((c) => `'${c}'`).join(', ')}], field)`;

  it('unpivots numbers of mixed types into float64, nulls left out', async () => {
    const cols = ['Miles_per_Gallon', 'Cylinders', 'Horsepower'];
    // DuckDB's names are case-insensitive: a name column "name" would clash with "Name".
    const out = run(rechunk(cars, [0, 17, 100]), { columns: cols, nameColumn: 'field' });
    expectTable(
      out,
      await oracle.columns(
        `SELECT Name, Acceleration, yr, Origin, field, value FROM (
           UNPIVOT (SELECT file_row_number, Name, CAST(Miles_per_Gallon AS DOUBLE) AS Miles_per_Gallon,
                           CAST(Cylinders AS DOUBLE) AS Cylinders, CAST(Horsepower AS DOUBLE) AS Horsepower,
                           Acceleration, yr, Origin FROM cars)
           ON ${cols.join(', ')} INTO NAME field VALUE value)
         ORDER BY file_row_number, ${listOrder(cols)}`,
      ),
    );
  });

  it('unpivots text columns, nulls included when asked, with chosen names', async () => {
    const cols = ['Source', 'Major Genre', 'Distributor'];
    const out = run(movies, {
      columns: cols,
      nameColumn: 'field',
      valueColumn: 'text',
      includeNulls: true,
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT Title, "IMDB Rating", field, text
           FROM movies UNPIVOT INCLUDE NULLS (text FOR field IN (Source, "Major Genre", Distributor))
         ORDER BY file_row_number, list_position(['Source', 'Major Genre', 'Distributor'], field)`,
      ),
    );
  });

  it('refuses columns of types that do not mix, naming them', () => {
    const message = runFails('unpivot', cars, { columns: ['Horsepower', 'Name'] }, abi);
    expect(message).toContain('column "Name" is utf8, but "Horsepower" is int64');
  });
});
