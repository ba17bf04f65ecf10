/**
 * DuckDB-Wasm's browser blocking build: the package ships its typings, but its `exports` do not
 * reach them for this path; what the SQL step uses of it.
 */
declare module '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs' {
  import type { DuckDBInstance } from './engine';
  type Bundle = { mainModule: string; mainWorker: string };
  export function createDuckDB(
    bundles: { mvp: Bundle; eh: Bundle },
    logger: object,
    runtime: object,
  ): Promise<DuckDBInstance>;
  export class VoidLogger {}
  export const BROWSER_RUNTIME: object;
}
