/**
 * Preparing a host `chart` step on the main thread: only the spec built from its params (the
 * summary is computed in the step's worker, `chart-step.ts`).
 */
import type { Step } from '../../pipeline/types';
import type { ChartStepSpec } from '../protocol';
import { chartParams } from './params';

/** The id of the chart step's manifest (`chart.json`). */
export const CHART_MODULE_ID = 'chart';

/** The `run-step` spec of a chart step (its params already valid against the manifest). */
export function prepareChart(step: Step): ChartStepSpec {
  return { kind: 'chart', stepId: step.id, params: chartParams(step.params), limits: step.limits };
}
