/**
 * The runtime's public API: run a validated pipeline document, one worker per step, and report
 * events. No DOM dependency: the same code runs in browser Web Workers and Node worker_threads.
 */
import type { ModuleCatalog } from '../modules/catalog';
import type { PipelineDocument } from '../pipeline/types';
import type { TableSchema } from '../pipeline/table-schema';
import type { RunEvent } from './events';

export type * from './events';
export { PREVIEW_ROWS } from './events';
export { runWasiCommand } from './wasi-host';
export type { WasiCommandOptions, WasiCommandResult, WasiFailure } from './wasi-host';

/** Final state of one step. */
export type StepStatus = 'finished' | 'failed' | 'skipped';

/** Outcome of one step in a {@link RunResult}. */
export interface StepResult {
  stepId: string;
  status: StepStatus;
  /** Wall-clock milliseconds from start to finish or failure; 0 when skipped. */
  ms: number;
  /** Rows per output port (empty unless finished). */
  rowsByPort: Record<string, number>;
  /** The failure message (failed), or why it was skipped. */
  message?: string;
  /** Schema and first rows of each output port (finished steps). */
  preview?: Record<string, { schema: TableSchema; rows: Record<string, unknown>[] }>;
}

/** What {@link runPipeline} resolves to. A failing step never rejects the promise. */
export interface RunResult {
  runId: string;
  /** Every step finished. */
  ok: boolean;
  cancelled: boolean;
  ms: number;
  steps: Record<string, StepResult>;
  /**
   * Complete outputs collected on the main thread, as Arrow IPC stream bytes, by
   * `"<stepId>.<port>"`; only the ports named in {@link RunOptions.collect}.
   */
  collected: Record<string, Uint8Array>;
}

/** Bytes of a host source (`source` step): a user file, a sample, a file in Node. */
export interface ResolvedSource {
  /** File name, used to pick the format by extension (`.csv`, `.tsv`, `.arrow`, `.parquet`). */
  name: string;
  bytes: Uint8Array;
}

/** Options of {@link runPipeline}. */
export interface RunOptions {
  /** The modules (built-ins plus the host's `source`). */
  catalog: ModuleCatalog;
  /** The `.wasm` bytes of a module (compiled once per id and version). */
  loadModule: (moduleId: string) => Promise<Uint8Array>;
  /**
   * Bytes behind a source step's URI (`sample:<file>`, `file:<name>`, a path in Node).
   * Rejections fail that source step only.
   */
  resolveSource: (uri: string) => Promise<ResolvedSource>;
  /** Called for every event, in order per step. */
  onEvent?: (event: RunEvent) => void;
  /** Aborting fails running steps as cancelled and skips the rest. */
  signal?: AbortSignal;
  /** Output ports whose whole data the caller wants back, as `"<stepId>.<port>"`. */
  collect?: string[];
}

/**
 * Runs `doc` (already validated with `validatePipeline`) and resolves when every step has
 * finished, failed or been skipped. Implemented in `run.ts`.
 */
export type RunPipeline = (doc: PipelineDocument, opts: RunOptions) => Promise<RunResult>;
