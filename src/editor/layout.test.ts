import { describe, expect, it } from 'vitest';
import { PIPELINE_FORMAT_VERSION, type PipelineDocument, type Step } from '../pipeline/types';
import { autoLayout } from './layout';
import { boundsOf, READABLE_ZOOM, zoomToFit } from './readableView';

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

  it('wraps a long chain into rows when one row would not be readable in the canvas', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const six: PipelineDocument = {
      ...chain,
      steps: ids.map(step),
      edges: ids.slice(1).map((id, i) => ({
        id: `e${i}`,
        from: { step: ids[i]!, port: 'out' },
        to: { step: id, port: 'in' },
      })),
    };
    // The canvas of a 1280×720 window beside the palette and the inspector.
    const pane = { x: 0, y: 0, width: 700, height: 620 };
    const sizes = Object.fromEntries(ids.map((id) => [id, { width: 164, height: 110 }]));
    const oneRow = await autoLayout(six, sizes, 'RIGHT');
    const wrapped = await autoLayout(six, sizes, 'RIGHT', pane);
    const boxes = (m: Map<string, { x: number; y: number }>) =>
      ids.map((id) => ({ ...m.get(id)!, width: 164, height: 110 }));
    expect(zoomToFit(boundsOf(boxes(oneRow)), pane)).toBeLessThan(READABLE_ZOOM);
    expect(zoomToFit(boundsOf(boxes(wrapped)), pane)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Still in flow order: each row reads left to right, rows top to bottom.
    const order = [...ids].sort((p, q) => {
      const a = wrapped.get(p)!;
      const b = wrapped.get(q)!;
      return a.y === b.y ? a.x - b.x : a.y - b.y;
    });
    expect(order).toEqual(ids);
  });
});
