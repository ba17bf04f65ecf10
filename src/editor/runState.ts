/**
 * What the editor shows about the current or last run: one status per step, rows per edge,
 * and each step's output preview. Kept apart from the document store so that progress events
 * (many per second) re-render only the nodes they concern. A step's result stays until it is
 * replaced (so an edited step keeps showing its previous output, marked outdated: see
 * `derived.ts`), except that a step that fails loses it: a failed step's old output is never
 * shown as if current.
 */
import { useSyncExternalStore } from 'react';
import type { TableSchema } from '../pipeline/table-schema';
import type { StepPhase } from '../runtime';

/** The first rows of a step's output and its schema, as sent by the runtime. */
export interface PreviewData {
  /** The output port previewed. */
  port: string;
  /** `stepFingerprints(doc)[stepId]` of the document that ran: the preview is stale once it differs. */
  fingerprint: string;
  /** Column names and their Arrow types. */
  schema: TableSchema;
  /** The first rows, one value per column (already plain JS values). */
  rows: unknown[][];
  /**
   * Shown by a live preview (the step re-run alone while its params are edited, `livePreview.ts`),
   * not by a Run: its downstream has not run on it.
   */
  live?: boolean;
  /** A live preview computed on a sample: the first this many rows of its cached input. */
  sampleRows?: number;
}

/** One step's state on its node. */
export type StepRunStatus =
  | { state: 'idle' }
  /** `phase`: what it is busy with before it starts (its module loading). */
  | { state: 'waiting'; phase?: StepPhase }
  /** `phase`: what it is busy with before rows flow (a source reading its file, an engine loading). */
  | { state: 'running'; rows: number; bytes: number; phase?: StepPhase }
  | { state: 'done'; rows: number; bytes: number; ms: number }
  /** Served from the step-output cache: rows and ms of the run that produced it. */
  | { state: 'cached'; rows: number; bytes: number; ms: number }
  | { state: 'failed'; message: string; stderrTail: string }
  | { state: 'skipped'; reason: string };

/** The whole run as the editor sees it. */
export interface RunView {
  running: boolean;
  steps: Record<string, StepRunStatus>;
  /** Log lines per step (stdout/stderr of the module), newest last. */
  logs: Record<string, string[]>;
  previews: Record<string, PreviewData>;
  /** Total rows a step output, known once it finished (may be far more than the preview). */
  totals: Record<string, number>;
  /** Rows per output port, keyed `<step>/<port>`, known once the step finished. */
  portRows: Record<string, number>;
  /**
   * `stepFingerprints(doc)[stepId]` of the document a step's shown result (status, preview) was
   * computed from; the result is outdated once the step's fingerprint differs.
   */
  resultOf: Record<string, string>;
  /** Times each step's module was started in this session (cached steps are not started). */
  started: Record<string, number>;
  /** Runs ended in this session (shown on the canvas as `data-runs`, for tests and benches). */
  runsEnded: number;
  /**
   * Schemas of tables known without a run (`probeSchema`: a source's file metadata, a csv
   * step over the file's first 64 KB), by step id, with the fingerprint they hold for.
   */
  probed: Record<string, Omit<PreviewData, 'rows'>>;
  /** Why the run as a whole failed (e.g. invalid pipeline), or null. */
  error: string | null;
}

const IDLE: StepRunStatus = { state: 'idle' };
/** Most log lines kept per step, so a chatty module cannot grow memory without bound. */
const LOG_LIMIT = 500;

/** The view before any run: nothing running, no results. */
function emptyView(): RunView {
  return {
    running: false,
    steps: {},
    logs: {},
    previews: {},
    totals: {},
    portRows: {},
    resultOf: {},
    started: {},
    runsEnded: 0,
    probed: {},
    error: null,
  };
}

/**
 * Calls `flush` once, soon. The store's listeners (React's `useSyncExternalStore`, whose
 * renders are synchronous and cannot be deferred) hear of changes through it.
 */
export type FlushScheduler = (flush: () => void) => void;

/** Latest a change waits for an animation frame before listeners hear of it anyway (ms): a hidden tab has none. */
const FLUSH_LATEST_MS = 100;

/**
 * Flushes at the next animation frame (or after {@link FLUSH_LATEST_MS} without one), so that a
 * burst of run events (a dozen worker messages between two frames on a first run) costs the
 * page one render instead of one each; without `requestAnimationFrame` (Node), at once.
 */
export const nextFrame: FlushScheduler = (flush) => {
  if (typeof requestAnimationFrame !== 'function') {
    flush();
    return;
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, FLUSH_LATEST_MS);
};

/**
 * External store for {@link RunView}. The view changes at once (`getView` is always current);
 * listeners hear of changes through `schedule`, once per burst.
 */
export class RunStore {
  private view: RunView = emptyView();
  private listeners = new Set<() => void>();
  private flushPending = false;

  constructor(private readonly schedule: FlushScheduler = nextFrame) {}

  getView = (): RunView => this.view;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(patch: Partial<RunView>): void {
    this.view = { ...this.view, ...patch };
    if (this.flushPending) return;
    this.flushPending = true;
    this.schedule(this.flush);
  }

  private flush = (): void => {
    this.flushPending = false;
    for (const l of this.listeners) l();
  };

  /**
   * A new run of `stepIds` begins: each of them is waiting; previews and counts stay until each
   * step's new result replaces them (shown as outdated meanwhile), logs are cleared.
   */
  start(stepIds: string[]): void {
    // Steps outside the run (a "Run to here") keep their status.
    const steps: Record<string, StepRunStatus> = { ...this.view.steps };
    for (const id of stepIds) steps[id] = { state: 'waiting' };
    this.set({ running: true, steps, logs: {}, error: null });
  }

  /** A step's module was started. */
  markStarted(stepId: string): void {
    const started = { ...this.view.started, [stepId]: (this.view.started[stepId] ?? 0) + 1 };
    this.set({ started });
  }

  /** The result shown for `stepId` was computed from fingerprint `fingerprint`. */
  resultFrom(stepId: string, fingerprint: string): void {
    this.set({ resultOf: { ...this.view.resultOf, [stepId]: fingerprint } });
  }

  /** Forgets `stepId`'s result (preview, counts): it failed, so none of it is current. */
  dropResult(stepId: string): void {
    const without = <T>(record: Record<string, T>): Record<string, T> => {
      const rest = { ...record };
      delete rest[stepId];
      return rest;
    };
    const portRows = Object.fromEntries(
      Object.entries(this.view.portRows).filter(([key]) => !key.startsWith(`${stepId}/`)),
    );
    this.set({
      previews: without(this.view.previews),
      totals: without(this.view.totals),
      resultOf: without(this.view.resultOf),
      portRows,
    });
  }

  setStep(stepId: string, status: StepRunStatus): void {
    this.set({ steps: { ...this.view.steps, [stepId]: status } });
  }

  log(stepId: string, line: string): void {
    const old = this.view.logs[stepId] ?? [];
    this.set({ logs: { ...this.view.logs, [stepId]: [...old, line].slice(-LOG_LIMIT) } });
  }

  preview(stepId: string, data: PreviewData): void {
    this.set({ previews: { ...this.view.previews, [stepId]: data } });
  }

  setTotalRows(stepId: string, rows: number): void {
    this.set({ totals: { ...this.view.totals, [stepId]: rows } });
  }

  portRowsOf(stepId: string, port: string, rows: number): void {
    this.set({ portRows: { ...this.view.portRows, [`${stepId}/${port}`]: rows } });
  }

  finish(error: string | null): void {
    const steps = { ...this.view.steps };
    // A run that ended (stopped or failed elsewhere) leaves no step waiting or running.
    for (const [id, s] of Object.entries(steps)) {
      if (s.state === 'waiting' || s.state === 'running') {
        steps[id] = { state: 'skipped', reason: error ?? 'not run' };
      }
    }
    this.set({ running: false, steps, error, runsEnded: this.view.runsEnded + 1 });
  }

  /** The schema of `stepId`'s output, known without a run. */
  probedSchema(stepId: string, data: Omit<PreviewData, 'rows'>): void {
    this.set({ probed: { ...this.view.probed, [stepId]: data } });
  }

  /** Forget results, e.g. when another pipeline is opened. */
  reset(): void {
    this.set(emptyView());
  }
}

/** One step's status, re-rendering only when that step's status object changes. */
export function useStepStatus(store: RunStore, stepId: string): StepRunStatus {
  return useSyncExternalStore(store.subscribe, () => store.getView().steps[stepId] ?? IDLE);
}

export function useRunView<T>(store: RunStore, selector: (v: RunView) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.getView()));
}
