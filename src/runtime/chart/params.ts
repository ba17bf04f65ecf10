/**
 * The chart step's params (`chart.json`) as the runtime, the editor and the CLI read them.
 */

/** The marks the form offers: `histogram` is a binned bar, `heatmap` a rect, `boxplot` a box. */
export const CHART_MARKS = [
  'bar',
  'line',
  'area',
  'point',
  'histogram',
  'heatmap',
  'boxplot',
] as const;
export type ChartMark = (typeof CHART_MARKS)[number];

/** How rows sharing a group are summarized; `count` ignores the value column. */
export const CHART_AGGREGATES = ['count', 'sum', 'mean', 'min', 'max'] as const;
export type ChartAggregate = (typeof CHART_AGGREGATES)[number];

/** A chart step's params, defaults filled in. */
export interface ChartParams {
  mark: ChartMark;
  /** The x column (binned for `histogram`, the group for `boxplot`). */
  x: string;
  /** The value column: summarized by `aggregate` (bar, line, area), the y of a point, the
   * row group of a heat map, the distribution of a box plot. */
  y?: string;
  /** Splits bars, lines and points by colour; a heat map's cells take `aggregate` of it. */
  color?: string;
  /** Points: each point's area follows this column. */
  size?: string;
  /** One small chart per value of this column (all on the same scales). */
  facet?: string;
  /** Facets side by side (wrapping after FACET_COLUMNS) or one above the other. */
  facetLayout: 'columns' | 'rows';
  aggregate: ChartAggregate;
  /** Histogram bins (equal width between the column's min and max). */
  bins: number;
  title?: string;
  /** A whole Vega-Lite spec (JSON text) replacing the form's; its data is the summary. */
  spec?: string;
}

/** The params of a step, with defaults for the optional ones. */
export function chartParams(params: Record<string, unknown>): ChartParams {
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v : undefined;
  const mark = CHART_MARKS.find((m) => m === params.mark) ?? 'bar';
  const aggregate = CHART_AGGREGATES.find((a) => a === params.aggregate) ?? 'count';
  const out: ChartParams = {
    mark,
    x: String(params.x ?? ''),
    aggregate,
    facetLayout: params.facetLayout === 'rows' ? 'rows' : 'columns',
    bins: typeof params.bins === 'number' ? params.bins : 30,
  };
  const y = text(params.y);
  const color = text(params.color);
  const title = text(params.title);
  const size = text(params.size);
  const facet = text(params.facet);
  if (size !== undefined) out.size = size;
  if (facet !== undefined) out.facet = facet;
  const spec = text(params.spec);
  if (spec !== undefined) out.spec = spec;
  if (y !== undefined) out.y = y;
  if (color !== undefined) out.color = color;
  if (title !== undefined) out.title = title;
  return out;
}

/**
 * Most rows a chart table holds: Vega only ever draws this many bars, points or cells, however
 * large the input (the largest groups are kept; points are the first rows).
 */
export const CHART_MAX_ROWS = 1000;
