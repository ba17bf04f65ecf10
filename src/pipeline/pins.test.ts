import { describe, expect, it } from 'vitest';
import { checkPins, repinSteps, type ModuleOrigin } from './pins';
import type { PipelineDocument, Step } from './types';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function step(id: string, moduleId: string, pin?: Step['pin']): Step {
  return {
    id,
    moduleId,
    params: {},
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
    position: { x: 0, y: 0 },
    ...(pin ? { pin } : {}),
  };
}

function doc(steps: Step[], modules: PipelineDocument['modules'] = []): PipelineDocument {
  return { format: 'quiver-pipeline', version: 4, id: 'p', name: 'p', steps, edges: [], modules };
}

const here: Record<string, ModuleOrigin> = {
  filter: { kind: 'builtin' },
  'acme.head': { kind: 'installed', version: '1.0.0', sha256: A },
};

describe('checkPins', () => {
  it('accepts the pinned binary and ignores steps without a pin', () => {
    const d = doc([step('f', 'filter'), step('h', 'acme.head', { version: '1.0.0', sha256: A })]);
    expect(checkPins(d, (id) => here[id])).toEqual([]);
  });

  it('flags a missing module, and says when the document carries it', () => {
    const d = doc(
      [step('x', 'acme.tail', { version: '2.0.0', sha256: B })],
      [{ manifest: {}, sha256: B, wasmBase64: '' }],
    );
    expect(checkPins(d, (id) => here[id])).toEqual([
      expect.objectContaining({
        stepId: 'x',
        kind: 'missing',
        embedded: true,
        message: 'module "acme.tail" 2.0.0 (sha256 bbbbbbbb…) is not installed',
      }),
    ]);
  });

  it('flags another installed binary under the same id, naming both versions', () => {
    const d = doc([step('h', 'acme.head', { version: '0.9.0', sha256: B })]);
    const [problem] = checkPins(d, (id) => here[id]);
    expect(problem).toMatchObject({ kind: 'other-binary', embedded: false });
    expect(problem?.message).toBe(
      'module "acme.head" 0.9.0 (sha256 bbbbbbbb…) is pinned, but the installed one is 1.0.0 (sha256 aaaaaaaa…)',
    );
  });

  it('flags a pin on a built-in id', () => {
    const d = doc([step('f', 'filter', { version: '1.0.0', sha256: A })]);
    expect(checkPins(d, (id) => here[id])[0]?.message).toContain('is a built-in module');
  });
});

describe('repinSteps', () => {
  it('moves the steps pinning the old binary to the new one, and no others', () => {
    const d = doc([
      step('h1', 'acme.head', { version: '1.0.0', sha256: A }),
      step('h2', 'acme.head', { version: '0.9.0', sha256: B }),
      step('f', 'filter'),
    ]);
    const next = repinSteps(d, 'acme.head', A, { version: '1.1.0', sha256: B });
    expect(next.steps.map((s) => s.pin?.version)).toEqual(['1.1.0', '0.9.0', undefined]);
    expect(repinSteps(d, 'acme.head', 'c'.repeat(64), { version: '2.0.0', sha256: A })).toBe(d);
  });
});
