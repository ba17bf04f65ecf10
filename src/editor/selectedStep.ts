/**
 * The one selected step and what the inspector shows about it: its input columns and ports,
 * its validation issues and its pin problem. Nothing when zero or several steps are selected.
 */
import type { PinProblem } from '../pipeline/pins';
import type { PipelineDocument, Step } from '../pipeline/types';
import type { PipelineCheck } from '../pipeline/validate';
import { inputSchemaOf, inputSchemasOf } from './derived';
import type { Catalog } from './docOps';

export interface SelectedStep {
  step: Step | undefined;
  upstream: ReturnType<typeof inputSchemaOf>;
  upstreamPorts: ReturnType<typeof inputSchemasOf>;
  issues: PipelineCheck['issues'];
  pinProblem: PinProblem | undefined;
}

export function selectedStepOf(
  doc: PipelineDocument,
  selectedSteps: readonly string[],
  check: PipelineCheck,
  catalog: Catalog,
  pinProblems: readonly PinProblem[],
): SelectedStep {
  const step =
    selectedSteps.length === 1 ? doc.steps.find((s) => s.id === selectedSteps[0]) : undefined;
  const id = step?.id ?? null;
  return {
    step,
    upstream: inputSchemaOf(check, doc, catalog, id),
    upstreamPorts: inputSchemasOf(check, id),
    issues: check.issues.filter((i) => i.stepId === step?.id),
    pinProblem: pinProblems.find((p) => p.stepId === step?.id),
  };
}
