import { describe, expect, it } from 'vitest';
import { moveStep, updateParams, updateStep } from './edit';
import { canonicalJson, stepFingerprints } from './fingerprint';
import { chain, edge, step } from './test-catalog';

const doc = chain(
  step('source-1', 'source', { uri: 'sample:a.csv' }),
  step('csv-1', 'csv', { delimiter: ',', header: true }),
  step('sort-1', 'sort', { keys: [{ column: 'x' }] }),
);
doc.steps.push(step('limit-1', 'limit', { count: 3 }));
doc.edges.push(edge('source-1', 'limit-1'));

describe('stepFingerprints', () => {
  it('ignores key order, position, label, limits and permissions', () => {
    const before = stepFingerprints(doc);
    let same = updateParams(doc, 'csv-1', { header: true, delimiter: ',' });
    same = moveStep(same, 'csv-1', { x: 99, y: 1 });
    same = updateStep(same, 'csv-1', { label: 'CSV', limits: { timeoutMs: 5 } });
    expect(stepFingerprints(same)).toEqual(before);
  });

  it('changes for the edited step and everything downstream of it only', () => {
    const before = stepFingerprints(doc);
    const after = stepFingerprints(updateParams(doc, 'csv-1', { delimiter: ';' }));
    expect(after['source-1']).toBe(before['source-1']);
    expect(after['limit-1']).toBe(before['limit-1']);
    expect(after['csv-1']).not.toBe(before['csv-1']);
    expect(after['sort-1']).not.toBe(before['sort-1']);
  });

  it('changes when a step is fed from elsewhere', () => {
    const rewired = { ...doc, edges: [...doc.edges.slice(0, 1), edge('limit-1', 'sort-1')] };
    rewired.edges.push(doc.edges[2]!);
    expect(stepFingerprints(rewired)['sort-1']).not.toBe(stepFingerprints(doc)['sort-1']);
  });

  it('terminates on a cycle', () => {
    const loop = { ...doc, edges: [...doc.edges, edge('sort-1', 'csv-1', 'out', 'csv')] };
    expect(Object.keys(stepFingerprints(loop))).toHaveLength(4);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[2,{"c":0,"d":1}]}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });
});

describe('stepFingerprints and pins', () => {
  it('changes when a step is pinned to another binary of its module', () => {
    const base = {
      format: 'quiver-pipeline' as const,
      version: 2 as const,
      id: 'p',
      name: 'p',
      edges: [],
    };
    const step = (sha256?: string) => ({
      id: 'h',
      moduleId: 'acme.head',
      params: { count: 3 },
      permissions: { storage: 'none', clock: 'none', random: 'none' } as const,
      limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
      position: { x: 0, y: 0 },
      ...(sha256 ? { pin: { version: '1.0.0', sha256 } } : {}),
    });
    const fp = (sha256?: string) => stepFingerprints({ ...base, steps: [step(sha256)] }).h;
    expect(fp('a'.repeat(64))).not.toBe(fp('b'.repeat(64)));
    expect(fp('a'.repeat(64))).toBe(fp('a'.repeat(64)));
    expect(fp(undefined)).not.toBe(fp('a'.repeat(64)));
  });
});
