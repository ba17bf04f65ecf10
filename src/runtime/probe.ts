/**
 * A table's schema without a pipeline run: the step `stepId` and its upstream (a source, and a
 * csv step for text files) run on the first {@link PROBE_BYTES} of each text file (cut at its
 * last line break) and stop after one row (a `limit` step stops its upstream, so a Parquet or
 * Arrow source decodes one batch). The csv module infers the types, so the schema comes from
 * the same inference as a full run, over the rows of the first 64 KB (a full run infers from
 * its first `inferRows` rows, 10,000 by default: the two agree unless those rows beyond 64 KB
 * change a type; `probe.test.ts` checks the samples).
 */
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument } from '../pipeline/types';
import { runPipeline } from './run';
import { formatOfName } from './sources/format';
import type { ResolvedSource, RunOptions } from './types';

/** Bytes of a text file read to infer its schema (64 KB). */
export const PROBE_BYTES = 64 * 1024;

/** Id of the limit step a probe adds after the probed step. */
const PROBE_LIMIT = 'probe-limit';

/** What a probe needs: a run's options (its cache, events, targets and collection unused). */
export type ProbeOptions = RunOptions;

/**
 * The schema of `port` of step `stepId` of `doc`, from the first rows of its sources; null when
 * the probe fails (the step, or one it needs, cannot run: a full run would say why).
 */
export async function probeSchema(
  doc: PipelineDocument,
  stepId: string,
  port: string,
  opts: ProbeOptions,
): Promise<TableSchema | null> {
  const needed = upstreamOf(doc, stepId);
  const step = doc.steps.find((s) => s.id === stepId);
  if (!step) return null;
  const probe: PipelineDocument = {
    ...doc,
    steps: [
      ...doc.steps.filter((s) => needed.has(s.id)),
      { ...step, id: PROBE_LIMIT, moduleId: 'limit', params: { count: 1 }, label: 'probe' },
    ],
    edges: [
      ...doc.edges.filter((e) => needed.has(e.from.step) && needed.has(e.to.step)),
      { id: PROBE_LIMIT, from: { step: stepId, port }, to: { step: PROBE_LIMIT, port: 'in' } },
    ],
  };
  try {
    const result = await runPipeline(probe, {
      ...opts,
      // A probe's cut file must never be cached as the file's output.
      cache: undefined,
      onEvent: undefined,
      collect: [],
      targets: undefined,
      projectColumns: false,
      resolveSource: async (uri) => firstBytes(await opts.resolveSource(uri)),
    });
    return result.steps[stepId]?.preview?.[port]?.schema ?? null;
  } catch {
    return null;
  }
}

/** `stepId` and every step upstream of it. */
function upstreamOf(doc: PipelineDocument, stepId: string): Set<string> {
  const out = new Set<string>();
  const visit = (id: string): void => {
    if (out.has(id)) return;
    out.add(id);
    for (const e of doc.edges) if (e.to.step === id) visit(e.from.step);
  };
  visit(stepId);
  return out;
}

/**
 * A text file cut to its first {@link PROBE_BYTES}, at its last line break; other formats, and
 * a file given by path (Node: the source's worker opens it, nothing reads it here), as they are.
 */
async function firstBytes(resolved: ResolvedSource): Promise<ResolvedSource> {
  if (formatOfName(resolved.name) !== 'csv' || 'path' in resolved) return resolved;
  const size = 'bytes' in resolved ? resolved.bytes.byteLength : resolved.blob.size;
  if (size <= PROBE_BYTES) return resolved;
  const head =
    'bytes' in resolved
      ? resolved.bytes.slice(0, PROBE_BYTES)
      : new Uint8Array(await resolved.blob.slice(0, PROBE_BYTES).arrayBuffer());
  const cut = head.lastIndexOf(10) + 1;
  return { name: resolved.name, bytes: cut > 0 ? head.slice(0, cut) : head };
}
