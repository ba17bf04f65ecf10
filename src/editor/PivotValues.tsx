/**
 * The pivot step's "fill values from the preview" button. A pivot's output columns are the
 * pivot column's values, listed in its params so that its schema is known before a run
 * (modules/pivot/pivot.c says why); this button fills that list from the cached output preview
 * of the step feeding the pivot, in order of first appearance. The preview holds only the first
 * rows of the input, so values that appear later must be added by hand; the button says so.
 */
import { useCallback } from 'react';
import { updateParams } from '../pipeline/edit';
import type { PipelineDocument, Step } from '../pipeline/types';
import { useEditorContext } from './context';
import { useRunView, type PreviewData, type RunView } from './runState';

/** Most values the button lists (a pivot into more columns is rarely what was meant). */
const MAX_VALUES = 50;

/** The distinct non-null values of column `name` in `preview`, as text, first seen first. */
export function previewValues(preview: PreviewData, name: string): string[] {
  const at = preview.schema.fields.findIndex((f) => f.name === name);
  if (at < 0) return [];
  const seen = new Set<string>();
  for (const row of preview.rows) {
    const v = row[at];
    if (v !== null && v !== undefined) seen.add(String(v));
    if (seen.size === MAX_VALUES) break;
  }
  return [...seen];
}

export function PivotValuesButton({ doc, step }: { doc: PipelineDocument; step: Step }) {
  const { store, runStore } = useEditorContext();
  const upstream = doc.edges.find((e) => e.to.step === step.id)?.from.step;
  const preview = useRunView(
    runStore,
    useCallback((v: RunView) => (upstream ? v.previews[upstream] : undefined), [upstream]),
  );
  const column = typeof step.params.column === 'string' ? step.params.column : undefined;
  const values = preview && column ? previewValues(preview, column) : [];
  const why = !column
    ? 'Choose the pivot column first.'
    : !preview
      ? 'Run the pipeline (or preview the input) first.'
      : values.length === 0
        ? `The input's preview has no values in “${column}”.`
        : `${values.length} values from the first ${preview.rows.length} input rows; add later ones by hand.`;
  return (
    <div className="pivot-values">
      <button
        type="button"
        disabled={values.length === 0}
        onClick={() =>
          store.edit(
            (d) => updateParams(d, step.id, { ...step.params, values }),
            `params:${step.id}`,
          )
        }
      >
        Fill pivot values from the input preview
      </button>
      <p className="muted">{why}</p>
    </div>
  );
}
