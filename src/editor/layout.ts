/**
 * Auto-layout with elkjs (layered algorithm, left to right, like data flows). Returns new
 * positions; the caller applies them as one undoable edit.
 */
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import type { PipelineDocument } from '../pipeline/types';

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

/**
 * Positions for every step of `doc`, laid out in layers from sources to sinks.
 * `sizes` gives measured node sizes in px where known.
 */
export async function autoLayout(
  doc: PipelineDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>>,
  /** RIGHT on wide screens; DOWN suits a phone held upright. */
  direction: 'RIGHT' | 'DOWN' = 'RIGHT',
): Promise<Map<string, { x: number; y: number }>> {
  const graph = await (
    await loadElk()
  ).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '110',
    },
    children: doc.steps.map((s) => ({ id: s.id, ...(sizes[s.id] ?? DEFAULT_SIZE) })),
    edges: doc.edges.map((e) => ({ id: e.id, sources: [e.from.step], targets: [e.to.step] })),
  });
  const out = new Map<string, { x: number; y: number }>();
  for (const c of graph.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}
