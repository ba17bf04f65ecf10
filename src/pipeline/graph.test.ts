import { describe, expect, it } from 'vitest';
import { reaches, topologicalOrder } from './graph';
import { edgeId, nextStepId, randomId } from './ids';
import { chain, edge, step } from './test-catalog';

describe('topologicalOrder', () => {
  it('orders every step after the steps feeding it', () => {
    const doc = chain(step('a', 'x'), step('b', 'x'), step('c', 'x'));
    // Declared in reverse, with a side branch a → d.
    doc.steps.reverse();
    doc.steps.push(step('d', 'x'));
    doc.edges.push(edge('a', 'd'));
    const r = topologicalOrder(doc);
    if (!('order' in r)) throw new Error('expected an order');
    for (const e of doc.edges) {
      expect(r.order.indexOf(e.from.step)).toBeLessThan(r.order.indexOf(e.to.step));
    }
    expect(r.order).toHaveLength(4);
  });

  it('names the steps of a cycle in edge order, even with steps hanging off it', () => {
    const doc = chain(step('src', 'x'), step('b', 'x'), step('c', 'x'), step('d', 'x'));
    doc.edges.push(edge('d', 'b', 'out', 'other'));
    doc.steps.push(step('tail', 'x'));
    doc.edges.push(edge('d', 'tail'));
    expect(topologicalOrder(doc)).toEqual({ cycle: ['b', 'c', 'd'] });
  });

  it('finds a self-loop', () => {
    const doc = chain(step('a', 'x'));
    doc.edges.push(edge('a', 'a'));
    expect(topologicalOrder(doc)).toEqual({ cycle: ['a'] });
  });
});

describe('reaches', () => {
  it('follows edges downstream only', () => {
    const doc = chain(step('a', 'x'), step('b', 'x'), step('c', 'x'));
    expect(reaches(doc, 'a', 'c')).toBe(true);
    expect(reaches(doc, 'c', 'a')).toBe(false);
    expect(reaches(doc, 'b', 'b')).toBe(true);
  });
});

describe('ids', () => {
  it('numbers step ids per module after the largest in use', () => {
    const doc = chain(
      step('filter-1', 'filter'),
      step('filter-7', 'filter'),
      step('sort-2', 'sort'),
    );
    expect(nextStepId(doc, 'filter')).toBe('filter-8');
    expect(nextStepId(doc, 'sort')).toBe('sort-3');
    expect(nextStepId(doc, 'limit')).toBe('limit-1');
    expect(nextStepId(doc, 'filter', new Set(['filter-8']))).toBe('filter-9');
  });

  it('derives edge ids from their ends and makes random ids unique', () => {
    expect(edgeId({ step: 'a', port: 'out' }, { step: 'b', port: 'in' })).toBe('a.out->b.in');
    const ids = new Set(Array.from({ length: 1000 }, () => randomId('p')));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^p-[0-9a-f]{16}$/);
  });
});
