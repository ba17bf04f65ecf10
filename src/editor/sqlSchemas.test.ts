/**
 * A SQL step's output schema before a run: DuckDB-Wasm (the Node build of the engine the editor
 * runs) runs the query without rows over empty tables with the inputs' columns; the schema it
 * gives equals the one a real run outputs, and once fed to validation a filter after the SQL
 * step has its input columns and an error for an unknown column, with no run of the SQL step.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnownSchemas } from '../pipeline/infer';
import { validatePipelineWithSchemas } from '../pipeline/validate';
import type { NodeHost } from '../runtime/node-host';
import { runPipeline } from '../runtime/run';
import type { DuckDBConnection } from '../runtime/sql/engine';
import { loadNodeSqlEngine } from '../runtime/sql/engine-node';
import { edge, pipeline, step, testHost } from '../runtime/testkit';
import { checkSql } from '../runtime/sql/check';
import { describedFor, sqlTablesOf } from './sqlSchemas';

const WEATHER = resolve('node_modules/vega-datasets/data/seattle-weather.csv');
const QUERY = `SELECT weather, count(*) AS days, avg(temp_max) AS mean_max, min(date) AS first
FROM input GROUP BY weather;`;

let host: NodeHost;
let conn: DuckDBConnection;

beforeAll(async () => {
  host = await testHost();
  conn = (await loadNodeSqlEngine()).connect();
}, 120_000);
afterAll(async () => {
  conn.close();
  await host.pool.terminate();
});

/** source → csv → sql → filter (`expression`). */
function doc(query: string, expression: string) {
  return pipeline(
    [
      step('source', 'source', { uri: WEATHER }),
      step('csv', 'csv'),
      step('sql', 'sql', { query }),
      step('filter', 'filter', { expression }),
    ],
    [
      edge('source', 'csv', 'bytes', 'csv'),
      edge('csv', 'sql', 'out', 'input'),
      edge('sql', 'filter'),
    ],
  );
}

describe('SQL output schema before a run', () => {
  it('equals the schema a run outputs, and lets validation check the step after it', async () => {
    const d = doc(QUERY, 'dayz > 100');
    const run = await runPipeline(d, host);
    expect(run.steps.sql?.status, JSON.stringify(run.steps.sql)).toBe('finished');
    const ran = run.steps.sql!.preview!.out!.schema;
    // Before the SQL step's run: only the csv step's schema is known (a probe gives it).
    const known: KnownSchemas = { csv: { out: run.steps.csv!.preview!.out!.schema } };
    const before = validatePipelineWithSchemas(d, host.catalog, known);
    expect(before.schemas.inputs.filter?.in?.known).toBe(false);
    const tables = sqlTablesOf(before, 'sql')!;
    const reply = checkSql(conn, { id: 1, query: QUERY, tables: JSON.parse(tables) });
    expect(reply).toMatchObject({ type: 'checked', id: 1 });
    const schema = (reply as { schema?: unknown }).schema;
    expect(schema).toEqual(ran);

    const entries = { sql: { query: QUERY, tables, schema: ran } };
    const more = describedFor(d, before, entries, known);
    const after = validatePipelineWithSchemas(d, host.catalog, { ...known, ...more });
    const filterIn = after.schemas.inputs.filter?.in;
    expect(filterIn?.known && filterIn.schema.fields.map((f) => f.name)).toEqual([
      'weather',
      'days',
      'mean_max',
      'first',
    ]);
    const issues = after.issues.filter((i) => i.stepId === 'filter');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/dayz.*did you mean "days"/);
    // The same filter on a known column is fine.
    const ok = doc(QUERY, 'days > 100');
    const okCheck = validatePipelineWithSchemas(ok, host.catalog, { ...known, ...more });
    expect(okCheck.issues.filter((i) => i.stepId === 'filter')).toEqual([]);
  }, 120_000);

  it('counts only for the query and input columns it was described for', () => {
    const d = doc(QUERY, 'days > 100');
    const csvOnly: KnownSchemas = {
      csv: { out: { fields: [{ name: 'weather', type: { type: 'utf8' }, nullable: true }] } },
    };
    const check = validatePipelineWithSchemas(d, host.catalog, csvOnly);
    const schema = { fields: [] };
    const tables = sqlTablesOf(check, 'sql')!;
    expect(describedFor(d, check, { sql: { query: QUERY, tables, schema } }, csvOnly)).toEqual({
      sql: { out: schema },
    });
    const otherQuery = { sql: { query: 'SELECT 1', tables, schema } };
    expect(describedFor(d, check, otherQuery, csvOnly)).toEqual({});
    const otherColumns = { sql: { query: QUERY, tables: '{"input":"\\"x\\" INTEGER"}', schema } };
    expect(describedFor(d, check, otherColumns, csvOnly)).toEqual({});
  });

  it('a query that makes its own rows is described without running them', () => {
    const reply = checkSql(conn, {
      id: 2,
      query: 'SELECT i, i * 2 AS twice FROM range(1000000000000) t(i) ORDER BY twice DESC',
      tables: { input: '"x" INTEGER' },
    });
    expect(reply).toMatchObject({
      schema: { fields: [{ name: 'i' }, { name: 'twice' }] },
    });
  });
});
