/**
 * DuckDB-Wasm for Node worker threads: the package's Node blocking build (CommonJS, left
 * unbundled by `env-node.ts` so that it is required from node_modules) instantiating
 * `duckdb-eh.wasm` from its path. Node only.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { closeExternalAccess, type DuckDBBindings, type DuckDBInstance } from './engine';

type Bundle = { mainModule: string; mainWorker: string };

/** What we use of `duckdb-node-blocking.cjs` (its typings are not reachable by its exports). */
interface NodeBlocking {
  createDuckDB(
    bundles: { mvp: Bundle; eh: Bundle },
    logger: object,
    runtime: object,
  ): Promise<DuckDBInstance>;
  VoidLogger: new () => object;
  NODE_RUNTIME: object;
}

/** Loads, instantiates and opens DuckDB-Wasm's exception-handling build. */
export async function loadNodeSqlEngine(): Promise<DuckDBBindings> {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const duckdb = require(path) as NodeBlocking;
  const bundle = { mainModule: join(dirname(path), 'duckdb-eh.wasm'), mainWorker: '' };
  // The Node runtime reads the .wasm and files by path.
  const db = await duckdb.createDuckDB(
    { mvp: bundle, eh: bundle },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  db.open({});
  return closeExternalAccess(db);
}
