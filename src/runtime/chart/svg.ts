/**
 * Rendering a Vega-Lite spec to SVG text with Vega's headless view (no browser, no canvas):
 * the CLI's `--output chart.svg` and the tests use it.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { tableFromIPC } from 'apache-arrow';
import type { ChartRow } from './aggregate';
import { chartParams } from './params';
import { chartSpec, type VegaLiteSpec } from './spec';

/** The SVG document of `spec`. Rejects with Vega's message if the spec does not compile. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vega = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The SVG of a chart step whose chart table (port `chart`) is the Arrow IPC stream `ipcStream`
 * and whose params are `params` (the step's, unvalidated: defaults are filled in).
 */
export async function chartSvg(
  ipcStream: Uint8Array,
  params: Record<string, unknown>,
): Promise<Uint8Array> {
  const rows = tableFromIPC(ipcStream)
    .toArray()
    .map((r: unknown) => ({ ...(r as ChartRow) }));
  const svg = await renderSvg(chartSpec(chartParams(params), rows));
  return new TextEncoder().encode(svg);
}
