/**
 * Getting a pipeline's run ready before it is asked for: its modules fetched, checked and
 * compiled into the compile cache its runs use, and idle workers started for its steps. The
 * editor calls it while the user looks at a pipeline, so that the Run click finds both ready
 * instead of doing them on the page's main thread (a worker's construction alone took 7-11 ms
 * of it per step at load 8).
 */
import type { PipelineDocument } from '../pipeline/types';
import { applyBypass } from './bypass';
import { prepareStep, sharedCompileCache, type PrepareContext } from './prepare';
import type { RunOptions } from './types';
import { yieldToThread } from './yield';

/**
 * Compiles every module `doc`'s steps run (as `runPipeline` would, so a run finds them cached)
 * and starts idle workers in `opts.pool` up to one per step, each in a task of its own.
 * Resolves when done; never rejects: a step that cannot be prepared is left to its run, which
 * says why.
 */
export async function warmRun(doc: PipelineDocument, opts: RunOptions): Promise<void> {
  const { doc: runDoc } = applyBypass(doc, opts.catalog);
  const context: PrepareContext = {
    doc: runDoc,
    opts,
    cache: opts.compileCache ?? sharedCompileCache,
  };
  for (const step of runDoc.steps) {
    const manifest = opts.catalog.get(step.moduleId);
    if (manifest === undefined || manifest.kind === 'host') continue;
    await prepareStep(step, manifest, context).catch(() => undefined);
    await yieldToThread();
  }
  while (opts.pool.spawnIdle(runDoc.steps.length)) await yieldToThread();
}
