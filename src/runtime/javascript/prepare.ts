/**
 * Preparing a host `javascript` step on the main thread: nothing to compile or read here (the
 * code is compiled by QuickJS in the step's worker), only the spec built from its params.
 */
import type { Step } from '../../pipeline/types';
import type { JsStepSpec } from '../protocol';

/** The id of the JavaScript step's manifest (`javascript.json`). */
export const JAVASCRIPT_MODULE_ID = 'javascript';

/**
 * Extra time the main thread allows a JavaScript step past its limit before terminating its
 * worker (ms): QuickJS's interrupt handler stops the code first and says so in words; the
 * termination is the backstop for time spent outside QuickJS's interpreter loop.
 */
export const JS_TIMEOUT_GRACE_MS = 1000;

/** The `run-step` spec of a JavaScript step (its params already valid against the manifest). */
export function prepareJs(step: Step): JsStepSpec {
  return {
    kind: 'javascript',
    stepId: step.id,
    code: String(step.params.code ?? ''),
    mode: step.params.mode === 'batch' ? 'batch' : 'rows',
    limits: step.limits,
  };
}
