import { describe, expect, it } from 'vitest';
import { stepFingerprints } from '../pipeline/fingerprint';
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument } from '../pipeline/types';
import seattle from '../../examples/seattle-weather.quiver.json';
import { knownSchemasOf, outdatedSteps } from './derived';
import { RunStore } from './runState';
import type { PreviewData } from './runState';

const doc = seattle as unknown as PipelineDocument;
const schema: TableSchema = {
  fields: [{ name: 'weather', type: { type: 'utf8' }, nullable: true }],
};

/** Previews of every step, as a run of `ran` would have left them. */
function previewsOf(ran: PipelineDocument): Record<string, PreviewData> {
  const fps = stepFingerprints(ran);
  return Object.fromEntries(
    ran.steps.map((s) => [s.id, { port: 'out', schema, rows: [], fingerprint: fps[s.id]! }]),
  );
}

function withParams(d: PipelineDocument, stepId: string, params: Record<string, unknown>) {
  return {
    ...d,
    steps: d.steps.map((s) => (s.id === stepId ? { ...s, params: { ...s.params, ...params } } : s)),
  };
}

describe('knownSchemasOf', () => {
  it('passes on every preview of the document that ran', () => {
    expect(Object.keys(knownSchemasOf(doc, previewsOf(doc))).sort()).toEqual(
      doc.steps.map((s) => s.id).sort(),
    );
  });

  it('drops the previews of a step whose params changed and of every step downstream', () => {
    const edited = withParams(doc, 'csv', { delimiter: ';' });
    const known = knownSchemasOf(edited, previewsOf(doc));
    expect(Object.keys(known)).toEqual(['source']);
  });

  it('keeps previews when only a position changed', () => {
    const moved = {
      ...doc,
      steps: doc.steps.map((s) => ({ ...s, position: { x: s.position.x + 5, y: 0 } })),
    };
    expect(Object.keys(knownSchemasOf(moved, previewsOf(doc)))).toHaveLength(doc.steps.length);
  });
});

describe('outdatedSteps and the run view', () => {
  /** A run store as a finished run of `ran` leaves it: every step done. */
  function ranStore(ran: PipelineDocument): RunStore {
    const store = new RunStore();
    const fps = stepFingerprints(ran);
    for (const s of ran.steps) {
      store.setStep(s.id, { state: 'done', rows: 1, bytes: 1, ms: 1 });
      store.preview(s.id, { port: 'out', schema, rows: [], fingerprint: fps[s.id]! });
      store.resultFrom(s.id, fps[s.id]!);
    }
    return store;
  }

  it('marks the edited step and its downstream outdated, keeping their results', () => {
    const store = ranStore(doc);
    expect(outdatedSteps(doc, store.getView()).size).toBe(0);
    const edited = withParams(doc, 'filter', { expression: 'temp_max > 20' });
    expect([...outdatedSteps(edited, store.getView())].sort()).toEqual([
      'aggregate',
      'derive',
      'filter',
      'sort',
    ]);
    expect(Object.keys(store.getView().previews)).toHaveLength(doc.steps.length);
  });

  it('marks results outdated while a new run has not confirmed them, and drops a failed step', () => {
    const store = ranStore(doc);
    store.start(['source', 'csv']);
    expect([...outdatedSteps(doc, store.getView())].sort()).toEqual(['csv', 'source']);
    store.dropResult('csv');
    store.setStep('csv', { state: 'failed', message: 'boom', stderrTail: '' });
    expect(store.getView().previews.csv).toBeUndefined();
    expect(outdatedSteps(doc, store.getView()).has('csv')).toBe(false);
  });
});
