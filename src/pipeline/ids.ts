/**
 * Ids in a pipeline document. Step ids are readable and stable (`filter-1`, `filter-2`): they
 * appear in error messages and in the command line's `--input <step>=<file>`. Edge ids are
 * derived from their ends, so the same connection always has the same id. Document ids are
 * random.
 */
import type { PipelineDocument, PortRef } from './types';

/**
 * A step id for `moduleId` not used in `doc` nor in `taken`: `<moduleId>-<n>` with n one more
 * than the largest n in use for that prefix (so a deleted step's id is not reused while its
 * successors exist).
 */
export function nextStepId(
  doc: Pick<PipelineDocument, 'steps'>,
  moduleId: string,
  taken: ReadonlySet<string> = new Set(),
): string {
  const prefix = `${moduleId}-`;
  let max = 0;
  for (const id of [...doc.steps.map((s) => s.id), ...taken]) {
    if (!id.startsWith(prefix)) continue;
    const n = Number(id.slice(prefix.length));
    if (Number.isInteger(n) && n > max) max = n;
  }
  return `${prefix}${max + 1}`;
}

/** The id of the edge from `from` to `to`: `<step>.<port>-><step>.<port>`. */
export function edgeId(from: PortRef, to: PortRef): string {
  return `${from.step}.${from.port}->${to.step}.${to.port}`;
}

/**
 * A random id with `prefix` (e.g. `p-3f9c0a1b2d4e5f60`): 64 bits from `crypto.getRandomValues`,
 * which works in insecure contexts too (unlike `crypto.randomUUID`).
 */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
