/**
 * Every message across the step-worker boundaries, in one place:
 *
 * - main thread → step worker ({@link ToWorker}) and back ({@link FromWorker}), over the
 *   worker's own port, each request with a `messageId` and each answer with its `requestId`;
 * - worker → worker on an edge ({@link EdgeMessage} downstream, {@link EdgeCredit} upstream),
 *   over a MessageChannel per edge; the main thread holds one end only for collected outputs.
 *
 * Payloads are named fields, never positional tuples; errors cross as {@link SerializedError}.
 * Bump {@link PROTOCOL_VERSION} on any change of shape.
 */
import type { ChartParams } from './chart/params';
import type { StepPhase } from './events';
import type { IpcMessageKind } from './ipc';
import type { ReactorOutput } from './reactor-host';
import type { TableSchema } from '../pipeline/table-schema';
import type { GrantedPermissions } from '../pipeline/types';
import type { StepLimits } from '../modules/manifest';

/** Version of this protocol; a worker refuses a request of another version. */
export const PROTOCOL_VERSION = 6;

/** An Error as plain data. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Turns anything thrown into a {@link SerializedError}. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message };
    if (error.stack !== undefined) out.stack = error.stack;
    return out;
  }
  return { name: 'Error', message: String(error) };
}

/** The input side of one edge, as given to the consuming worker. */
export interface InputWire {
  port: string;
  edgeId: string;
  channel: MessagePort;
}

/** The output side of one edge (or of a collection by the main thread). */
export interface OutputWire {
  port: string;
  edgeId: string;
  channel: MessagePort;
  /**
   * A copy kept by the main thread for the step-output cache (`cache.ts`): not a consumer, so it
   * never keeps a step from stopping early, and its end says whether the data was complete.
   * `'end'`: the cache keeps counts only (`cache-taps.ts`), so the tap is sent the end alone.
   */
  tap?: boolean | 'end';
}

/**
 * The `/data` of a step granted storage (`module-data.ts`): the module's persistent directory,
 * `root`/`key` in the worker's store.
 */
export interface StepDataSpec {
  /** Where the host keeps module data: a directory path in Node, an OPFS directory name in the browser. */
  root: string;
  /** The module id: one directory per module. */
  key: string;
  /** Granted read-write (and asked for it); otherwise `/data` is read-only. */
  writable: boolean;
  /** Cap on the bytes the module's files may hold together. */
  maxBytes: number;
}

/** A step running a WebAssembly module. */
export interface WasmStepSpec {
  kind: 'wasm';
  stepId: string;
  moduleId: string;
  /** The module's ABI (`modules/sdk/ABI.md`): 1, a WASI command per run; 2, a reactor. */
  abi: 1 | 2;
  /** Compiled once on the main thread (with its memory maximum rewritten to the cap). */
  module: WebAssembly.Module;
  params: Record<string, unknown>;
  permissions: GrantedPermissions;
  limits: StepLimits;
  streamable: boolean;
  /**
   * For a streamable module: rows of consecutive record batches gathered into one invocation
   * (an instance costs a fresh memory, so tiny batches are run together). Absent: one
   * invocation per batch.
   */
  invocationRows?: number;
  /**
   * Input ports and their types, in manifest order; `holds`: the module keeps that port's whole
   * input, so an ABI 2 step reads it before the others (absent: false).
   */
  inputs: { name: string; type: 'arrow' | 'bytes'; holds?: boolean }[];
  outputs: string[];
  /** Present when the step was granted storage: its `/data`. */
  data?: StepDataSpec;
}

/**
 * Where the file of a source step is. The main thread never reads it: the source's worker reads
 * it in slices (CSV), by the ranges a Parquet reader asks for, or whole (Arrow IPC).
 */
export type SourceData =
  /** Bytes already in memory; the buffer is transferred to the worker. */
  | { kind: 'bytes'; buffer: ArrayBuffer }
  /** A Blob or File (browser); posting it shares its data, nothing is copied. */
  | { kind: 'blob'; blob: Blob }
  /** A file path (Node), opened in the worker: a file-backed Blob cannot be posted. */
  | { kind: 'path'; path: string };

/** The host `source` step: a file the main thread located, read in the worker. */
export interface SourceStepSpec {
  kind: 'source';
  stepId: string;
  /** File name, named in every error about the file. */
  name: string;
  data: SourceData;
  format: 'csv' | 'json' | 'arrow' | 'parquet';
  /**
   * For Parquet: the columns to decode (kept in file order); absent, or naming a column the
   * file does not have at its top level, reads every column. When given, the port's preview
   * still shows every column (its first rows are read separately).
   */
  columns?: string[];
  /** parquet-wasm's compiled module, for Parquet files. */
  parquetModule?: WebAssembly.Module;
  /** Rows per record batch when reading Parquet. */
  batchRows: number;
  /** Bytes per `bytes` message when reading CSV: the file is sent in slices of this size. */
  chunkBytes: number;
}

/**
 * The host `javascript` step: the user's code run in QuickJS (`javascript/js-step.ts`) on its
 * one input `in`, writing `out`. Its time and memory limits are enforced inside QuickJS.
 */
export interface JsStepSpec {
  kind: 'javascript';
  stepId: string;
  /** JavaScript whose last expression is the function (`docs/modules/javascript.md`). */
  code: string;
  /** `rows`: the function maps one row; `batch`: one record batch. */
  mode: 'rows' | 'batch';
  limits: StepLimits;
}

/**
 * The host `sql` and `sql2` steps: one DuckDB query run in DuckDB-Wasm (`sql/sql-step.ts`) over
 * its inputs, each a table named after its port, writing `out`. The memory cap is DuckDB's
 * `memory_limit`; the time limit is the main thread's budget on the query's one call.
 */
export interface SqlStepSpec {
  kind: 'sql';
  stepId: string;
  /** The user's query (DuckDB SQL). */
  query: string;
  /** Input port names, in manifest order: the tables the query reads. */
  inputs: string[];
  limits: StepLimits;
}

/**
 * The host `chart` step (`chart/chart-step.ts`): summarizes its input `in` into the chart
 * table it writes on `chart`.
 */
export interface ChartStepSpec {
  kind: 'chart';
  stepId: string;
  params: ChartParams;
  limits: StepLimits;
}

/** What a step worker runs. */
export type StepSpec = WasmStepSpec | SourceStepSpec | JsStepSpec | SqlStepSpec | ChartStepSpec;

/**
 * A module step as posted (`module-handoff.ts`): `module` comes with the first step that uses it
 * on a worker, under `moduleRef`; later ones send `moduleRef` alone and the worker takes the
 * module from its cache. `dropCached`: the worker empties that cache first.
 */
export type PostedWasmSpec = Omit<WasmStepSpec, 'module'> & {
  module?: WebAssembly.Module;
  moduleRef?: number;
  dropCached?: boolean;
};

/** A {@link StepSpec} as posted to a worker. */
export type PostedStepSpec = Exclude<StepSpec, WasmStepSpec> | PostedWasmSpec;

/** Main thread → step worker. */
export type ToWorker =
  | {
      type: 'run-step';
      protocol: typeof PROTOCOL_VERSION;
      messageId: number;
      spec: PostedStepSpec;
      inputs: InputWire[];
      outputs: OutputWire[];
      /** Rows of each output kept for the preview. */
      previewRows: number;
      /**
       * The worker's call clock (`call-clock.ts`), where SharedArrayBuffer is available: the
       * worker marks its calls into the module there. Absent: it posts `invoke-start` and
       * `invoke-end` around each call.
       */
      clock?: SharedArrayBuffer;
    }
  /**
   * The answer to `want-shards`: one channel to each helper worker that was sent `run-shard`
   * (none when the run allows no parallelism). The step then deals batches (or row groups) out
   * and puts the results back in order.
   */
  | {
      type: 'shards';
      protocol: typeof PROTOCOL_VERSION;
      messageId: number;
      ports: MessagePort[];
    }
  /**
   * Help a parallel step over `channel`: run one more instance of a streamable ABI 2 module, or
   * decode row groups of a Parquet source.
   */
  | {
      type: 'run-shard';
      protocol: typeof PROTOCOL_VERSION;
      messageId: number;
      spec: PostedStepSpec;
      channel: MessagePort;
      /** As in `run-step`: the shard's call clock, if any. */
      clock?: SharedArrayBuffer;
    }
  /** The consumer of `edgeId` is gone (failed, skipped): stop sending to it. */
  | { type: 'detach-output'; protocol: typeof PROTOCOL_VERSION; messageId: number; edgeId: string };

/** First rows of one output port. */
export interface PortPreview {
  schema: TableSchema;
  rows: Record<string, unknown>[];
}

/** Step worker → main thread. `requestId` is the `messageId` of the `run-step`. */
export type FromWorker =
  /** A module instance starts: the main thread arms the step's timeout (no call clock only). */
  | { type: 'invoke-start'; requestId: number; stepId: string }
  /** The instance returned: the timeout is disarmed. */
  | { type: 'invoke-end'; requestId: number; stepId: string }
  | { type: 'progress'; requestId: number; stepId: string; rows: number; bytes: number }
  | { type: 'log'; requestId: number; stepId: string; stream: 'stdout' | 'stderr'; line: string }
  /** What the step is busy with in its worker (its engine loading); null: that is over. */
  | { type: 'phase'; requestId: number; stepId: string; phase: StepPhase | null }
  | {
      type: 'step-done';
      requestId: number;
      stepId: string;
      rowsByPort: Record<string, number>;
      bytesByPort: Record<string, number>;
      invocations: number;
      /** Milliseconds spent inside the module on the step's own worker (0 for sources). */
      busyMs: number;
      preview: Record<string, PortPreview>;
    }
  /**
   * A streamable ABI 2 step with more than one batch, or a Parquet source with more than one
   * row group, asks for helper workers; the main thread answers with `shards`.
   */
  | { type: 'want-shards'; requestId: number; stepId: string }
  /** A shard finished its instance: its worker can go back to the pool. */
  | { type: 'shard-done'; requestId: number; stepId: string }
  | {
      type: 'step-error';
      requestId: number;
      stepId: string;
      message: string;
      stderrTail: string[];
      error?: SerializedError;
    };

/**
 * Downstream on an edge: one IPC message, the `length` bytes at byte `offset` of a buffer that
 * no other message uses (transferred, so it is sent without a copy even when it holds more than
 * the message, e.g. the schema before a decoded record batch), or the end.
 * `partial` ends the data of a step that stopped early because every consumer stopped it
 * (a satisfied limit): what came before is not the step's whole output.
 */
export type EdgeMessage =
  | {
      type: 'ipc';
      kind: IpcMessageKind | 'bytes';
      rows: number;
      buffer: ArrayBuffer;
      offset: number;
      length: number;
    }
  | { type: 'end'; partial?: boolean };

/** Upstream on an edge: the consumer is done with `count` more messages. */
export interface EdgeCredit {
  type: 'credit';
  count: number;
}

/** Upstream on an edge: the consumer needs no more data (e.g. a satisfied limit). */
export interface EdgeStop {
  type: 'stop';
}

/** Everything a consumer sends upstream on an edge. */
export type EdgeUpstream = EdgeCredit | EdgeStop;

/** Messages a producer may have unacknowledged on one edge (backpressure). */
export const EDGE_CREDITS = 4;

/**
 * One output IPC message of a shard, in a buffer no other output uses (transferred): the
 * `length` bytes at byte `offset` of it, all of it when these are absent.
 */
export type ShardOutput = ReactorOutput & { offset?: number; length?: number };

/** The leading worker of a parallel step → one shard. Each request gets one reply, in order. */
export type ShardRequest =
  /** Start the instance: params JSON, then the input's schema message. */
  | { type: 'begin'; params: ArrayBuffer; schema: ArrayBuffer }
  /**
   * Push one message (a record batch, or a dictionary batch every shard is sent): the `length`
   * bytes at byte `offset` of `buffer`.
   */
  | { type: 'push'; buffer: ArrayBuffer; offset: number; length: number }
  /** Decode Parquet row group `group` (a source's shard). */
  | { type: 'group'; group: number }
  | { type: 'finish' };

/** A shard → the leading worker: the output messages the request produced. */
export interface ShardReply {
  type: 'outputs';
  outputs: ShardOutput[];
}

/** Requests a shard may have unanswered (the leading worker's window per shard). */
export const SHARD_WINDOW = 2;
