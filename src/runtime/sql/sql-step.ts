/**
 * Running a SQL step inside its worker: each input port's Arrow stream is read whole and
 * registered in DuckDB-Wasm as a table named after the port (`insertArrowFromIPCStream`), the
 * step's memory cap is set as DuckDB's `memory_limit`, and the query's result (an Arrow IPC
 * stream from `runQuery`) is sent on `out` message by message. The query runs as one call that
 * the main thread times (`hooks.invokeStart`/`invokeEnd`): past the step's time limit the
 * worker is terminated, so a runaway query fails alone. Errors carry the line and column.
 */
import type { EdgeReceiver } from '../edge';
import { loadEngine, type PhaseReport } from '../engine-phase';
import { END_OF_STREAM, ownBuffer, splitIpc } from '../ipc';
import type { SqlStepSpec } from '../protocol';
import { StepError, type StepOutputs } from '../step-outputs';
import type { InvokeHooks } from '../wasm-step';
import { createEmptyTable } from './empty-table';
import { type DuckDBConnection, discardSqlEngine, loadSqlEngine } from './engine';
import { describeSqlError } from './position';

type Input = { port: string; receiver: EdgeReceiver };

/**
 * Runs the step; resolves with 1 (the query runs once). DuckDB loads while the inputs are read,
 * reported to `report` as the `loading-engine` phase. Throws StepError.
 */
export async function runSqlStep(
  spec: SqlStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
  report: PhaseReport,
): Promise<number> {
  const [streams, engine] = await Promise.all([
    Promise.all(
      spec.inputs.map(async (port) => {
        const input = inputs.find((i) => i.port === port);
        if (input === undefined) throw new StepError(`input port "${port}" is not connected`);
        return { port, ...(await readStream(input.receiver)) };
      }),
    ),
    loadEngine('SQL', loadSqlEngine, report),
  ]);
  const conn = engine.connect();
  const run = (sql: string): Uint8Array => conn.useUnsafe((db, id) => db.runQuery(id, sql));
  hooks.invokeStart();
  let result: Uint8Array;
  try {
    run(`SET memory_limit = '${spec.limits.maxMemoryMiB}MB'`);
    for (const s of streams) {
      if (s.batches) register(conn, s.port, s.bytes);
      else run(createEmptyTable(s.port, s.bytes));
    }
    result = run(spec.query);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/^(INTERNAL|FATAL) Error/.test(message)) discardSqlEngine();
    if (message.startsWith('Out of Memory Error')) {
      const cap = spec.limits.maxMemoryMiB;
      throw new StepError(`SQL step exceeded its memory limit of ${cap} MiB: ${message}`);
    }
    throw new StepError(`SQL: ${describeSqlError(message, spec.query)}`);
  } finally {
    hooks.invokeEnd();
    dropTables(run, streams);
    conn.close();
  }
  for (const m of splitIpc(result)) await outputs.send('out', m.kind, m.rows, ownBuffer(m.bytes));
  return 1;
}

/** Drops the input tables, unless the database is already unusable (then it is discarded). */
function dropTables(run: (sql: string) => Uint8Array, streams: { port: string }[]): void {
  try {
    for (const s of streams) run(`DROP TABLE IF EXISTS "${s.port}"`);
  } catch {
    discardSqlEngine();
  }
}

/** An input read whole: one Arrow IPC stream (with its end-of-stream marker). */
interface InputStream {
  bytes: Uint8Array;
  /** Whether any record batch came (a stream without one cannot be registered as such). */
  batches: boolean;
}

/** Every message of an input, as one Arrow IPC stream. */
async function readStream(receiver: EdgeReceiver): Promise<InputStream> {
  const parts: Uint8Array[] = [];
  let batches = false;
  for (;;) {
    const message = await receiver.next();
    if (message === null) break;
    receiver.ack();
    parts.push(message.bytes);
    batches ||= message.kind === 'batch';
  }
  parts.push(END_OF_STREAM);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return { bytes: out, batches };
}

/** Creates table `name` from an Arrow IPC stream. */
function register(conn: DuckDBConnection, name: string, bytes: Uint8Array): void {
  conn.useUnsafe((db, id) => db.insertArrowFromIPCStream(id, bytes, { name, create: true }));
}
