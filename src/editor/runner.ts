/**
 * Drives runs from the editor: validates the document, starts the runtime on it, turns its
 * events into the run view (node states, previews, edge row counts) and stops it on request.
 * Downloads re-run the pipeline collecting the one output asked for, so a run never keeps
 * every step's full output in the page.
 */
import type { RunEvent, RunOptions, RunResult } from '../runtime';
import { stepFingerprints } from '../pipeline/fingerprint';
import type { PipelineDocument } from '../pipeline/types';
import { validatePipeline } from '../pipeline/validate';
import type { Catalog } from './docOps';
import { downloadBlob } from './documents';
import { arrowToCsv } from './csvExport';
import type { RunStore } from './runState';

/** The formats a step's output downloads as. */
export type DownloadFormat = 'csv' | 'parquet' | 'arrow';

/** What the runner needs from the runtime and the host (injected by main.tsx). */
export interface RunnerHost {
  runPipeline: (doc: PipelineDocument, opts: RunOptions) => Promise<RunResult>;
  /** Everything a run needs besides the catalog, events, signal and collected ports. */
  options: Omit<RunOptions, 'catalog' | 'onEvent' | 'signal' | 'collect'>;
}

export class Runner {
  private abort: AbortController | null = null;

  constructor(
    private readonly runStore: RunStore,
    private readonly catalog: Catalog,
    private readonly host: RunnerHost,
  ) {}

  /** Run `doc`; resolves when the run ends (finished, failed or stopped). Never rejects. */
  async run(doc: PipelineDocument): Promise<void> {
    const errors = validatePipeline(doc, this.catalog).filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      this.runStore.reset();
      this.runStore.finish(`The pipeline cannot run: ${errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.runStore.start(doc.steps.map((s) => s.id));
    // What each preview was computed from, so the editor can tell when it no longer applies.
    const fingerprints = stepFingerprints(doc);
    try {
      const result = await this.host.runPipeline(doc, {
        ...this.host.options,
        catalog: this.catalog,
        signal: abort.signal,
        onEvent: (e) => this.onEvent(e, fingerprints),
      });
      this.runStore.finish(result.cancelled ? 'stopped' : null);
    } catch (e) {
      this.runStore.finish(`The run failed: ${(e as Error).message}`);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  stop(): void {
    this.abort?.abort();
  }

  private onEvent(e: RunEvent, fingerprints: Record<string, string>): void {
    const rs = this.runStore;
    switch (e.type) {
      case 'step-started':
        rs.setStep(e.stepId, { state: 'running', rows: 0, bytes: 0 });
        break;
      case 'step-progress':
        rs.setStep(e.stepId, { state: 'running', rows: e.rows, bytes: e.bytes });
        break;
      case 'step-finished': {
        const last = rs.getView().steps[e.stepId];
        const bytes = last?.state === 'running' ? last.bytes : 0;
        for (const [port, rows] of Object.entries(e.rowsByPort))
          rs.portRowsOf(e.stepId, port, rows);
        rs.setStep(e.stepId, { state: 'done', rows: e.rowsOut, bytes, ms: e.ms });
        rs.setTotalRows(e.stepId, e.rowsOut);
        break;
      }
      case 'step-failed':
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
        });
        break;
      case 'run-started':
      case 'run-finished':
        break;
    }
  }

  /**
   * Download the first output of `stepId` as CSV, Parquet or an Arrow IPC stream. Re-runs the
   * pipeline collecting that output. Rejects with a message naming the step on failure.
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
    const base = (step.label ?? step.id).replace(/[^\p{L}\p{N}._-]+/gu, '_');
    if (format === 'arrow') {
      downloadBlob(
        new Blob([bytes as Uint8Array<ArrayBuffer>], {
          type: 'application/vnd.apache.arrow.stream',
        }),
        `${base}.arrow`,
      );
    } else if (format === 'parquet') {
      const load = this.host.options.loadParquetWasm;
      if (!load) throw new Error('Parquet is not supported here (no parquet-wasm loader)');
      // Loaded on demand: parquet-wasm's glue stays out of the app's first download.
      const { writeParquet } = await import('../runtime/parquet-sink');
      const parquet = await writeParquet(bytes, load);
      downloadBlob(
        new Blob([parquet as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.parquet' }),
        `${base}.parquet`,
      );
    } else {
      downloadBlob(new Blob([arrowToCsv(bytes)], { type: 'text/csv' }), `${base}.csv`);
    }
  }
}
