import { describe, expect, it } from 'vitest';
import { PIPELINE_FORMAT_VERSION, type PipelineDocument, type Step } from '../pipeline/types';
import { COLLAPSED_SIZE, groupFrame, type Box } from './groups/geometry';
import { applyLayout, autoLayout } from './layout';
import { boundsOf, intersects, READABLE_ZOOM, zoomToFit } from './readableView';

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

/** A chain of steps `ids`, linked in order (out → in). */
function chainOf(ids: string[]): PipelineDocument {
  return {
    ...chain,
    steps: ids.map(step),
    edges: ids.slice(1).map((id, i) => ({
      id: `e${i}`,
      from: { step: ids[i]!, port: 'out' },
      to: { step: id, port: 'in' },
    })),
  };
}

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
    const six = chainOf(ids);
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

  it('wraps a chain holding a group into tidy rows with the whole frame in a readable fit', async () => {
    // The example (source → csv → filter → derive → aggregate → sort), filter and derive grouped.
    const ids = ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort'];
    const doc: PipelineDocument = {
      ...chainOf(ids),
      groups: [{ id: 'group:1', title: 'G', steps: ['filter', 'derive'] }],
    };
    // The canvas of a 1280×800 window beside the palette and the inspector.
    const pane = { x: 0, y: 49, width: 700, height: 706 };
    const sizes = Object.fromEntries(ids.map((id) => [id, { width: 192, height: 100 }]));
    const laid = applyLayout(doc, await autoLayout(doc, sizes, 'RIGHT', pane));
    const frame = groupFrame(laid.groups![0]!, laid.steps, sizes)!;
    const box = (id: string) => ({
      ...laid.steps.find((s) => s.id === id)!.position,
      ...sizes[id]!,
    });
    const outside = ['source', 'csv', 'aggregate', 'sort'];
    const all = [frame, ...outside.map(box)];
    expect(zoomToFit(boundsOf(all), pane)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Rows: every row starts at the left edge, steps side by side share a top, rows do not overlap.
    const left = Math.min(...all.map((b) => b.x));
    expect(box('source').x).toBe(left);
    expect(box('source').y).toBe(box('csv').y);
    expect(box('filter').y).toBe(box('derive').y);
    expect(box('csv').y + 100).toBeLessThan(frame.y);
    expect(frame.y + frame.height).toBeLessThanOrEqual(Math.min(box('aggregate').y, box('sort').y));
    expect([frame.x, box('aggregate').x]).toEqual([left, left]);
  });

  it('lays out a group together, its frame around its steps only, and moves notes off steps', async () => {
    // a → b → c and a → x → y, with b and y (in different branches and layers) grouped: laid
    // out without the group, their frame would take in c and x as well.
    const ids = ['a', 'b', 'c', 'x', 'y'];
    const link = (from: string, to: string) => ({
      id: `${from}-${to}`,
      from: { step: from, port: 'out' },
      to: { step: to, port: 'in' },
    });
    const doc: PipelineDocument = {
      ...chain,
      steps: ids.map(step),
      edges: [link('a', 'b'), link('b', 'c'), link('a', 'x'), link('x', 'y')],
      groups: [{ id: 'group:1', title: 'G', steps: ['y', 'b'] }],
      // A note over where the steps all start.
      notes: [
        {
          id: 'note:1',
          text: 'n',
          position: { x: 0, y: 0 },
          size: { width: 200, height: 120 },
          color: 'yellow',
        },
      ],
    };
    const sizes = Object.fromEntries(ids.map((id) => [id, { width: 164, height: 110 }]));
    for (const direction of ['RIGHT', 'DOWN'] as const) {
      const at = await autoLayout(doc, sizes, direction);
      const laid = applyLayout(doc, at);
      const frame = groupFrame(laid.groups![0]!, laid.steps, sizes)!;
      const box = (id: string) => ({
        ...laid.steps.find((s) => s.id === id)!.position,
        ...sizes[id]!,
      });
      for (const id of ['b', 'y']) {
        expect(inside(box(id), frame), `${direction}: ${id} in the frame`).toBe(true);
      }
      for (const id of ['a', 'c', 'x']) {
        expect(intersects(box(id), frame), `${direction}: ${id} on the frame`).toBe(false);
      }
      const note = { ...laid.notes![0]!.position, ...laid.notes![0]!.size };
      expect(intersects(note, frame)).toBe(false);
      for (const id of ids)
        expect(intersects(note, box(id)), `${direction}: note on ${id}`).toBe(false);
    }
  });

  it('lays out a collapsed group as one box; its hidden steps move with it', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const doc: PipelineDocument = {
      ...chain,
      steps: ids.map((id, i) => ({ ...step(id), position: { x: 500 - 150 * i, y: 40 * i } })),
      edges: ids.slice(1).map((id, i) => ({
        id: `e${i}`,
        from: { step: ids[i]!, port: 'out' },
        to: { step: id, port: 'in' },
      })),
      groups: [{ id: 'group:1', title: 'G', steps: ['b', 'c'], collapsed: true }],
    };
    const sizes = Object.fromEntries(ids.map((id) => [id, { width: 164, height: 110 }]));
    const laid = applyLayout(doc, await autoLayout(doc, sizes, 'RIGHT'));
    const frame = groupFrame(laid.groups![0]!, laid.steps, sizes)!;
    const collapsed = { x: frame.x, y: frame.y, ...COLLAPSED_SIZE };
    const pos = (d: PipelineDocument, id: string) => d.steps.find((s) => s.id === id)!.position;
    const box = (id: string) => ({ ...pos(laid, id), ...sizes[id]! });
    // In flow order around the box, which overlaps neither.
    expect(box('a').x + 164).toBeLessThan(collapsed.x);
    expect(collapsed.x + collapsed.width).toBeLessThan(box('d').x);
    for (const id of ['a', 'd']) expect(intersects(box(id), collapsed)).toBe(false);
    // b and c kept their places relative to each other.
    const before = { x: pos(doc, 'c').x - pos(doc, 'b').x, y: pos(doc, 'c').y - pos(doc, 'b').y };
    expect({
      x: pos(laid, 'c').x - pos(laid, 'b').x,
      y: pos(laid, 'c').y - pos(laid, 'b').y,
    }).toEqual(before);
  });
});

/** `inner` lies wholly within `outer`. */
function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}
