import { describe, expect, it } from 'vitest';
import { createPipeline, moveSteps } from '../pipeline/edit';
import type { PipelineDocument } from '../pipeline/types';
import { EditorStore } from './store';

/** A document with one step at x = 0, built by hand (no catalog needed). */
function docWithStep(): PipelineDocument {
  const doc = createPipeline('t');
  return {
    ...doc,
    steps: [
      {
        id: 's-1',
        moduleId: 'limit',
        params: {},
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
        position: { x: 0, y: 0 },
      },
    ],
  };
}

const xOf = (s: EditorStore) => s.getState().doc.steps[0]?.position.x;
const rename = (name: string) => (d: PipelineDocument) => ({ ...d, name });

describe('EditorStore', () => {
  it('undoes and redoes whole documents, and a new edit clears redo', () => {
    const store = new EditorStore(docWithStep());
    const first = store.getState().doc;
    store.edit(rename('a'));
    store.edit(rename('b'));
    store.undo();
    expect(store.getState().doc.name).toBe('a');
    store.undo();
    expect(store.getState().doc).toBe(first);
    store.undo(); // nothing left: no change
    expect(store.getState().doc).toBe(first);
    store.redo();
    expect(store.getState().doc.name).toBe('a');
    store.edit(rename('c'));
    expect(store.getState().future).toHaveLength(0);
    store.redo();
    expect(store.getState().doc.name).toBe('c');
  });

  it('makes a drag one undo step however many moves it has', () => {
    const store = new EditorStore(docWithStep());
    store.beginGesture();
    for (let x = 1; x <= 30; x += 1) store.edit((d) => moveSteps(d, { 's-1': { x, y: 0 } }));
    store.endGesture();
    expect(xOf(store)).toBe(30);
    expect(store.getState().past).toHaveLength(1);
    store.undo();
    expect(xOf(store)).toBe(0);
  });

  it('coalesces typing in one field but not edits of different fields', () => {
    const store = new EditorStore(docWithStep());
    store.edit(rename('a'), 'name');
    store.edit(rename('ab'), 'name');
    store.edit(rename('abc'), 'name');
    expect(store.getState().past).toHaveLength(1);
    store.edit((d) => moveSteps(d, { 's-1': { x: 5, y: 0 } }));
    store.edit(rename('abcd'), 'name');
    expect(store.getState().past).toHaveLength(3);
    store.undo();
    store.undo();
    expect(store.getState().doc.name).toBe('abc');
  });

  it('drops selected ids that an undo removes', () => {
    const store = new EditorStore(createPipeline('t'));
    store.edit(() => docWithStep());
    store.select(['s-1'], []);
    store.undo();
    expect(store.getState().selectedSteps).toEqual([]);
  });

  it('ignores an edit that returns the same document', () => {
    const store = new EditorStore(docWithStep());
    store.edit((d) => d);
    expect(store.getState().past).toHaveLength(0);
  });
});
