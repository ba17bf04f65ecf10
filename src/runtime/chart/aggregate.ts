/**
 * Summarizing a chart step's input into its chart table, batch by batch, so that Vega only ever
 * sees at most CHART_MAX_ROWS rows: groups and their aggregate (bar, line, area, heat map), bins
 * and their counts (histogram), quartiles per group (box plot), or the first rows (point).
 *
 * Chart table columns: `x`, `color`, `value` (grouped marks); `x`, `y`, `value` (heat map);
 * `x`, `y`, `color` (point); `x0`, `x1`, `color`, `value` (histogram, `value` the row count);
 * `x`, `min`, `q1`, `median`, `q3`, `max` (box plot; whiskers at min and max, quartiles by
 * linear interpolation between closest ranks). Points also have `size` when the step sizes them;
 * every chart table has `facet` when the step is faceted (groups, bins and quartiles are then
 * computed per facet value).
 */
import { DataType, type RecordBatch, type Field } from 'apache-arrow';
import { CHART_MAX_ROWS, type ChartParams } from './params';

/** One row of a chart table. */
export type ChartRow = Record<string, string | number | null>;

type Cell = string | number | null;
type Reader = (row: number) => Cell;

/** A column's values as JSON-friendly scalars: bigints as numbers, dates as ISO 8601 text. */
function reader(batch: RecordBatch, name: string | undefined): Reader {
  if (name === undefined) return () => null;
  const index = batch.schema.fields.findIndex((f) => f.name === name);
  const vector = batch.getChildAt(index);
  if (vector === null) throw new Error(`no column "${name}" in the input`);
  const field = batch.schema.fields[index] as Field;
  const temporal = DataType.isDate(field.type) || DataType.isTimestamp(field.type);
  const narrowInt = DataType.isInt(field.type) && field.type.bitWidth <= 32;
  if ((DataType.isFloat(field.type) || narrowInt) && vector.nullCount === 0) {
    // Read straight from the typed array: `get` per row costs most of a histogram's time.
    const values = vector.toArray() as ArrayLike<number>;
    return (row) => values[row] as number;
  }
  return (row) => {
    const v: unknown = vector.get(row);
    if (v === null || v === undefined) return null;
    if (temporal) return new Date(Number(v instanceof Date ? v.getTime() : v)).toISOString();
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'boolean') return String(v);
    return String(v as string);
  };
}

function toNumber(v: string | number | null): number | null {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A running summary of one group: count, sum, min, max of its numeric values. */
interface Summary {
  count: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

function summarize(s: Summary, p: ChartParams): number | null {
  if (p.aggregate === 'count') return s.count;
  if (s.n === 0) return null;
  if (p.aggregate === 'sum') return s.sum;
  if (p.aggregate === 'mean') return s.sum / s.n;
  return p.aggregate === 'min' ? s.min : s.max;
}

/** Collects a chart step's input, batch by batch; `rows()` gives the chart table. */
export class ChartAccumulator {
  private readonly groups = new Map<string, { key: ChartRow; s: Summary }>();
  private readonly points: ChartRow[] = [];
  private readonly samples = new Map<string, { key: ChartRow; values: number[] }>();
  private readonly histogram: { value: number; key: ChartRow }[] = [];

  constructor(private readonly params: ChartParams) {}

  /** Adds one record batch. Throws Error naming a column the batch lacks. */
  add(batch: RecordBatch): void {
    const p = this.params;
    const x = reader(batch, p.x);
    const y = reader(batch, p.y);
    const color = reader(batch, p.color);
    // Only points have a size.
    const size = reader(batch, p.size);
    const facet = reader(batch, p.facet);
    for (let i = 0; i < batch.numRows; i++) {
      // The facet (when there is one) is part of every group's key.
      const own: ChartRow = p.facet === undefined ? {} : { facet: facet(i) };
      const sized = p.mark === 'point' && p.size !== undefined;
      this.addRow(x(i), y(i), color(i), sized ? { ...own, size: size(i) } : own);
    }
  }

  private addRow(x: Cell, y: Cell, c: Cell, extra: ChartRow) {
    const p = this.params;
    if (p.mark === 'point') {
      if (this.points.length < CHART_MAX_ROWS) this.points.push({ x, y, color: c, ...extra });
    } else if (p.mark === 'histogram') {
      const v = toNumber(x);
      if (v !== null) this.histogram.push({ value: v, key: { color: c, ...extra } });
    } else if (p.mark === 'boxplot') {
      const v = toNumber(y);
      const key: ChartRow = { x, ...extra };
      const id = JSON.stringify(key);
      let group = this.samples.get(id);
      if (group === undefined) this.samples.set(id, (group = { key, values: [] }));
      if (v !== null) group.values.push(v);
    } else {
      const heat = p.mark === 'heatmap';
      const key: ChartRow = heat ? { x, y, ...extra } : { x, color: c, ...extra };
      this.addToGroup(key, toNumber(heat ? c : y));
    }
  }

  private addToGroup(key: ChartRow, v: number | null): void {
    const id = JSON.stringify(key);
    let g = this.groups.get(id);
    if (g === undefined) {
      g = { key, s: { count: 0, n: 0, sum: 0, min: Infinity, max: -Infinity } };
      this.groups.set(id, g);
    }
    g.s.count++;
    if (v === null) return;
    g.s.n++;
    g.s.sum += v;
    if (v < g.s.min) g.s.min = v;
    if (v > g.s.max) g.s.max = v;
  }

  /** The chart table (at most CHART_MAX_ROWS rows). */
  rows(): ChartRow[] {
    const p = this.params;
    if (p.mark === 'point') return this.points;
    if (p.mark === 'histogram') return binRows(this.histogram, Math.max(1, Math.floor(p.bins)));
    if (p.mark === 'boxplot') {
      return [...this.samples.values()]
        .filter((g) => g.values.length > 0)
        .slice(0, CHART_MAX_ROWS)
        .map((g) => ({ ...g.key, ...quartiles(g.values) }));
    }
    const rows = [...this.groups.values()].map((g) => ({ ...g.key, value: summarize(g.s, p) }));
    if (rows.length <= CHART_MAX_ROWS) return rows;
    // Too many groups to draw: keep the largest.
    return rows
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))
      .slice(0, CHART_MAX_ROWS);
  }
}

/**
 * Equal-width bins between the least and greatest value (the last bin includes the max),
 * counted per key (colour, facet).
 */
function binRows(values: { value: number; key: ChartRow }[], bins: number) {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Map<string, ChartRow>();
  for (const { value, key } of values) {
    const bin = Math.min(bins - 1, Math.floor((value - min) / width));
    const id = `${bin}\u0000${JSON.stringify(key)}`;
    const row = counts.get(id);
    if (row) row.value = (row.value as number) + 1;
    else counts.set(id, { x0: min + bin * width, x1: min + (bin + 1) * width, ...key, value: 1 });
  }
  return [...counts.values()].slice(0, CHART_MAX_ROWS);
}

/** Min, quartiles and max of `values` (sorted here), by linear interpolation. */
export function quartiles(values: number[]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => {
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
  };
  return { min: at(0), q1: at(0.25), median: at(0.5), q3: at(0.75), max: at(1) };
}
