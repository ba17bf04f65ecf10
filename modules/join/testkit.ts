/**
 * Test kit of the modules with several inputs (join, union): runs a built module on two Arrow
 * tables and checks its rows against a DuckDB query, in `ORDER BY ALL` order (a join's or a
 * union's row order is not SQL's to promise). Builds on modules/sort/testkit.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { writeParquet, Table as ParquetTable } from 'parquet-wasm';
import { expect } from 'vitest';
import type { Abi } from '../sdk/c-build';
import { runBuiltModuleInputs, type BuiltRun } from '../sdk/reactor.testkit';
import { expectTable, parquetToArrow, type Oracle } from '../sort/testkit';

/** Runs module `id` (its `abi` build) on `tables` (port name → table, in port order), the
 * ports in `order` pushed in that order (held ports first). */
export function runInputs(
  id: string,
  abi: Abi,
  tables: Record<string, Table>,
  params: unknown,
  order: number[],
): BuiltRun {
  const inputs = Object.entries(tables).map(([name, t]) => ({
    name,
    stream: tableToIPC(t, 'stream'),
  }));
  return runBuiltModuleInputs(id, abi, inputs, params, order);
}

/** Like {@link runInputs}, expecting success; returns the output and leaves it, as Parquet,
 * at `<scratchDir>/got.parquet` for {@link expectRows}. */
export function runInputsOk(
  oracle: Oracle,
  id: string,
  abi: Abi,
  tables: Record<string, Table>,
  params: unknown,
  order: number[],
): Table {
  const run = runInputs(id, abi, tables, params, order);
  if (run.exitCode !== 0 || run.output === undefined) {
    throw new Error(`${id} exited with ${run.exitCode}: ${run.stderr}`);
  }
  const path = join(oracle.scratchDir, 'got.parquet');
  writeFileSync(path, writeParquet(ParquetTable.fromIPCStream(run.output)));
  return tableFromIPC(run.output);
}

/** Expects the last {@link runInputsOk} output (`output`) to hold exactly the rows of `sql`
 * (any order), column by column: names, integers and strings equal, floats to 1e-9. */
export async function expectRows(oracle: Oracle, output: Table, sql: string): Promise<void> {
  expect(output.numCols).toBeGreaterThan(0);
  const source = join(oracle.scratchDir, 'got.parquet');
  const path = join(oracle.scratchDir, 'got-ordered.parquet');
  await oracle.connection.run(
    `COPY (SELECT * FROM read_parquet('${source}') ORDER BY ALL) TO '${path}' (FORMAT parquet)`,
  );
  const expected = await oracle.columns(`SELECT * FROM (${sql}) ORDER BY ALL`);
  expectTable(parquetToArrow(path), expected);
}
