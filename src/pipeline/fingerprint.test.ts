import { describe, expect, it } from 'vitest';
import { moveStep, updateParams, updateStep } from './edit';
import { canonicalJson, fnv1a64, fnv1a64Reference, stepFingerprints } from './fingerprint';
import { chain, edge, step } from './test-catalog';

const doc = chain(
  step('source-1', 'source', { uri: 'sample:a.csv' }),
  step('csv-1', 'csv', { delimiter: ',', header: true }),
  step('sort-1', 'sort', { keys: [{ column: 'x' }] }),
);
doc.steps.push(step('limit-1', 'limit', { count: 3 }));
doc.edges.push(edge('source-1', 'limit-1'));

const identities = {
  'source-1': 'file:a.csv#size=10#modified=1',
  'csv-1': 'csv@1.0.0#sha256:aa',
  'sort-1': 'sort@1.0.0#sha256:bb',
  'limit-1': 'limit@1.0.0#sha256:cc',
};

/** The steps whose fingerprint differs between `a` and `b`, sorted. */
function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a)
    .filter((id) => a[id] !== b[id])
    .sort();
}

describe('stepFingerprints', () => {
  it('ignores key order, position, label, limits and permissions', () => {
    const before = stepFingerprints(doc, identities);
    let same = updateParams(doc, 'csv-1', { header: true, delimiter: ',' });
    same = moveStep(same, 'csv-1', { x: 99, y: 1 });
    same = updateStep(same, 'csv-1', { label: 'CSV', limits: { timeoutMs: 5, maxMemoryMiB: 9 } });
    expect(stepFingerprints(same, { ...identities })).toEqual(before);
  });

  it('changes for the edited step and everything downstream of it only', () => {
    const before = stepFingerprints(doc);
    const after = stepFingerprints(updateParams(doc, 'csv-1', { delimiter: ';' }));
    expect(changed(before, after)).toEqual(['csv-1', 'sort-1']);
  });

  it('changes with the module version or content hash, and downstream', () => {
    const before = stepFingerprints(doc, identities);
    const rebuilt = { ...identities, 'csv-1': 'csv@1.0.0#sha256:ab' };
    expect(changed(before, stepFingerprints(doc, rebuilt))).toEqual(['csv-1', 'sort-1']);
    const bumped = { ...identities, 'csv-1': 'csv@1.0.1#sha256:aa' };
    expect(changed(before, stepFingerprints(doc, bumped))).toEqual(['csv-1', 'sort-1']);
  });

  it('changes with the source file identity, for the source and all downstream', () => {
    const before = stepFingerprints(doc, identities);
    const touched = { ...identities, 'source-1': 'file:a.csv#size=10#modified=2' };
    expect(changed(before, stepFingerprints(doc, touched))).toEqual([
      'csv-1',
      'limit-1',
      'sort-1',
      'source-1',
    ]);
  });

  it('changes with the clock, random and storage grants that reach the output', () => {
    const before = stepFingerprints(doc, identities);
    for (const grant of [
      { clock: 'deterministic' },
      { clock: 'real' },
      { random: 'deterministic' },
      { random: 'real' },
      { storage: 'read' },
    ] as const) {
      const granted = updateStep(doc, 'sort-1', {
        permissions: { ...doc.steps[2]!.permissions, ...grant },
      });
      expect(changed(before, stepFingerprints(granted, identities))).toEqual(['sort-1']);
    }
  });

  it('changes when a step is fed from elsewhere', () => {
    const rewired = { ...doc, edges: [...doc.edges.slice(0, 1), edge('limit-1', 'sort-1')] };
    rewired.edges.push(doc.edges[2]!);
    expect(stepFingerprints(rewired)['sort-1']).not.toBe(stepFingerprints(doc)['sort-1']);
  });

  it('changes when an input moves to another port of the same step', () => {
    const other = { ...doc, edges: [...doc.edges] };
    other.edges[1] = edge('csv-1', 'sort-1', 'rejects', 'in');
    expect(stepFingerprints(other)['sort-1']).not.toBe(stepFingerprints(doc)['sort-1']);
  });

  it('terminates on a cycle', () => {
    const loop = { ...doc, edges: [...doc.edges, edge('sort-1', 'csv-1', 'out', 'csv')] };
    expect(Object.keys(stepFingerprints(loop))).toHaveLength(4);
  });
});

describe('fnv1a64', () => {
  it('equals the BigInt definition, including code units above 0xff', () => {
    for (const text of ['', 'a', 'foobar', '{"a":[1,2]}', 'é→😀', 'x'.repeat(1000)])
      expect(fnv1a64(text)).toBe(fnv1a64Reference(text));
    // Published test vectors of FNV-1a 64 for one-byte characters.
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
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
      version: 4 as const,
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
