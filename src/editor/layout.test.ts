import { describe, expect, it } from 'vitest';
import { PIPELINE_FORMAT_VERSION, type PipelineDocument, type Step } from '../pipeline/types';
import { autoLayout } from './layout';

function step(id: string): Step {
  return {
    id,
    moduleId: 'limit',
    params: {},
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits: { timeoutMs: 1000, maxMemoryMiB: 16 },
    position: { x: 0, y: 0 },
  };
}

/** a → b → c, declared out of order so the layout cannot just follow the array. */
const chain: PipelineDocument = {
  format: 'quiver-pipeline',
  version: PIPELINE_FORMAT_VERSION,
  id: 'p',
  name: 'chain',
  steps: [step('c'), step('a'), step('b')],
  edges: [
    { id: 'e1', from: { step: 'a', port: 'out' }, to: { step: 'b', port: 'in' } },
    { id: 'e2', from: { step: 'b', port: 'out' }, to: { step: 'c', port: 'in' } },
  ],
};

describe('autoLayout (elkjs loaded on first use)', () => {
  it('places a chain left to right, then top to bottom on a second call', async () => {
    const right = await autoLayout(chain, {});
    const x = (id: string) => right.get(id)?.x ?? NaN;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));

    const down = await autoLayout(chain, {}, 'DOWN');
    const y = (id: string) => down.get(id)?.y ?? NaN;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('c'));
  });
});
