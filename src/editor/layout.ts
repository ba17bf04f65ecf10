/**
 * Auto-layout with elkjs (layered algorithm, left to right, like data flows, wrapped into rows
 * when one row would be unreadably small). Returns new positions; the caller applies them as
 * one undoable edit.
 */
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import type { PipelineDocument } from '../pipeline/types';
import { boundsOf, READABLE_ZOOM, zoomToFit, type Pane } from './readableView';

let elk: Promise<ELK> | null = null;

/**
 * elkjs is ~1.4 MB minified, half the app, and only needed once the user lays out, so it is
 * its own chunk, fetched on first use (precached like every chunk, so it works offline).
 * A failed fetch is not cached: the next layout tries again.
 */
function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(
    (m) => new m.default(),
    (e: unknown) => {
      elk = null;
      throw e;
    },
  );
  return elk;
}

/** Node size assumed when React Flow has not measured a node yet (px). */
const DEFAULT_SIZE = { width: 164, height: 100 };

/** elkjs options shared by every layout: layered, sources first. */
function layeredOptions(direction: 'RIGHT' | 'DOWN'): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.spacing.nodeNode': '40',
    'elk.layered.spacing.nodeNodeBetweenLayers': '110',
  };
}

/**
 * Graph wrapping (elk.layered.wrapping): a long left-to-right pipeline is cut into rows, like
 * lines of text, so that its shape matches the pane's (the canvas, screen px).
 */
function wrappedOptions(pane: Pane): Record<string, string> {
  return {
    ...layeredOptions('RIGHT'),
    'elk.layered.wrapping.strategy': 'MULTI_EDGE',
    'elk.aspectRatio': aspectOf(pane),
  };
}

async function runElk(
  doc: PipelineDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>>,
  layoutOptions: Record<string, string>,
): Promise<Map<string, { x: number; y: number }>> {
  const graph = await (
    await loadElk()
  ).layout({
    id: 'root',
    layoutOptions,
    children: doc.steps.map((s) => {
      const { width, height } = sizes[s.id] ?? DEFAULT_SIZE;
      return { id: s.id, width, height };
    }),
    edges: doc.edges.map((e) => ({ id: e.id, sources: [e.from.step], targets: [e.to.step] })),
  });
  const out = new Map<string, { x: number; y: number }>();
  for (const c of graph.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

/**
 * Positions for every step of `doc`, laid out in layers from sources to sinks.
 * `sizes` gives measured node sizes in px where known. With `pane` (the canvas in screen px),
 * a left-to-right layout that would not fit the pane at a readable zoom is wrapped into rows,
 * and a top-to-bottom one stacks its unconnected parts to suit the pane's shape.
 */
export async function autoLayout(
  doc: PipelineDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>>,
  /** RIGHT on wide screens; DOWN suits a phone held upright. */
  direction: 'RIGHT' | 'DOWN' = 'RIGHT',
  pane?: Pane,
): Promise<Map<string, { x: number; y: number }>> {
  if (direction === 'DOWN') {
    // Unconnected parts are packed to the pane's shape: on a phone, below each other.
    const options = layeredOptions('DOWN');
    if (pane) options['elk.aspectRatio'] = aspectOf(pane);
    return runElk(doc, sizes, options);
  }
  const plain = await runElk(doc, sizes, layeredOptions(direction));
  if (!pane || fitsReadably(plain, sizes, pane)) return plain;
  return runElk(doc, sizes, wrappedOptions(pane));
}

/** The pane's width / height, as elkjs takes it. */
function aspectOf(pane: Pane): string {
  return (pane.width / Math.max(pane.height, 1)).toFixed(2);
}

/** True when steps at `positions` fit `pane` at a readable zoom (readableView.ts). */
function fitsReadably(
  positions: ReadonlyMap<string, { x: number; y: number }>,
  sizes: Readonly<Record<string, { width: number; height: number }>>,
  pane: Pane,
): boolean {
  const boxes = [...positions].map(([id, p]) => {
    const { width, height } = sizes[id] ?? DEFAULT_SIZE;
    return { x: p.x, y: p.y, width, height };
  });
  return zoomToFit(boundsOf(boxes), pane) >= READABLE_ZOOM;
}
