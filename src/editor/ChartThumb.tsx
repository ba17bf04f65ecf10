/**
 * A chart step's thumbnail on its node: after a run, its chart (the preview's chart table) drawn
 * by Vega as SVG without words (`thumbnailSpec`) and shown as an image scaled into a box of
 * fixed size, which the node keeps before a run too, so drawing never shifts the layout. Vega
 * loads with the output panel's chart (`chartEmbed.ts`), on first use.
 */
import { memo, useEffect, useState } from 'react';
import { chartParams } from '../runtime/chart/params';
import { thumbnailSpec } from '../runtime/chart/spec';
import { chartRows } from './ChartView';
import { useEditorContext } from './context';
import { useRunView } from './runState';
import { useEditor } from './store';
import { usePrefersDark } from './theme';
import './chart.css';

function ChartThumbImpl({ stepId }: { stepId: string }) {
  const { store, runStore } = useEditorContext();
  const step = useEditor(store, (s) => s.doc.steps.find((x) => x.id === stepId));
  const preview = useRunView(runStore, (v) => v.previews[stepId]);
  const dark = usePrefersDark();
  const [url, setUrl] = useState<string | null>(null);
  const isChart = step?.moduleId === 'chart';
  const params = step?.params;
  useEffect(() => {
    if (!isChart || params === undefined || preview === undefined) return setUrl(null);
    let current = true;
    import('./chartEmbed')
      .then(({ chartSvgText }) =>
        chartSvgText(thumbnailSpec(chartParams(params), chartRows(preview), dark)),
      )
      .then(
        (svg) => current && setUrl(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      )
      // The output panel says why a chart cannot be drawn; the node just keeps its empty box.
      .catch(() => current && setUrl(null));
    return () => {
      current = false;
    };
  }, [isChart, params, preview, dark]);
  if (!isChart) return null;
  return (
    <div className={`chart-thumb${url ? ' drawn' : ''}`} data-testid={`chart-thumb-${stepId}`}>
      {url ? <img src={url} alt={`chart of step ${stepId}`} /> : <span>chart after a run</span>}
    </div>
  );
}

/** The thumbnail box of a chart step (nothing for other steps). */
export const ChartThumb = memo(ChartThumbImpl);
