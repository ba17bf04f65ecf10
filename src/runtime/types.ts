/** Types of the runtime's public API (`runPipeline`'s options and result). */
import type { CompileCache } from '../modules/compile-cache';
import type { StepCache } from './cache';
import type { ModuleCatalog } from '../modules/catalog';
import type { RunEvent } from './events';
import type { PortPreview } from './protocol';
import type { WorkerPool } from './pool';

/** Final state of one step; `cached`: its output came from the step-output cache. */
export type StepStatus = 'finished' | 'cached' | 'failed' | 'skipped';

/** Outcome of one step in a {@link RunResult}. */
export interface StepResult {
  stepId: string;
  status: StepStatus;
  /** Wall-clock milliseconds from start to finish or failure (cached: of the run that produced it); 0 when skipped. */
  ms: number;
  /** Rows per output port (empty unless finished or cached). */
  rowsByPort: Record<string, number>;
  /**
   * Arrow IPC (or raw) bytes written per output port (finished steps only; absent otherwise),
   * as counted by the step's worker.
   */
  bytesByPort?: Record<string, number>;
  /** The failure message (failed), or why it was skipped. */
  message?: string;
  /** Module instances run (finished wasm steps; streamable steps run one per batch). */
  invocations?: number;
  /**
   * Milliseconds the step's own worker spent inside its module (copies in and out included);
   * unlike `ms`, no waiting for input. The shards of a parallel step are not counted.
   */
  busyMs?: number;
  /** Schema and first rows of each output port (finished and cached steps). */
  preview?: Record<string, PortPreview>;
  /** `stepFingerprints(doc, identities)[stepId]`, when the run had a cache. */
  fingerprint?: string;
}

/** What {@link runPipeline} resolves to. A failing step never rejects the promise. */
export interface RunResult {
  runId: string;
  /** Every step finished or came from the cache. */
  ok: boolean;
  cancelled: boolean;
  ms: number;
  steps: Record<string, StepResult>;
  /**
   * Complete outputs collected on the main thread, as Arrow IPC stream bytes, by
   * `"<stepId>.<port>"`; only the ports named in {@link RunOptions.collect}.
   */
  collected: Record<string, Uint8Array>;
  /**
   * Resolves once this run's outputs are in the step-output cache (`RunOptions.cache`; at once
   * without one). The run resolves before: storing never delays its results. A later run with
   * the same cache waits for it, so it still finds them. Never rejects.
   */
  stored: Promise<void>;
  /**
   * Set when a cached output was replayed cut to {@link RunOptions.sampleRows}: the most rows
   * one replay sent. The outputs of the steps that ran are then of a sample; none was stored.
   */
  sampledRows?: number;
}

/**
 * The file of a host source (`source` step): a user file, a sample, a file in Node. The runtime
 * reads it in its worker, in slices where the format allows, so prefer a Blob or a path to bytes.
 */
export type ResolvedSource = {
  /** File name, used to pick the format by extension (`.csv`, `.tsv`, `.arrow`, `.parquet`). */
  name: string;
  /**
   * What identifies this file's content for the step-output cache, when the host can tell
   * cheaply (e.g. `path#size=…#mtime=…`); absent, `cache-identity.ts` derives one.
   */
  identity?: string;
} & (
  | { bytes: Uint8Array }
  /** A Blob or File (browser; an in-memory Blob in Node). */
  | { blob: Blob }
  /** A path to a readable file (Node only). */
  | { path: string }
);

/** Options of {@link runPipeline}. */
export interface RunOptions {
  /** The modules (built-ins plus the host's `source`). */
  catalog: ModuleCatalog;
  /** The `.wasm` bytes of a module (compiled once per id and version). */
  loadModule: (moduleId: string) => Promise<Uint8Array>;
  /**
   * The file behind a source step's URI (`sample:<file>`, `file:<name>`, a path in Node).
   * Rejections fail that source step only.
   */
  resolveSource: (uri: string) => Promise<ResolvedSource>;
  /** Called for every event, in order per step. */
  onEvent?: (event: RunEvent) => void;
  /** The step workers (`new WorkerPool(nodeWorkerFactory())` or `browserWorkerFactory()`). */
  pool: WorkerPool;
  /**
   * The identity of the file behind a source URI, for the step-output cache, when the host can
   * tell without resolving the file (e.g. a sample of this app version, a stored file's id,
   * size and time); absent, the file is resolved and `cache-identity.ts` says how it is named.
   */
  identifySource?: (uri: string) => Promise<string>;
  /** parquet-wasm's `.wasm` bytes, for Parquet sources. */
  loadParquetWasm?: () => Promise<Uint8Array> | Uint8Array;
  /** Compiled modules; by default one cache shared by every run in this thread. */
  compileCache?: CompileCache;
  /**
   * Where step outputs are kept between runs (`cache.ts`): a step whose fingerprint is cached
   * is not run (its output is replayed to the steps that run). Absent: every step runs.
   */
  cache?: StepCache;
  /**
   * The content hash of a module (a pinned module's sha256, hex) for its fingerprint; by
   * default the SHA-256 of `loadModule`'s bytes, once per id and version.
   */
  moduleHash?: (moduleId: string) => Promise<string>;
  /**
   * Workers a streamable ABI 2 step runs on, its batches dealt out and its output kept in
   * input order; 1 (the default) runs it in the step's own worker. Hosts pass the machine's
   * cores (`os.availableParallelism()`, `navigator.hardwareConcurrency`).
   */
  parallelism?: number;
  /** Aborting fails running steps as cancelled and skips the rest. */
  signal?: AbortSignal;
  /**
   * Skip a step that cannot run (an unconnected input, invalid params) and its downstream,
   * with the reason (a `step-skipped` event), and run the rest. Default false: any validation
   * error refuses the whole run with `PipelineRunError`.
   */
  skipInvalid?: boolean;
  /** Run only these steps and what they need (their upstream): "Run to here". */
  targets?: string[];
  /**
   * A cached output replayed into a step that runs sends only the whole record batches within
   * its first `sampleRows` rows (at least one batch), so the steps that run see a sample and
   * the run's cost is bounded whatever the cached data's size (a live preview); then nothing
   * the run outputs is stored (`RunResult.sampledRows`). A cached output kept in files is read
   * only as far as the sample needs. Absent: whole outputs.
   */
  sampleRows?: number;
  /** Output ports whose whole data the caller wants back, as `"<stepId>.<port>"`. */
  collect?: string[];
  /**
   * A Parquet source decodes only the columns its downstream steps read, when that is known
   * for every one of them (see `projection.ts`); results and collected ports keep every column,
   * and so does the source's own preview (its first rows are read apart), but the previews of
   * the steps in between show only the columns read. Default false.
   */
  projectColumns?: boolean;
  /**
   * Where steps granted storage keep their `/data` (`module-data.ts`): a directory in Node, the
   * OPFS directory name in the browser. Absent: a step granted storage fails, saying so.
   */
  dataRoot?: string;
  /** Cap on the bytes one module may keep in `/data`, in MiB; default 64. */
  maxDataMiB?: number;
}
