/**
 * The DuckDB-Wasm side of `npm run bench:browser`, bundled by esbuild into a page of its own
 * (never into the editor). The bench calls `window.duckdbBench(job)` once per fresh page; it
 * opens DuckDB-Wasm (the `eh` build, one worker), loads the file and times the queries.
 */
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import type { DuckdbJob, DuckdbTimes } from './duckdb-job';

/** Where the server maps `@duckdb/duckdb-wasm/dist/`. */
const DIST = '/duckdb-dist/';

async function openDuckdb(): Promise<AsyncDuckDB> {
  const db = new AsyncDuckDB(new VoidLogger(), new Worker(`${DIST}duckdb-browser-eh.worker.js`));
  await db.instantiate(`${DIST}duckdb-eh.wasm`);
  return db;
}

async function measure(job: DuckdbJob): Promise<DuckdbTimes> {
  let t0 = performance.now();
  const db = await openDuckdb();
  const conn = await db.connect();
  const openMs = performance.now() - t0;

  t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch(job.url)).arrayBuffer());
  if (job.load === 'arrow-stream') {
    await conn.insertArrowFromIPCStream(bytes, { name: 'loaded', create: true });
  } else {
    await db.registerFileBuffer(job.fileName, bytes);
  }
  const rows = (await conn.query(job.sql)).numRows;
  const firstMs = performance.now() - t0;

  t0 = performance.now();
  await conn.query(job.sql);
  const secondMs = performance.now() - t0;

  if (job.loadSql !== null) await conn.query(job.loadSql);
  t0 = performance.now();
  await conn.query(job.loadedSql);
  const loadedMs = performance.now() - t0;

  await conn.close();
  await db.terminate();
  return { openMs, firstMs, secondMs, loadedMs, rows };
}

(window as unknown as { duckdbBench: typeof measure }).duckdbBench = measure;
