/**
 * The toolbar's Problems list: every validation issue and failed run of the pipeline, one line
 * each, named by the step's display name and the field's place in words (`by weather — Group
 * by, item 1: Choose a column to group by`), so the message shown at the field and in the list
 * is the same sentence.
 */
import { placedMessage, type SchemaNode } from '../pipeline/field-words';
import { stepDisplayName } from '../pipeline/step-name';
import type { PipelineDocument } from '../pipeline/types';
import type { ValidationIssue } from '../pipeline/validate';
import type { Catalog } from './docOps';
import type { StepRunStatus } from './runState';

/** One line of the Problems list. */
export interface ProblemItem {
  /** The step to select when the line is chosen; null for the pipeline as a whole. */
  stepId: string | null;
  /** The step's display name, or "Pipeline". */
  name: string;
  text: string;
  severity: 'error' | 'warning';
}

/** Problems of `doc`: validation issues (errors first), then steps whose run failed. */
export function problemItems(
  doc: PipelineDocument,
  catalog: Catalog,
  issues: readonly ValidationIssue[],
  runs: Readonly<Record<string, StepRunStatus>>,
): ProblemItem[] {
  const steps = new Map(doc.steps.map((s) => [s.id, s]));
  const ordered = [...issues].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  const out: ProblemItem[] = ordered.map((i) => {
    const step = i.stepId === null ? undefined : steps.get(i.stepId);
    const schema = step
      ? (catalog.get(step.moduleId)?.params as SchemaNode | undefined)
      : undefined;
    const detail = i.detail || i.message;
    return {
      stepId: step ? step.id : null,
      name: step ? stepDisplayName(step) : 'Pipeline',
      text: schema && i.field !== '' ? placedMessage(schema, i.field, detail) : detail,
      severity: i.severity,
    };
  });
  for (const [id, status] of Object.entries(runs)) {
    const step = steps.get(id);
    if (status.state !== 'failed' || !step) continue;
    out.push({ stepId: id, name: stepDisplayName(step), text: status.message, severity: 'error' });
  }
  return out;
}
