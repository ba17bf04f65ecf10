/** What the browser bench asks its DuckDB-Wasm page to do, and what the page answers. */

/** One example for DuckDB-Wasm. */
export interface DuckdbJob {
  /** URL of the data file on the bench's server. */
  url: string;
  /** `file`: registered under `fileName` and scanned by `sql`; `arrow-stream`: an Arrow IPC
   * stream inserted as table `loaded` (DuckDB-Wasm reads Arrow IPC only that way). */
  load: 'file' | 'arrow-stream';
  fileName: string;
  /** The example's query, over the file (or over `loaded` for an Arrow stream). */
  sql: string;
  /** Copies the file into table `loaded` (null when it is already there). */
  loadSql: string | null;
  /** The example's query over table `loaded`. */
  loadedSql: string;
}

/** Milliseconds of one page's work (`performance.now()` in the page). */
export interface DuckdbTimes {
  /** Worker start, wasm instantiation, connection. */
  openMs: number;
  /** Fetching the file, registering or loading it, and the first query. */
  firstMs: number;
  /** The same query again (the file already registered). */
  secondMs: number;
  /** The query over the loaded table. */
  loadedMs: number;
  /** Rows of the result. */
  rows: number;
}
