import { describe, expect, it } from 'vitest';
import { builtinCatalog, chain, edge, step } from '../pipeline/test-catalog';
import { anchorStep, linkInto } from './autoConnect';

const catalog = builtinCatalog();

describe('anchorStep', () => {
  const doc = chain(step('source-1', 'source'), step('csv-1', 'csv'), step('filter-1', 'filter'));

  it('is the one selected step', () => {
    expect(anchorStep(doc, ['csv-1'])).toBe('csv-1');
  });

  it('is the final step when none or several are selected', () => {
    expect(anchorStep(doc, [])).toBe('filter-1');
    expect(anchorStep(doc, ['csv-1', 'source-1'])).toBe('filter-1');
    expect(anchorStep({ ...doc, steps: [], edges: [] }, [])).toBeNull();
  });

  it('is only the selected step for a step placed at a chosen spot', () => {
    expect(anchorStep(doc, ['csv-1'], true)).toBe('csv-1');
    expect(anchorStep(doc, [], true)).toBeNull();
  });
});

describe('linkInto', () => {
  it('links the first output into the first input of the same type', () => {
    const doc = chain(step('filter-1', 'filter'));
    doc.steps.push(step('sort-1', 'sort'));
    expect(linkInto(doc, catalog, 'filter-1', 'sort-1')).toEqual({
      from: { step: 'filter-1', port: 'out' },
      to: { step: 'sort-1', port: 'in' },
    });
  });

  it('takes the output of the matching type: a source feeds a csv step from its bytes', () => {
    const doc = chain(step('source-1', 'source'));
    doc.steps.push(step('csv-1', 'csv'));
    expect(linkInto(doc, catalog, 'source-1', 'csv-1')).toEqual({
      from: { step: 'source-1', port: 'bytes' },
      to: { step: 'csv-1', port: 'csv' },
    });
  });

  it('uses the chosen output port only', () => {
    const doc = chain(step('source-1', 'source'));
    doc.steps.push(step('sort-1', 'sort'), step('csv-1', 'csv'));
    expect(linkInto(doc, catalog, 'source-1', 'sort-1', 'out')?.from.port).toBe('out');
    expect(linkInto(doc, catalog, 'source-1', 'sort-1', 'bytes')).toBeNull();
  });

  it('connects a join to its first free input', () => {
    const doc = chain(step('a-1', 'filter'), step('join-1', 'join'));
    doc.steps.push(step('b-1', 'filter'));
    doc.edges = [edge('a-1', 'join-1', 'out', 'left')];
    expect(linkInto(doc, catalog, 'b-1', 'join-1')?.to).toEqual({ step: 'join-1', port: 'right' });
    doc.edges.push(edge('b-1', 'join-1', 'out', 'right'));
    expect(linkInto(doc, catalog, 'b-1', 'join-1')).toBeNull();
  });

  it('never closes a cycle, and has nothing for a step without inputs', () => {
    const doc = chain(step('filter-1', 'filter'), step('sort-1', 'sort'));
    doc.steps.push(step('limit-1', 'limit'));
    doc.edges.push(edge('sort-1', 'limit-1'));
    // filter-1 → sort-1 → limit-1: limit-1 cannot feed filter-1, a fresh step can.
    expect(linkInto(doc, catalog, 'limit-1', 'filter-1')).toBeNull();
    doc.steps.push(step('sample-1', 'sample'));
    expect(linkInto(doc, catalog, 'sample-1', 'filter-1')?.to).toEqual({
      step: 'filter-1',
      port: 'in',
    });
    doc.steps.push(step('source-1', 'source'));
    expect(linkInto(doc, catalog, 'filter-1', 'source-1')).toBeNull();
  });
});
