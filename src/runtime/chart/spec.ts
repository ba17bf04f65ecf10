/**
 * Compiling a chart step's params and its chart table (`aggregate.ts`) to a Vega-Lite spec
 * (https://vega.github.io/vega-lite/docs/spec.html). Pure: the same spec in the editor and in
 * the CLI. The data is already summarized, so the spec never aggregates: each row is one mark.
 */
import type { ChartRow } from './aggregate';
import { parseSpec } from '../../pipeline/chart-spec';
import type { ChartParams } from './params';

/** A Vega-Lite spec as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

/** Vega-Lite's type for a chart-table column, from its values. */
export function fieldType(
  rows: readonly ChartRow[],
  key: string,
): 'quantitative' | 'temporal' | 'nominal' {
  const values = rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return 'quantitative';
  if (values.length > 0 && values.every((v) => typeof v === 'string' && ISO_DATE.test(v)))
    return 'temporal';
  return 'nominal';
}

function valueTitle(p: ChartParams, column: string | undefined): string {
  return p.aggregate === 'count' || column === undefined ? 'count' : `${p.aggregate} of ${column}`;
}

function colorChannel(p: ChartParams, rows: readonly ChartRow[]): Record<string, unknown> {
  if (p.color === undefined) return {};
  return { color: { field: 'color', type: fieldType(rows, 'color'), title: p.color } };
}

function sizeChannel(p: ChartParams, rows: readonly ChartRow[]): Record<string, unknown> {
  if (p.size === undefined) return {};
  // Vega-Lite sizes by order when the values are not numbers.
  const type = fieldType(rows, 'size') === 'quantitative' ? 'quantitative' : 'ordinal';
  return { size: { field: 'size', type, title: p.size } };
}

/** The encoding of each mark over the chart table's columns. */
function encoding(p: ChartParams, rows: readonly ChartRow[]): Record<string, unknown> {
  switch (p.mark) {
    case 'histogram':
      return {
        x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: p.x },
        x2: { field: 'x1' },
        y: { field: 'value', type: 'quantitative', stack: true, title: 'count' },
        ...colorChannel(p, rows),
      };
    case 'heatmap':
      return {
        x: { field: 'x', type: 'ordinal', title: p.x },
        y: { field: 'y', type: 'ordinal', title: p.y },
        color: { field: 'value', type: 'quantitative', title: valueTitle(p, p.color) },
      };
    case 'boxplot':
      return {
        x: { field: 'x', type: 'nominal', title: p.x },
        y: { field: 'min', type: 'quantitative', title: p.y },
        y2: { field: 'max' },
      };
    case 'point':
      return {
        x: { field: 'x', type: fieldType(rows, 'x'), title: p.x },
        y: { field: 'y', type: fieldType(rows, 'y'), title: p.y },
        ...colorChannel(p, rows),
        ...sizeChannel(p, rows),
      };
    default: {
      const xType = fieldType(rows, 'x');
      const barX = p.mark === 'bar' && xType !== 'temporal' ? 'nominal' : xType;
      return {
        x: { field: 'x', type: barX, title: p.x },
        y: { field: 'value', type: 'quantitative', title: valueTitle(p, p.y) },
        ...colorChannel(p, rows),
      };
    }
  }
}

/** Box plot: a rule from min to max, a bar from q1 to q3, a tick at the median. */
function boxLayers(p: ChartParams): Record<string, unknown>[] {
  const x = { field: 'x', type: 'nominal', title: p.x };
  return [
    {
      mark: { type: 'rule' },
      encoding: { x, y: { field: 'min', type: 'quantitative', title: p.y }, y2: { field: 'max' } },
    },
    {
      mark: { type: 'bar', size: 14 },
      encoding: { x, y: { field: 'q1', type: 'quantitative' }, y2: { field: 'q3' } },
    },
    {
      mark: { type: 'tick', color: 'white', size: 14 },
      encoding: { x, y: { field: 'median', type: 'quantitative' } },
    },
  ];
}

const MARK_TYPE: Record<Exclude<ChartParams['mark'], 'boxplot'>, string> = {
  bar: 'bar',
  line: 'line',
  area: 'area',
  point: 'point',
  histogram: 'bar',
  heatmap: 'rect',
};

/**
 * The Vega-Lite spec drawing `rows` (the chart table of a step with `params`), `width` wide
 * (px, or 'container' to fill the panel). With `dark`, the colours of {@link DARK_CONFIG}.
 */
export function chartSpec(
  params: ChartParams,
  rows: readonly ChartRow[],
  opts: { dark?: boolean; width?: number | 'container' } = {},
): VegaLiteSpec {
  if (params.spec !== undefined) {
    const own = parseSpec(params.spec);
    const config = opts.dark ? { config: { ...DARK_CONFIG, ...(own.config as object) } } : {};
    return { ...own, ...config, data: { values: rows } };
  }
  const top: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(params.title !== undefined ? { title: params.title } : {}),
    data: { values: rows },
    ...(opts.dark ? { config: DARK_CONFIG } : {}),
  };
  const view = marks(params, rows);
  if (params.facet === undefined) return { ...top, width: opts.width ?? 400, height: 260, ...view };
  return { ...top, ...facet(params, rows), spec: { ...FACET_SIZE[params.facetLayout], ...view } };
}

/** The marks and encoding of one chart (a layer for the box plot). */
function marks(params: ChartParams, rows: readonly ChartRow[]): VegaLiteSpec {
  if (params.mark === 'boxplot') return { layer: boxLayers(params) };
  const mark =
    params.mark === 'line' || params.mark === 'area'
      ? { type: MARK_TYPE[params.mark], point: params.mark === 'line' }
      : { type: MARK_TYPE[params.mark], tooltip: true };
  return { mark, encoding: encoding(params, rows) };
}

/** Facets in a row wrap after this many. */
export const FACET_COLUMNS = 3;

/** Each facet's size (px): small side by side, wide one above the other. */
const FACET_SIZE = {
  columns: { width: 180, height: 150 },
  rows: { width: 400, height: 110 },
} as const;

/** Vega-Lite's facet operator over the chart table's `facet` column. */
function facet(params: ChartParams, rows: readonly ChartRow[]): VegaLiteSpec {
  // Facets are categories, even when their values are numbers (years, say).
  const type = fieldType(rows, 'facet') === 'temporal' ? 'temporal' : 'ordinal';
  const field = { field: 'facet', type, title: params.facet };
  return params.facetLayout === 'rows'
    ? { facet: { row: field } }
    : { facet: field, columns: FACET_COLUMNS };
}

/** The spec the form gives, without its data: where "Edit spec" starts. */
export function formSpecText(params: ChartParams, rows: readonly ChartRow[]): string {
  const form: ChartParams = { ...params };
  delete form.spec;
  const whole = chartSpec(form, rows);
  delete whole.data;
  return JSON.stringify(whole, null, 2);
}

/** Light text and grid lines on the dark theme's background (`--panel` of src/editor/styles.css). */
export const DARK_CONFIG: Record<string, unknown> = {
  background: '#1c2027',
  title: { color: '#e6e6e6' },
  style: { 'guide-label': { fill: '#d0d0d0' }, 'guide-title': { fill: '#e6e6e6' } },
  axis: { domainColor: '#888', gridColor: '#3a3a3a', tickColor: '#888' },
  view: { stroke: '#555' },
};

/** The thumbnail's drawing size (px); the node shows it scaled into its box. */
const THUMB_SIZE = { width: 240, height: 110 };

/**
 * The spec of a node's thumbnail: the step's chart without words (no title, axis labels, legends
 * or facet headers) on a transparent background, marks a lighter blue in the dark theme.
 */
export function thumbnailSpec(
  params: ChartParams,
  rows: readonly ChartRow[],
  dark: boolean,
): VegaLiteSpec {
  const full = chartSpec(params, rows, { dark });
  const quiet = { disable: true };
  const config = {
    ...(full.config as object | undefined),
    background: 'transparent',
    axis: quiet,
    legend: { disable: true },
    view: { stroke: null },
    ...(dark ? { mark: { color: '#8fb3e0' } } : {}),
  };
  const own = full.facet !== undefined || full.spec !== undefined ? {} : THUMB_SIZE;
  const thumb: VegaLiteSpec = { ...full, ...own, config };
  delete thumb.title;
  const facet = full.facet as Record<string, unknown> | undefined;
  if (facet !== undefined) {
    thumb.facet = withoutHeaders(facet);
    delete thumb.columns;
  }
  return thumb;
}

/**
 * A facet operator whose headers (the facet column's name and values) are not drawn. Vega-Lite
 * draws a wrapped facet's labels whatever its header says, so that one becomes a single row.
 */
function withoutHeaders(facet: Record<string, unknown>): Record<string, unknown> {
  const header = { labels: false, title: null };
  if (facet.field !== undefined) return { column: { ...facet, header } };
  return Object.fromEntries(
    Object.entries(facet).map(([channel, def]) => [channel, { ...(def as object), header }]),
  );
}
