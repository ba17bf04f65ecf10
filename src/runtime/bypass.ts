/**
 * Bypassed steps (`Step.bypass`), before a run plans anything: a step with one input and one
 * output of the same port type is taken out and its consumers are fed by its producer (it
 * passes its input through); any other bypassed step stays, switched off, so that it and its
 * downstream are skipped. Fingerprints are then computed on the rewritten document, so a
 * bypassed filter's consumers find the outputs cached for the pipeline without it.
 */
import type { ModuleCatalog } from '../modules/catalog';
import type { PipelineDocument } from '../pipeline/types';

/** The document a run sees and what became of its bypassed steps. */
export interface Bypassed {
  /** `doc` without its passed-through steps, their consumers rewired to their producers. */
  doc: PipelineDocument;
  /** Steps taken out, passing their input through, with the reason shown. */
  passed: Map<string, string>;
  /** Steps switched off (skipped with their downstream), with the reason shown. */
  off: Map<string, string>;
  /** Each passed-through step's producer, which stands in for it ("Run to here" on it). */
  standIn: Map<string, string>;
}

/** Applies the bypass switches of `doc` (a new document; `doc` is not changed). */
export function applyBypass(doc: PipelineDocument, catalog: ModuleCatalog): Bypassed {
  const passed = new Map<string, string>();
  const off = new Map<string, string>();
  const standIn = new Map<string, string>();
  let steps = doc.steps;
  let edges = doc.edges;
  for (const step of doc.steps) {
    if (step.bypass !== true) continue;
    const manifest = catalog.get(step.moduleId);
    const [input, ...moreInputs] = manifest?.inputs ?? [];
    const [output, ...moreOutputs] = manifest?.outputs ?? [];
    const passes =
      input !== undefined &&
      output !== undefined &&
      moreInputs.length === 0 &&
      moreOutputs.length === 0 &&
      input.type === output.type;
    if (!passes) {
      off.set(step.id, 'bypassed (switched off)');
      continue;
    }
    const into = edges.find((e) => e.to.step === step.id);
    steps = steps.filter((s) => s.id !== step.id);
    edges = edges
      .filter((e) => e.to.step !== step.id)
      .flatMap((e) => {
        if (e.from.step !== step.id) return [e];
        return into ? [{ ...e, from: { ...into.from } }] : [];
      });
    passed.set(step.id, 'bypassed (passes its input through)');
    if (into) standIn.set(step.id, standIn.get(into.from.step) ?? into.from.step);
  }
  // A producer that was itself passed through stands in for its own producer.
  for (const [id, producer] of standIn) {
    let p = producer;
    while (standIn.has(p)) p = standIn.get(p)!;
    standIn.set(id, p);
  }
  // Nothing passed through: the document itself, so that its validation is remembered (run-scope.ts).
  const same = steps === doc.steps && edges === doc.edges;
  return { doc: same ? doc : { ...doc, steps, edges }, passed, off, standIn };
}

/**
 * `targets` of a "Run to here" on the document {@link applyBypass} made: a passed-through step
 * is replaced by the producer that stands in for it (one without an input leaves nothing).
 */
export function bypassedTargets(
  targets: readonly string[] | undefined,
  bypassed: Bypassed,
): string[] | undefined {
  if (!targets) return undefined;
  return targets.flatMap((id) => {
    if (!bypassed.passed.has(id)) return [id];
    const producer = bypassed.standIn.get(id);
    return producer ? [producer] : [];
  });
}
