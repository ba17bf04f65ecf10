/**
 * DuckDB-Wasm in a browser worker: the package's browser blocking build, imported on the first
 * SQL step or check (a chunk of its own, so the editor's first load does not carry it), running
 * `duckdb-eh.wasm` (emitted by Vite under assets/, precached for offline use by vite.config.ts)
 * in the calling worker itself, with no worker of its own.
 */
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { closeExternalAccess, type DuckDBBindings } from './engine';

/** URL of the engine's `.wasm` (the one large download of the SQL step). */
export const SQL_ENGINE_URL = wasmUrl;

/** Loads, instantiates and opens DuckDB-Wasm's exception-handling build in this thread. */
export async function loadBrowserSqlEngine(): Promise<DuckDBBindings> {
  const duckdb = await import('@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs');
  const bundle = { mainModule: new URL(wasmUrl, self.location.href).href, mainWorker: '' };
  const db = await duckdb.createDuckDB(
    { mvp: bundle, eh: bundle },
    new duckdb.VoidLogger(),
    duckdb.BROWSER_RUNTIME,
  );
  await db.instantiate(() => undefined);
  db.open({});
  return closeExternalAccess(db);
}
