import { describe, expect, it } from 'vitest';
import {
  addStep,
  connect,
  copySteps,
  createPipeline,
  disconnect,
  duplicateSteps,
  moveStep,
  moveSteps,
  pasteSteps,
  removeSteps,
  updateParams,
  updateStep,
} from './edit';
import { builtinCatalog, chain, deepFreeze, edge, step } from './test-catalog';
import type { PipelineDocument } from './types';
import { validatePipeline } from './validate';

const catalog = builtinCatalog();
const manifest = (id: string) => {
  const m = catalog.get(id);
  if (!m) throw new Error(`no manifest ${id}`);
  return m;
};

/** source-1 → filter-1 → sort-1, plus a lone limit-1. Frozen: edits must not mutate it. */
function base(): PipelineDocument {
  const doc = chain(
    step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
    step('filter-1', 'filter', { expression: 'temp_max > 15' }),
    step('sort-1', 'sort', { keys: [{ column: 'date' }] }),
  );
  doc.steps.push(step('limit-1', 'limit', { count: 5 }));
  return deepFreeze(doc);
}

describe('addStep', () => {
  it('adds a step with schema defaults, nothing granted, manifest limits and a fresh id', () => {
    const doc = base();
    const { doc: next, stepId } = addStep(doc, manifest('limit'), { x: 10, y: 20 });
    expect(stepId).toBe('limit-2');
    expect(next.steps.at(-1)).toEqual({
      id: 'limit-2',
      moduleId: 'limit',
      params: { offset: 0, count: 100 },
      permissions: { storage: 'none', clock: 'none', random: 'none' },
      limits: manifest('limit').limits,
      position: { x: 10, y: 20 },
    });
    expect(doc.steps).toHaveLength(4);
    expect(next.steps[0]).toBe(doc.steps[0]); // unchanged steps are shared
  });

  it('starts a new empty pipeline', () => {
    const p = createPipeline('Untitled');
    expect(p).toMatchObject({ format: 'quiver-pipeline', version: 4, name: 'Untitled', steps: [] });
    expect(p.id).toMatch(/^p-/);
  });
});

describe('removeSteps', () => {
  it('removes the steps and every edge touching them', () => {
    const next = removeSteps(base(), ['filter-1']);
    expect(next.steps.map((s) => s.id)).toEqual(['source-1', 'sort-1', 'limit-1']);
    expect(next.edges).toEqual([]);
    expect(removeSteps(base(), ['nope']).steps).toHaveLength(4);
  });
});

describe('connect', () => {
  const from = (s: string, port = 'out') => ({ step: s, port });
  const to = (s: string, port = 'in') => ({ step: s, port });

  it('adds an edge between compatible free ports', () => {
    const r = connect(base(), catalog, from('sort-1'), to('limit-1'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.edge).toEqual(edge('sort-1', 'limit-1'));
    expect(r.doc.edges).toHaveLength(3);
  });

  it('refuses a cycle, naming both ends', () => {
    expect(connect(base(), catalog, from('sort-1'), to('filter-1'))).toEqual({
      ok: false,
      reason:
        'step "filter-1" port "in" is already connected (from step "source-1" port "out"); disconnect it first',
    });
    const freed = disconnect(base(), ['source-1.out->filter-1.in']);
    expect(connect(freed, catalog, from('sort-1'), to('filter-1'))).toEqual({
      ok: false,
      reason:
        'connecting step "sort-1" port "out" to step "filter-1" port "in" would create a cycle',
    });
    expect(connect(base(), catalog, from('limit-1'), to('limit-1'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('would create a cycle'),
    });
  });

  it('with replace, takes the place of the edge into a filled input in one edit', () => {
    const r = connect(base(), catalog, from('limit-1'), to('sort-1'), { replace: true });
    expect(r).toMatchObject({ ok: true, replaced: edge('filter-1', 'sort-1') });
    if (!r.ok) return;
    expect(r.doc.edges).toEqual([edge('source-1', 'filter-1'), edge('limit-1', 'sort-1')]);
  });

  it('with replace, still refuses a cycle, judged without the replaced edge', () => {
    // sort-1 → filter-1 replaces source-1 → filter-1, but filter-1 feeds sort-1: a cycle.
    expect(
      connect(base(), catalog, from('sort-1'), to('filter-1'), { replace: true }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('would create a cycle') });
    // limit-1 → filter-1 is fine once source-1 → filter-1 is gone.
    const r = connect(base(), catalog, from('limit-1'), to('filter-1'), { replace: true });
    expect(r.ok && r.doc.edges.map((e) => e.id)).toEqual([
      'filter-1.out->sort-1.in',
      'limit-1.out->filter-1.in',
    ]);
  });

  it('connecting an input to the output it already comes from changes nothing', () => {
    const doc = base();
    const r = connect(doc, catalog, from('source-1'), to('filter-1'));
    expect(r).toMatchObject({ ok: true, edge: edge('source-1', 'filter-1') });
    expect(r.ok && r.doc).toBe(doc);
  });

  it('refuses incompatible port types', () => {
    const doc = addStep(base(), manifest('csv'), { x: 0, y: 0 }).doc;
    expect(connect(doc, catalog, from('source-1'), to('csv-1', 'csv'))).toEqual({
      ok: false,
      reason:
        'cannot connect step "source-1" port "out" (arrow) to step "csv-1" port "csv" (bytes): port types differ',
    });
    expect(connect(doc, catalog, from('source-1', 'bytes'), to('csv-1', 'csv')).ok).toBe(true);
  });

  it('refuses unknown steps and ports', () => {
    expect(connect(base(), catalog, from('nope'), to('limit-1'))).toEqual({
      ok: false,
      reason: 'no step "nope"',
    });
    expect(connect(base(), catalog, from('sort-1', 'rows'), to('limit-1'))).toEqual({
      ok: false,
      reason: 'step "sort-1" has no output port "rows"',
    });
    expect(connect(base(), catalog, from('sort-1'), to('source-1'))).toEqual({
      ok: false,
      reason: 'step "source-1" has no input port "in"',
    });
  });
});

describe('move, update', () => {
  it('moves one or many steps', () => {
    expect(moveStep(base(), 'sort-1', { x: 5, y: 6 }).steps[2]?.position).toEqual({ x: 5, y: 6 });
    const next = moveSteps(base(), { 'source-1': { x: 1, y: 1 }, 'limit-1': { x: 2, y: 2 } });
    expect(next.steps.map((s) => s.position.x)).toEqual([1, 0, 0, 2]);
  });

  it('replaces params and patches label, permissions and limits', () => {
    const doc = updateParams(base(), 'limit-1', { count: 7, offset: 1 });
    expect(doc.steps[3]?.params).toEqual({ count: 7, offset: 1 });
    const s = updateStep(doc, 'limit-1', {
      label: 'Top 7',
      permissions: { clock: 'real' },
      limits: { timeoutMs: 10 },
    }).steps[3];
    expect(s).toMatchObject({
      label: 'Top 7',
      permissions: { storage: 'none', clock: 'real', random: 'none' },
      limits: { timeoutMs: 10, maxMemoryMiB: 64 },
    });
    expect(() => updateParams(base(), 'nope', {})).toThrow('no step "nope" in pipeline "p-test"');
  });
});

/** Errors validation finds on the steps `ids` of `doc` (an unconnected input among them). */
const problemsOf = (doc: PipelineDocument, ids: string[]) =>
  validatePipeline(doc, catalog)
    .filter((i) => i.severity === 'error' && ids.includes(i.stepId ?? ''))
    .map((i) => i.message);

describe('copy, paste, duplicate', () => {
  it('copies steps with their internal edges only and pastes them with fresh ids', () => {
    const doc = base();
    const fragment = copySteps(doc, ['filter-1', 'sort-1']);
    expect(fragment.edges).toEqual([edge('filter-1', 'sort-1')]);
    const { doc: next, stepIds } = pasteSteps(doc, fragment, { x: 100, y: 0 });
    expect(stepIds).toEqual(['filter-2', 'sort-2']);
    expect(next.edges.at(-1)).toEqual(edge('filter-2', 'sort-2'));
    expect(next.steps.at(-2)).toMatchObject({
      moduleId: 'filter',
      params: { expression: 'temp_max > 15' },
      position: { x: 100, y: 0 },
    });
    // The copy is independent of the original.
    expect(next.steps.at(-2)?.params).not.toBe(doc.steps[1]?.params);
    expect(next.edges).toHaveLength(3);
  });

  it('duplicates a step with its incoming links, not its outgoing ones', () => {
    const doc = base();
    const { doc: next, stepIds } = duplicateSteps(doc, ['filter-1'], { x: 0, y: 150 });
    expect(stepIds).toEqual(['filter-2']);
    // The copy reads from the same producer; sort-1 still reads from the original only.
    expect(next.edges).toEqual([...doc.edges, edge('source-1', 'filter-2')]);
    expect(problemsOf(next, stepIds)).toEqual([]);
  });

  it('duplicates several steps with the links among them and into them', () => {
    const { doc: next, stepIds } = duplicateSteps(base(), ['sort-1', 'filter-1']);
    expect(stepIds).toEqual(['filter-2', 'sort-2']);
    expect(next.edges.slice(2)).toEqual([edge('filter-2', 'sort-2'), edge('source-1', 'filter-2')]);
    // Not filter-1 → sort-2: the copy's input is fed by the copy of its producer.
    expect(next.edges.filter((e) => e.to.step === 'sort-2')).toHaveLength(1);
    expect(problemsOf(next, stepIds)).toEqual([]);
  });

  it('duplicates twice without id clashes', () => {
    const once = duplicateSteps(base(), ['filter-1', 'sort-1']).doc;
    const twice = duplicateSteps(once, ['filter-1', 'sort-1']);
    expect(twice.stepIds).toEqual(['filter-3', 'sort-3']);
    expect(new Set(twice.doc.steps.map((s) => s.id)).size).toBe(twice.doc.steps.length);
  });
});
