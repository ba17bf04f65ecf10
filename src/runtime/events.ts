/**
 * Events of a pipeline run, as the runtime reports them to its caller (the editor, the command
 * line). Plain data: they cross `postMessage` and may be stored. Bulk data never travels in an
 * event; a preview carries at most {@link PREVIEW_ROWS} rows.
 */
import type { TableSchema } from '../pipeline/table-schema';

/** Most rows a {@link StepPreviewEvent} carries. */
export const PREVIEW_ROWS = 100;

/** The run began; `stepIds` in the order they will be started (a topological order). */
export interface RunStartedEvent {
  type: 'run-started';
  runId: string;
  stepIds: string[];
}

/** A step's worker received its module and started (or waits for its first input). */
export interface StepStartedEvent {
  type: 'step-started';
  stepId: string;
}

/**
 * What a step is busy with before rows flow, so that a first run can say what it waits for:
 * its module's bytes being fetched and compiled (before `step-started`), a source step
 * reading its file, or a SQL or JavaScript step loading its engine (DuckDB-Wasm, QuickJS) in
 * its worker (after it).
 */
export type StepPhase =
  | { kind: 'loading-module'; moduleId: string }
  | { kind: 'reading'; file: string }
  | { kind: 'loading-engine'; engine: StepEngine };

/** The engine a host step loads in its worker: DuckDB-Wasm or QuickJS. */
export type StepEngine = 'SQL' | 'JavaScript';

/**
 * A step entered a {@link StepPhase}; it lasts until the step's first rows, its end, or a
 * `phase: null` (the phase is over, e.g. the engine loaded, before any rows).
 */
export interface StepPhaseEvent {
  type: 'step-phase';
  stepId: string;
  phase: StepPhase | null;
}

/** Output so far of a step: rows and bytes (Arrow IPC bytes of its record batches). */
export interface StepProgressEvent {
  type: 'step-progress';
  stepId: string;
  rows: number;
  bytes: number;
}

/** The step finished: rows on its outputs (summed over ports) and wall-clock milliseconds. */
export interface StepFinishedEvent {
  type: 'step-finished';
  stepId: string;
  rowsOut: number;
  /** Rows per output port. */
  rowsByPort: Record<string, number>;
  ms: number;
}

/**
 * The step's output came from the step-output cache: it did not run. Its counts and time are
 * those of the run that produced it; its preview follows as `preview` events.
 */
export interface StepCachedEvent {
  type: 'step-cached';
  stepId: string;
  rowsOut: number;
  rowsByPort: Record<string, number>;
  /** Bytes per output port, as counted when it ran. */
  bytesByPort: Record<string, number>;
  /** Wall-clock milliseconds it took when it ran. */
  ms: number;
  /** The fingerprint it is cached under. */
  fingerprint: string;
}

/**
 * The step failed. `message` is what to show on the node (e.g. `timed out after 1000 ms`,
 * `memory limit of 64 MiB exceeded`, the import refused, or the module's last stderr line);
 * `stderrTail` the module's last stderr lines (at most 20).
 */
export interface StepFailedEvent {
  type: 'step-failed';
  stepId: string;
  message: string;
  stderrTail: string[];
  ms: number;
}

/** The step did not run because `causeStepId` (upstream) failed or the run was cancelled. */
export interface StepSkippedEvent {
  type: 'step-skipped';
  stepId: string;
  /** The failed upstream step, or null when the run was cancelled. */
  causeStepId: string | null;
  reason: string;
}

/** One line a module wrote to stdout or stderr. */
export interface StepLogEvent {
  type: 'log';
  stepId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/**
 * The first rows of one output port of a step, for the data preview. Values are plain JSON
 * (bigint as number when safe, else string; dates as ISO strings... see `preview.ts`).
 */
export interface StepPreviewEvent {
  type: 'preview';
  stepId: string;
  port: string;
  schema: TableSchema;
  rows: Record<string, unknown>[];
}

/** The run is over: `ok` when every step finished; `cancelled` when the signal aborted it. */
export interface RunFinishedEvent {
  type: 'run-finished';
  runId: string;
  ok: boolean;
  cancelled: boolean;
  ms: number;
}

/** Everything a run reports, discriminated by `type`. */
export type RunEvent =
  | RunStartedEvent
  | StepStartedEvent
  | StepPhaseEvent
  | StepProgressEvent
  | StepFinishedEvent
  | StepCachedEvent
  | StepFailedEvent
  | StepSkippedEvent
  | StepLogEvent
  | StepPreviewEvent
  | RunFinishedEvent;
