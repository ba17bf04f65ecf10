/**
 * DuckDB-Wasm (npm `@duckdb/duckdb-wasm`, its blocking bindings) loaded once per thread, on the
 * first SQL step that thread runs. How it is loaded depends on the thread: the Node worker entry
 * gives the Node blocking build and the `.wasm` path (`engine-node.ts`), the browser worker entry
 * the browser blocking build and the `.wasm` URL (`engine-browser.ts`). Both run the same
 * `duckdb-eh.wasm`, so a query gives the same answer in the CLI and in the editor.
 */

/** A connection of DuckDB-Wasm's blocking bindings (what this step uses of it). */
export interface DuckDBConnection {
  /** Calls `use` with the bindings and this connection's id. */
  useUnsafe<R>(use: (db: DuckDBBindings, conn: number) => R): R;
  close(): void;
}

/**
 * What the SQL step uses of DuckDB-Wasm's blocking bindings (`DuckDBBindings` in its
 * `bindings_interface.d.ts`, which the package's exports do not reach).
 */
export interface DuckDBBindings {
  connect(): DuckDBConnection;
  /** Runs a query; the result as an Arrow IPC stream. Throws DuckDB's error. */
  runQuery(conn: number, text: string): Uint8Array;
  /** Parses `text`; the tables it names. Throws DuckDB's parser error. */
  getTableNames(conn: number, text: string): string[];
  /** Creates (or appends to) table `options.name` from an Arrow IPC stream. */
  insertArrowFromIPCStream(
    conn: number,
    buffer: Uint8Array,
    options: { name: string; create?: boolean },
  ): void;
}

/** Loads and opens a DuckDB instance; rejects with what failed. */
export type SqlEngineLoader = () => Promise<DuckDBBindings>;

let loader: SqlEngineLoader | undefined;
let loading: Promise<DuckDBBindings> | undefined;

/** Sets how this thread loads DuckDB (called by the worker entry). */
export function setSqlEngineLoader(load: SqlEngineLoader): void {
  loader = load;
}

/**
 * Forgets this thread's DuckDB, so that the next call loads a fresh one: after an internal
 * error DuckDB refuses every later statement ("database has been invalidated").
 */
export function discardSqlEngine(): void {
  loading = undefined;
}

/** This thread's DuckDB; the first call loads it. Throws if the thread has no loader. */
export function loadSqlEngine(): Promise<DuckDBBindings> {
  if (loader === undefined) throw new Error('the SQL engine (DuckDB-Wasm) is not available here');
  loading ??= loader();
  return loading;
}

/**
 * Closes DuckDB's doors to the outside for good: no file, URL or extension can be read or
 * written (`enable_external_access = false` cannot be set back while the database runs). A SQL
 * step sees only its inputs, as any other step; without this, `read_csv('/etc/passwd')` would read
 * the CLI's files and `read_parquet('https://…')` would reach the network from the page.
 */
export function closeExternalAccess(db: DuckDBBindings): DuckDBBindings {
  const conn = db.connect();
  try {
    conn.useUnsafe((d, c) => d.runQuery(c, 'SET enable_external_access = false'));
  } finally {
    conn.close();
  }
  return db;
}

/** The bindings before they are usable: instantiated (the .wasm compiled), then opened. */
export interface DuckDBInstance extends DuckDBBindings {
  instantiate(onProgress: () => void): Promise<unknown>;
  open(config: object): void;
}
