/**
 * Drives runs from the editor: starts the runtime on the current document, turns its events
 * into the run view (node states, previews, edge row counts), and stops it on request.
 */
import type { PipelineDocument } from '../pipeline/types';
import type { Catalog } from './docOps';
import type { RunStore } from './runState';

export class Runner {
  private abort: AbortController | null = null;

  constructor(
    private readonly runStore: RunStore,
    private readonly catalog: Catalog,
  ) {}

  /** Run `doc`; resolves when the run ends (finished, failed or stopped). */
  async run(doc: PipelineDocument): Promise<void> {
    this.abort = new AbortController();
    this.runStore.start(doc.steps.filter((s) => this.catalog.get(s.moduleId)).map((s) => s.id));
    this.runStore.finish('The runtime is not part of this build yet.');
  }

  stop(): void {
    this.abort?.abort();
  }

  /** Whether a full output of `stepId` from the last run is available to download. */
  hasOutput(_stepId: string): boolean {
    return false;
  }

  async download(stepId: string, _format: 'csv' | 'arrow'): Promise<void> {
    throw new Error(`No output of ${stepId} to download: run the pipeline first.`);
  }
}
