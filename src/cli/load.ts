/** Reading the pipeline file of a `quiver run`, with `--input` overrides applied. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadVegaLiteSchema, needsVegaLiteSchema } from '../pipeline/chart-spec';
import { parsePipeline } from '../pipeline/serialize';
import type { PipelineDocument } from '../pipeline/types';

/**
 * Parses `path` and points each source step named in `inputs` (step id → file) at its file.
 * Throws an Error naming the file and position for a bad document, or the step for a bad --input.
 */
export async function loadPipeline(
  path: string,
  inputs: Readonly<Record<string, string>>,
): Promise<PipelineDocument> {
  const doc = parsePipeline(await readFile(path, 'utf8'), { source: path });
  for (const [stepId, file] of Object.entries(inputs)) {
    const step = doc.steps.find((s) => s.id === stepId);
    if (!step || step.moduleId !== 'source') throw new Error(`--input: no source step "${stepId}"`);
    step.params = { ...step.params, uri: resolve(file) };
  }
  // A chart step's own spec is checked against Vega-Lite's schema before the run, as in the editor.
  if (needsVegaLiteSchema(doc)) await loadVegaLiteSchema();
  return doc;
}
