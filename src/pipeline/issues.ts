/** Problems found in a pipeline before it runs, shaped for the editor and the command line. */
import { pointerToPath } from '../modules/ajv';

/** One problem. `message` is complete and names the step and field; the rest places it in the UI. */
export interface ValidationIssue {
  /** The step at fault, or null for the pipeline as a whole. */
  stepId: string | null;
  /** RFC 6901 pointer into the step's params (e.g. `/keys/0/column`); `''` if not about a param. */
  field: string;
  /** The port concerned, for connection problems. */
  port?: string;
  /** The edge concerned, for connection problems. */
  edgeId?: string;
  severity: 'error' | 'warning';
  /** e.g. `step "filter-1": params.expression: must be string`. */
  message: string;
  /** The message without the step and field prefix, for display next to the field. */
  detail: string;
}

/** Build an issue about a step's param at `field` (a pointer; `''` for the params object). */
export function paramIssue(
  stepId: string,
  field: string,
  detail: string,
  severity: 'error' | 'warning' = 'error',
): ValidationIssue {
  return {
    stepId,
    field,
    severity,
    message: `step "${stepId}": ${pointerToPath(field, 'params')}: ${detail}`,
    detail,
  };
}

/** Build an issue about a step (or, with `stepId` null, the pipeline) that is not about a param. */
export function stepIssue(
  stepId: string | null,
  detail: string,
  extra: { port?: string; edgeId?: string } = {},
  severity: 'error' | 'warning' = 'error',
): ValidationIssue {
  return {
    stepId,
    field: '',
    ...extra,
    severity,
    message: stepId === null ? detail : `step "${stepId}": ${detail}`,
    detail,
  };
}
