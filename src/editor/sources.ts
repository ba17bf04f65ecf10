/**
 * Turning data into steps: a file (dropped, picked, shared) or a bundled sample becomes a host
 * `source` step, followed by a `csv` step for text formats.
 */
import { addStep, connect, updateParams } from '../pipeline/edit';
import type { PipelineDocument } from '../pipeline/types';
import type { Catalog } from './docOps';

/** Data formats Quiver reads, by file extension. */
export type DataFormat = 'csv' | 'tsv' | 'json' | 'arrow' | 'parquet';

/** The format of a file name, or null if Quiver cannot read it. */
export function formatOf(fileName: string): DataFormat | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  // A .quiver.json file is a pipeline, not data.
  if (fileName.toLowerCase().endsWith('.quiver.json')) return null;
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return 'json';
  if (ext === 'arrow' || ext === 'arrows' || ext === 'ipc' || ext === 'feather') return 'arrow';
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  return null;
}

/** Host module id of source steps (src/runtime). */
export const SOURCE_MODULE = 'source';

/**
 * Add a source step reading `uri` (`sample:<file>` or `file:<id>`), and for CSV/TSV a csv step
 * (for JSON/NDJSON a json step) wired to it. Returns the new document and the id of the step
 * whose output is the table. Throws if the catalog lacks the source or reader module.
 */
export function addDataSource(
  doc: PipelineDocument,
  catalog: Catalog,
  src: { uri: string; fileName: string; format: DataFormat },
  position: { x: number; y: number },
): { doc: PipelineDocument; tableStepId: string } {
  const source = catalog.get(SOURCE_MODULE);
  if (!source) throw new Error('The catalog has no "source" module: data cannot be added.');
  const added = addStep(doc, source, position, {
    params: { uri: src.uri, format: src.format === 'tsv' ? 'csv' : src.format },
    label: src.fileName,
  });
  if (src.format !== 'csv' && src.format !== 'tsv' && src.format !== 'json') {
    return { doc: added.doc, tableStepId: added.stepId };
  }
  const reader = src.format === 'json' ? 'json' : 'csv';
  const csv = catalog.get(reader);
  if (!csv) {
    throw new Error(
      `The catalog has no "${reader}" module: ${reader.toUpperCase()} files cannot be read.`,
    );
  }
  const parsed = addStep(added.doc, csv, { x: position.x + 240, y: position.y });
  let next = parsed.doc;
  if (src.format === 'tsv') {
    const csvStep = next.steps.find((s) => s.id === parsed.stepId);
    next = updateParams(next, parsed.stepId, { ...csvStep?.params, delimiter: '\t' });
  }
  const out = source.outputs[0]?.name ?? 'out';
  const inp = csv.inputs[0]?.name ?? 'csv';
  const wired = connect(
    next,
    catalog,
    { step: added.stepId, port: out },
    { step: parsed.stepId, port: inp },
  );
  if (!wired.ok) throw new Error(`Cannot wire the source to the ${reader} step: ${wired.reason}`);
  return { doc: wired.doc, tableStepId: parsed.stepId };
}
