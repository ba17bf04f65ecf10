/**
 * A chart step's output in the data panel: its chart table (the step's preview, which holds
 * the whole table) drawn by Vega-Lite, with PNG and SVG downloads. Vega loads on first use.
 */
import { useEffect, useRef, useState } from 'react';
import { chartParams } from '../runtime/chart/params';
import { chartSpec, formSpecText } from '../runtime/chart/spec';
import { updateParams } from '../pipeline/edit';
import { useEditorContext } from './context';
import type { ChartRow } from '../runtime/chart/aggregate';
import type { EmbeddedChart } from './chartEmbed';
import type { PreviewData } from './runState';
import { usePrefersDark } from './theme';

export interface ChartViewProps {
  stepId: string;
  params: Record<string, unknown>;
  data: PreviewData;
}

/** The preview's rows as objects keyed by column name. */
export function chartRows(data: PreviewData): ChartRow[] {
  return data.rows.map((row) =>
    Object.fromEntries(data.schema.fields.map((f, i) => [f.name, row[i] as ChartRow[string]])),
  );
}

export function ChartView({ stepId, params, data }: ChartViewProps) {
  const dark = usePrefersDark();
  const { store } = useEditorContext();
  const holder = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EmbeddedChart | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    let drawn: EmbeddedChart | null = null;
    let cancelled = false;
    import('./chartEmbed')
      .then(({ embedChart }) =>
        embedChart(
          element,
          chartSpec(chartParams(params), chartRows(data), { dark, width: 'container' }),
        ),
      )
      .then((c) => {
        if (cancelled) return c.finalize();
        drawn = c;
        setChart(c);
        setError(null);
      })
      .catch((e: Error) => !cancelled && setError(`The chart could not be drawn: ${e.message}`));
    return () => {
      cancelled = true;
      drawn?.finalize();
      setChart(null);
    };
  }, [params, data, dark]);

  const download = (format: 'png' | 'svg') => {
    void chart?.imageUrl(format).then((url) => {
      const a = document.createElement('a');
      a.href = url;
      a.download = `${stepId}.${format}`;
      a.click();
    });
  };
  return (
    <div className="chart-view">
      <div className="row-actions">
        <button type="button" disabled={chart === null} onClick={() => download('png')}>
          Download PNG
        </button>
        <button type="button" disabled={chart === null} onClick={() => download('svg')}>
          Download SVG
        </button>
        {typeof params.spec !== 'string' && (
          <button
            type="button"
            title="Copy the form's chart into the step's Vega-Lite spec, to edit it in the inspector"
            onClick={() => {
              const text = formSpecText(chartParams(params), chartRows(data));
              store.edit((d) => updateParams(d, stepId, { ...params, spec: text }));
            }}
          >
            Edit spec
          </button>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {/* vega-embed sets its own role and label on the element it draws into. */}
      <div role="figure" aria-label="Chart">
        <div ref={holder} className="chart-holder" />
      </div>
    </div>
  );
}
