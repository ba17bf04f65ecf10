/**
 * Drives runs from the editor: validates the document, starts the runtime on it, turns its
 * events into the run view (node states, previews, edge row counts) and stops it on request.
 * Downloads re-run the pipeline collecting the one output asked for, so a run never keeps
 * every step's full output in the page.
 */
import type { RunEvent, RunOptions, RunResult, StepCachedEvent } from '../runtime';
import { stepIdentities } from '../runtime/cache-identity';
import { probeSchema } from '../runtime/probe';
import { formatOfName } from '../runtime/sources/format';
import { stepFingerprints } from '../pipeline/fingerprint';
import type { PipelineDocument } from '../pipeline/types';
import type { Catalog } from './docOps';
import { downloadBlob } from './documents';
import { arrowToCsv } from './csvExport';
import { downloadFileName } from './downloadName';
import type { RunStore } from './runState';

/**
 * Most rows of a cached input a live preview runs on (whole record batches, at least one):
 * beyond, the preview is of a sample, so it comes as fast for a 3-million-row input as for a
 * small one.
 */
export const LIVE_PREVIEW_SAMPLE_ROWS = 100_000;

/** The formats a step's output downloads as. */
export type DownloadFormat = 'csv' | 'parquet' | 'arrow';

/** What the runner needs from the runtime and the host (injected by main.tsx). */
export interface RunnerHost {
  runPipeline: (doc: PipelineDocument, opts: RunOptions) => Promise<RunResult>;
  /** Everything a run needs besides the catalog, events, signal and collected ports. */
  options: Omit<RunOptions, 'catalog' | 'onEvent' | 'signal' | 'collect'>;
  /** Compiles a pipeline's modules and starts its workers ahead of a run (`runtime/warm.ts`). */
  warmRun?: (doc: PipelineDocument, opts: RunOptions) => Promise<void>;
}

export class Runner {
  private abort: AbortController | null = null;
  /** Fingerprints of the tables being probed. */
  private readonly probing = new Set<string>();

  constructor(
    private readonly runStore: RunStore,
    private readonly catalog: Catalog,
    private readonly host: RunnerHost,
  ) {}

  /**
   * Run `doc`: every step that can run (a step that cannot, e.g. with an unconnected input, is
   * skipped with the reason, and so is its downstream), or with `targets` only those steps and
   * what they need ("Run to here"). With `live`, the run is a live preview of `targets`: their
   * previews are marked as such until a Run serves them, and it runs on a sample of any cached
   * input beyond {@link LIVE_PREVIEW_SAMPLE_ROWS} rows (the preview says so). Resolves when the
   * run ends (finished, failed or stopped), before its outputs are stored in the cache. Never
   * rejects.
   */
  async run(doc: PipelineDocument, targets?: string[], live = false): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    this.runStore.start([]);
    // What each preview was computed from, so the editor can tell when it no longer applies.
    const fingerprints = stepFingerprints(doc);
    const previewed = new Set(live ? targets : []);
    try {
      const result = await this.host.runPipeline(doc, {
        ...this.host.options,
        catalog: this.catalog,
        signal: abort.signal,
        skipInvalid: true,
        ...(targets ? { targets } : {}),
        ...(live ? { sampleRows: LIVE_PREVIEW_SAMPLE_ROWS } : {}),
        onEvent: (e) => this.onEvent(e, fingerprints, previewed),
      });
      if (result.sampledRows !== undefined) this.markSampled(previewed, result.sampledRows);
      this.runStore.finish(result.cancelled ? 'stopped' : null);
    } catch (e) {
      this.runStore.finish(`The run failed: ${(e as Error).message}`);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /**
   * Gets a run of `doc` ready while nothing runs: its modules compiled, its workers started,
   * so that the Run click does not do it on the page. Resolves when done; never rejects.
   */
  async warm(doc: PipelineDocument): Promise<void> {
    if (this.abort !== null || !this.host.warmRun) return;
    await this.host.warmRun(doc, { ...this.host.options, catalog: this.catalog });
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Labels the previews of `stepIds` as computed on the first `rows` rows of their input. */
  private markSampled(stepIds: ReadonlySet<string>, rows: number): void {
    for (const id of stepIds) {
      const preview = this.runStore.getView().previews[id];
      if (preview?.live) this.runStore.preview(id, { ...preview, sampleRows: rows });
    }
  }

  /** Shows `e` in the run view; `previewed`: the steps a live preview is for (else none). */
  private onEvent(
    e: RunEvent,
    fingerprints: Record<string, string>,
    previewed: ReadonlySet<string> = new Set(),
  ): void {
    const rs = this.runStore;
    switch (e.type) {
      case 'step-started':
        rs.markStarted(e.stepId);
        rs.setStep(e.stepId, { state: 'running', rows: 0, bytes: 0 });
        break;
      case 'step-phase': {
        const last = rs.getView().steps[e.stepId];
        if (last?.state !== 'waiting' && last?.state !== 'running') break;
        const next = { ...last, phase: e.phase ?? undefined };
        if (e.phase === null) delete next.phase; // over: the step says what else it waits for
        rs.setStep(e.stepId, next);
        break;
      }
      case 'step-progress': {
        // The phase (a source reading its file) lasts until rows come out.
        const last = rs.getView().steps[e.stepId];
        const phase = e.rows === 0 && last?.state === 'running' ? last.phase : undefined;
        rs.setStep(e.stepId, {
          state: 'running',
          rows: e.rows,
          bytes: e.bytes,
          ...(phase ? { phase } : {}),
        });
        break;
      }
      case 'step-finished': {
        const last = rs.getView().steps[e.stepId];
        const bytes = last?.state === 'running' ? last.bytes : 0;
        for (const [port, rows] of Object.entries(e.rowsByPort))
          rs.portRowsOf(e.stepId, port, rows);
        rs.setStep(e.stepId, { state: 'done', rows: e.rowsOut, bytes, ms: e.ms });
        rs.setTotalRows(e.stepId, e.rowsOut);
        rs.resultFrom(e.stepId, fingerprints[e.stepId] ?? '');
        break;
      }
      case 'step-cached':
        applyCached(rs, e, fingerprints[e.stepId] ?? '');
        break;
      case 'step-failed':
        rs.dropResult(e.stepId);
        rs.setStep(e.stepId, {
          state: 'failed',
          message: e.message,
          stderrTail: e.stderrTail.join('\n'),
        });
        break;
      case 'step-skipped':
        rs.setStep(e.stepId, { state: 'skipped', reason: e.reason });
        break;
      case 'log':
        rs.log(e.stepId, `${e.stream === 'stderr' ? '! ' : ''}${e.line}`);
        break;
      case 'preview':
        rs.preview(e.stepId, {
          port: e.port,
          schema: e.schema,
          fingerprint: fingerprints[e.stepId] ?? '',
          rows: e.rows.map((r) => e.schema.fields.map((f) => r[f.name])),
          // A Run's preview (a cached step's too) replaces a live one, and drops its label.
          live: previewed.has(e.stepId),
        });
        break;
      case 'run-started':
        for (const id of e.stepIds) rs.setStep(id, { state: 'waiting' });
        break;
      case 'run-finished':
        break;
    }
  }

  /**
   * Finds the schema of every table `doc` reads (a Parquet or Arrow source's output, a csv
   * step's output over its file's first 64 KB) that no run or earlier probe gave for the
   * document as it is, so columns are checked before any run. Resolves when done; never rejects.
   */
  async probeTables(doc: PipelineDocument): Promise<void> {
    const now = stepFingerprints(doc);
    const view = this.runStore.getView();
    const heads = tableHeads(doc);
    await Promise.all(
      heads.map(async ({ stepId, port }) => {
        const fingerprint = now[stepId] ?? '';
        const known = view.previews[stepId] ?? view.probed[stepId];
        if (known?.fingerprint === fingerprint || this.probing.has(fingerprint)) return;
        this.probing.add(fingerprint);
        try {
          const options = { ...this.host.options, catalog: this.catalog };
          const schema = await probeSchema(doc, stepId, port, options);
          if (schema) this.runStore.probedSchema(stepId, { port, schema, fingerprint });
        } finally {
          this.probing.delete(fingerprint);
        }
      }),
    );
  }

  /**
   * Shows every step's last result kept in the step-output cache for `doc` as it is now,
   * without running anything (after a reload, or when a pipeline is opened). Steps with a
   * status already (a run began meanwhile) are left alone. Resolves when done; never rejects.
   */
  async restore(doc: PipelineDocument): Promise<void> {
    const cache = this.host.options.cache;
    if (!cache) return;
    try {
      const options = { ...this.host.options, catalog: this.catalog };
      const identities = await stepIdentities(doc, options, 'restore');
      const keys = stepFingerprints(doc, identities);
      const plain = stepFingerprints(doc);
      await Promise.all(
        doc.steps.map(async (step) => {
          const meta = await cache.lookup(keys[step.id]!);
          if (!meta || this.runStore.getView().steps[step.id]) return;
          for (const [port, p] of Object.entries(meta.preview)) {
            this.onEvent({ type: 'preview', stepId: step.id, port, ...p }, plain);
          }
          const rowsOut = Object.values(meta.rowsByPort).reduce((a, b) => a + b, 0);
          const { rowsByPort, bytesByPort, ms, fingerprint } = meta;
          const event = { stepId: step.id, rowsOut, rowsByPort, bytesByPort, ms, fingerprint };
          applyCached(this.runStore, event, plain[step.id] ?? '');
        }),
      );
    } catch {
      // Nothing restored: the steps show no result until they run.
    }
  }

  /**
   * Download the first output of `stepId` as CSV, Parquet or an Arrow IPC stream, named after
   * the pipeline and the step (`downloadName.ts`). Re-runs the pipeline collecting that output. Rejects with a message naming the step on failure.
   */
  async download(doc: PipelineDocument, stepId: string, format: DownloadFormat): Promise<void> {
    const step = doc.steps.find((s) => s.id === stepId);
    const port = step ? this.catalog.get(step.moduleId)?.outputs[0]?.name : undefined;
    if (!step || !port) throw new Error(`Step ${stepId} has no output to download.`);
    const key = `${stepId}.${port}`;
    const result = await this.host.runPipeline(doc, {
      ...this.host.options,
      catalog: this.catalog,
      collect: [key],
    });
    const bytes = result.collected[key];
    if (!bytes) {
      const why = result.steps[stepId]?.message ?? 'it did not finish';
      throw new Error(`No output of ${stepId} to download: ${why}`);
    }
    const fileName = (ext: string) => downloadFileName(doc.name, step.label ?? step.id, ext);
    if (format === 'arrow') {
      downloadBlob(
        new Blob([bytes as Uint8Array<ArrayBuffer>], {
          type: 'application/vnd.apache.arrow.stream',
        }),
        fileName('arrow'),
      );
    } else if (format === 'parquet') {
      const load = this.host.options.loadParquetWasm;
      if (!load) throw new Error('Parquet is not supported here (no parquet-wasm loader)');
      // Loaded on demand: parquet-wasm's glue stays out of the app's first download.
      const { writeParquet } = await import('../runtime/parquet-sink');
      const parquet = await writeParquet(bytes, load);
      downloadBlob(
        new Blob([parquet as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.parquet' }),
        fileName('parquet'),
      );
    } else {
      downloadBlob(new Blob([arrowToCsv(bytes)], { type: 'text/csv' }), fileName('csv'));
    }
  }
}

/** Shows a step served from the cache: its counts and time, from the run that produced it. */
function applyCached(rs: RunStore, e: Omit<StepCachedEvent, 'type'>, fingerprint: string): void {
  for (const [port, rows] of Object.entries(e.rowsByPort)) rs.portRowsOf(e.stepId, port, rows);
  const bytes = Object.values(e.bytesByPort).reduce((a, b) => a + b, 0);
  rs.setStep(e.stepId, { state: 'cached', rows: e.rowsOut, bytes, ms: e.ms });
  rs.setTotalRows(e.stepId, e.rowsOut);
  rs.resultFrom(e.stepId, fingerprint);
}

/**
 * The steps whose output is a table read from a file: a source of Arrow or Parquet (its `out`),
 * and a csv step fed by a source.
 */
function tableHeads(doc: PipelineDocument): { stepId: string; port: string }[] {
  const sources = new Set(doc.steps.filter((s) => s.moduleId === 'source').map((s) => s.id));
  const heads: { stepId: string; port: string }[] = [];
  for (const step of doc.steps) {
    const fedBySource = doc.edges.some((e) => e.to.step === step.id && sources.has(e.from.step));
    if (step.moduleId === 'csv' && fedBySource) heads.push({ stepId: step.id, port: 'out' });
    const format = step.params.format ?? formatOfName(String(step.params.uri ?? ''));
    if (sources.has(step.id) && (format === 'arrow' || format === 'parquet'))
      heads.push({ stepId: step.id, port: 'out' });
  }
  return heads;
}
