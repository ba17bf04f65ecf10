/**
 * Graph questions about a pipeline: topological order, cycles, reachability. Steps are
 * vertices; edges go from the step producing data to the step consuming it.
 */
import type { Edge, PipelineDocument } from './types';

/** Successors of each step id (edges to unknown steps are ignored). */
function adjacency(doc: Pick<PipelineDocument, 'steps' | 'edges'>): Map<string, string[]> {
  const next = new Map<string, string[]>(doc.steps.map((s) => [s.id, []]));
  for (const e of doc.edges) {
    if (next.has(e.to.step)) next.get(e.from.step)?.push(e.to.step);
  }
  return next;
}

/**
 * The steps in an order where every step comes after the steps feeding it (Kahn's algorithm;
 * ties keep document order), or `{ cycle }` naming the steps of one cycle in edge order,
 * e.g. `['a', 'b', 'c']` for a → b → c → a.
 */
export function topologicalOrder(
  doc: Pick<PipelineDocument, 'steps' | 'edges'>,
): { order: string[] } | { cycle: string[] } {
  const next = adjacency(doc);
  const indegree = new Map<string, number>(doc.steps.map((s) => [s.id, 0]));
  for (const targets of next.values()) {
    for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  }
  const ready = doc.steps.map((s) => s.id).filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const t of next.get(id) ?? []) {
      const d = (indegree.get(t) ?? 0) - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  if (order.length === doc.steps.length) return { order };
  return { cycle: findCycle(next, new Set(order)) };
}

/**
 * One cycle among the steps Kahn's algorithm could not order. Each such step has a predecessor
 * that was not ordered either (else its in-degree would have reached 0), so walking backwards
 * through unordered predecessors must revisit a step; the walk between the visits is a cycle.
 */
function findCycle(next: Map<string, string[]>, done: ReadonlySet<string>): string[] {
  const prev = new Map<string, string[]>();
  for (const [from, targets] of next) {
    for (const t of targets) prev.set(t, [...(prev.get(t) ?? []), from]);
  }
  const path: string[] = [];
  const seenAt = new Map<string, number>();
  let id = [...next.keys()].find((s) => !done.has(s)) as string;
  while (!seenAt.has(id)) {
    seenAt.set(id, path.length);
    path.push(id);
    id = (prev.get(id) ?? []).find((p) => !done.has(p)) as string;
  }
  // `path` runs against the edges; reverse it so the cycle reads in edge order.
  const cycle = path.slice(seenAt.get(id)).reverse();
  // Start at the step that comes first in the document, for stable messages.
  const first = cycle.indexOf([...next.keys()].find((s) => cycle.includes(s)) as string);
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

/** Whether `to` can be reached from `from` by following edges (a step reaches itself). */
export function reaches(
  doc: Pick<PipelineDocument, 'steps' | 'edges'>,
  from: string,
  to: string,
): boolean {
  const next = adjacency(doc);
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/** The edges into `stepId`, by input port name. */
export function incomingEdges(doc: Pick<PipelineDocument, 'edges'>, stepId: string): Edge[] {
  return doc.edges.filter((e) => e.to.step === stepId);
}
