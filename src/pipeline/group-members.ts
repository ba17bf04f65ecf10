/**
 * Keeping groups consistent when steps go away; its own file so that `edit.ts` (which removes
 * steps) and `groups.ts` (which builds on `edit.ts`) can both use it without importing each
 * other.
 */
import type { PipelineDocument, StepGroup } from './types';

/**
 * `doc` with `gone` step ids taken out of every group, and groups left without a step removed
 * (a frame around nothing has no place on the canvas). The same `doc` when no group changes.
 */
export function pruneGroupMembers(
  doc: PipelineDocument,
  gone: ReadonlySet<string>,
): PipelineDocument {
  if (!doc.groups?.some((g) => g.steps.some((id) => gone.has(id)))) return doc;
  const groups: StepGroup[] = [];
  for (const g of doc.groups) {
    const steps = g.steps.filter((id) => !gone.has(id));
    if (steps.length > 0) groups.push(steps.length === g.steps.length ? g : { ...g, steps });
  }
  return withList(doc, 'groups', groups);
}

/** `doc` with `groups` or `notes` set to `list`, or without the field when `list` is empty. */
export function withList<K extends 'groups' | 'notes'>(
  doc: PipelineDocument,
  key: K,
  list: NonNullable<PipelineDocument[K]>,
): PipelineDocument {
  const out: PipelineDocument = { ...doc, [key]: list };
  if (list.length === 0) delete out[key];
  return out;
}
