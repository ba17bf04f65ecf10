/**
 * vega-embed, loaded only when a chart is first shown (`ChartView.tsx` imports this file
 * dynamically, so Vite puts Vega in its own chunk, which the service worker precaches with
 * every other `*.js` for offline use).
 */
import embed, { vega, vegaLite } from 'vega-embed';
import type { VegaLiteSpec } from '../runtime/chart/spec';

/** A drawn chart: its images for download, and a way to remove it. */
export interface EmbeddedChart {
  /** A `data:` URL of the chart as PNG (2× scale) or SVG. */
  imageUrl(format: 'png' | 'svg'): Promise<string>;
  finalize(): void;
}

/** Draws `spec` as SVG into `element`; rejects with Vega's message if it cannot. */
export async function embedChart(element: HTMLElement, spec: VegaLiteSpec): Promise<EmbeddedChart> {
  const result = await embed(element, spec as Parameters<typeof embed>[1], {
    actions: false,
    renderer: 'svg',
    ast: true, // expressions interpreted (vega-interpreter): the CSP has no 'unsafe-eval'
  });
  return {
    imageUrl: (format) => result.view.toImageURL(format, format === 'png' ? 2 : 1),
    finalize: () => result.finalize(),
  };
}

/**
 * `spec` drawn as SVG text by Vega's headless view (no DOM, no canvas): the node's thumbnail.
 * Rejects with Vega's message if the spec does not compile.
 */
export async function chartSvgText(spec: VegaLiteSpec): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
