/**
 * The chart step's pure parts on seattle-weather: the summary (`aggregate.ts`) against DuckDB
 * (group means, histogram bins, quartiles), and the spec (`spec.ts`) of every mark compiled by
 * Vega-Lite and rendered by Vega in Node with the right number of marks.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays } from 'apache-arrow';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChartAccumulator, type ChartRow } from './aggregate';
import { CHART_MARKS, chartParams } from './params';
import { chartSpec, DARK_CONFIG, formSpecText, thumbnailSpec } from './spec';
import { chartRule } from '../../pipeline/schema-rules/chart';
import { renderSvg } from './svg';
import { svgBars } from './svg-marks.testkit';
import schema from 'vega-lite/vega-lite-schema.json';
import { setVegaLiteSchema, specProblems } from '../../pipeline/chart-spec';
import type { JsonSchema } from '../../pipeline/json-schema-check';

const csv = resolve('node_modules/vega-datasets/data/seattle-weather.csv');
type Conn = Awaited<ReturnType<Awaited<ReturnType<typeof DuckDBInstance.create>>['connect']>>;
let conn: Conn;
let weather: { weather: string[]; temp_max: Float64Array; wind: Float64Array; year: Int32Array };

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
}

/** The chart table of `params` over seattle-weather, fed in batches of 100 rows. */
function summarize(params: Record<string, unknown>): ChartRow[] {
  const acc = new ChartAccumulator(chartParams(params));
  const n = weather.weather.length;
  for (let i = 0; i < n; i += 100) {
    const end = Math.min(n, i + 100);
    const table = tableFromArrays({
      weather: weather.weather.slice(i, end),
      temp_max: weather.temp_max.slice(i, end),
      wind: weather.wind.slice(i, end),
      year: weather.year.slice(i, end),
    });
    for (const batch of table.batches) acc.add(batch);
  }
  return acc.rows();
}

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  const all = await rows(`SELECT weather, temp_max, wind, year(date) FROM read_csv('${csv}')`);
  weather = {
    weather: all.map((r) => String(r[0])),
    temp_max: Float64Array.from(all, (r) => Number(r[1])),
    wind: Float64Array.from(all, (r) => Number(r[2])),
    year: Int32Array.from(all, (r) => Number(r[3])),
  };
  setVegaLiteSchema(schema as JsonSchema);
});

describe('chart summary', () => {
  it('means by group equal DuckDB’s', async () => {
    const got = summarize({ mark: 'bar', x: 'weather', y: 'temp_max', aggregate: 'mean' });
    const want = await rows(`SELECT weather, avg(temp_max) FROM read_csv('${csv}') GROUP BY 1`);
    expect(got).toHaveLength(want.length);
    for (const [w, mean] of want) {
      expect(got.find((r) => r.x === w)?.value).toBeCloseTo(Number(mean), 9);
    }
  });

  it('histogram bins count every row, each bin as DuckDB counts it', async () => {
    const got = summarize({ mark: 'histogram', x: 'temp_max', bins: 10 });
    expect(got.reduce((s, r) => s + Number(r.value), 0)).toBe(weather.weather.length);
    for (const r of got) {
      const last = r === got.reduce((a, b) => (Number(b.x1) > Number(a.x1) ? b : a));
      const [[n]] = (await rows(
        `SELECT count(*) FROM read_csv('${csv}') WHERE temp_max >= ${r.x0} AND temp_max ${last ? '<=' : '<'} ${r.x1}`,
      )) as [[bigint]];
      expect(r.value).toBe(Number(n));
    }
  });

  it('a faceted bar counts each (x, facet) group as DuckDB does', async () => {
    const got = summarize({ mark: 'bar', x: 'weather', facet: 'year' });
    const want = await rows(
      `SELECT weather, year(date), count(*) FROM read_csv('${csv}') GROUP BY ALL`,
    );
    expect(got).toHaveLength(want.length);
    for (const [w, y, n] of want) {
      expect(got.find((r) => r.x === w && r.facet === Number(y))?.value).toBe(Number(n));
    }
  });

  it('a faceted histogram bins every year’s rows', async () => {
    const got = summarize({ mark: 'histogram', x: 'temp_max', facet: 'year', bins: 8 });
    const want = await rows(`SELECT year(date), count(*) FROM read_csv('${csv}') GROUP BY 1`);
    for (const [y, n] of want) {
      const inYear = got.filter((r) => r.facet === Number(y));
      expect(inYear.reduce((sum, r) => sum + Number(r.value), 0)).toBe(Number(n));
    }
  });

  it('box plot quartiles equal DuckDB’s quantile_cont', async () => {
    const got = summarize({ mark: 'boxplot', x: 'weather', y: 'wind' });
    const want = await rows(
      `SELECT weather, min(wind), quantile_cont(wind, 0.25), median(wind),
        quantile_cont(wind, 0.75), max(wind) FROM read_csv('${csv}') GROUP BY 1`,
    );
    for (const [w, ...q] of want) {
      const row = got.find((r) => r.x === w)!;
      const mine = [row.min, row.q1, row.median, row.q3, row.max];
      mine.forEach((v, i) => expect(v).toBeCloseTo(Number(q[i]), 9));
    }
  });
});

describe('chart spec', () => {
  const params: Record<string, Record<string, unknown>> = {
    bar: { x: 'weather' },
    line: { x: 'weather', y: 'wind', aggregate: 'max' },
    area: { x: 'weather', y: 'wind', aggregate: 'sum' },
    point: { x: 'temp_max', y: 'wind', color: 'weather' },
    histogram: { x: 'temp_max', bins: 12 },
    heatmap: { x: 'weather', y: 'weather' },
    boxplot: { x: 'weather', y: 'wind' },
  };

  it.each(CHART_MARKS)('%s compiles and renders in Node, light and dark', async (mark) => {
    const p = chartParams({ mark, ...params[mark] });
    const data = summarize({ mark, ...params[mark] });
    const light = await renderSvg(chartSpec(p, data));
    const dark = await renderSvg(chartSpec(p, data, { dark: true }));
    expect(light).toContain('<svg');
    expect(dark).toContain(`fill="${String(DARK_CONFIG.background)}"`);
    if (mark === 'histogram') expect(svgBars(light)).toHaveLength(data.length);
    if (mark === 'bar') expect(svgBars(light)).toHaveLength(5);
  });

  it.each(CHART_MARKS)('%s, alone and faceted, fits Vega-Lite’s schema', (mark) => {
    for (const extra of [{}, { facet: 'year' }, { facet: 'year', facetLayout: 'rows' }]) {
      const all = { mark, ...params[mark], ...extra };
      expect(specProblems(chartSpec(chartParams(all), summarize(all)))).toEqual([]);
    }
  });

  it.each(CHART_MARKS)(
    '%s thumbnail: the marks without words, fitting the schema',
    async (mark) => {
      for (const extra of [{}, { facet: 'year' }]) {
        const all = { mark, ...params[mark], ...extra, title: 'Weather' };
        const spec = thumbnailSpec(chartParams(all), summarize(all), true);
        expect(specProblems(spec)).toEqual([]);
        const svg = await renderSvg(spec);
        expect(svg.match(/<text[^>]*>[^<]*</g) ?? [], mark).toEqual([]);
        expect(svg).toContain('role-mark');
      }
    },
  );

  it('facets draw one chart per year, each group one bar', async () => {
    for (const facetLayout of ['columns', 'rows']) {
      const all = { mark: 'bar', x: 'weather', facet: 'year', facetLayout };
      const data = summarize(all);
      const svg = await renderSvg(chartSpec(chartParams(all), data));
      expect(svgBars(svg)).toHaveLength(data.length);
      for (const year of [2012, 2013, 2014, 2015]) expect(svg).toContain(`>${year}</text>`);
    }
  });

  it('point size follows a column', async () => {
    const all = { mark: 'point', x: 'temp_max', y: 'wind', size: 'wind' };
    const data = summarize(all);
    expect(data[0]).toEqual({
      x: weather.temp_max[0],
      y: weather.wind[0],
      color: null,
      size: weather.wind[0],
    });
    const svg = await renderSvg(chartSpec(chartParams(all), data));
    // Each point's radius grows with its wind (area ∝ wind on Vega's linear size scale).
    const points = [
      ...svg.matchAll(/aria-label="temp_max: [^;]*; wind: ([\d.]+)[^>]* d="M([\d.]+),0/g),
    ];
    expect(points).toHaveLength(data.length);
    const byWind = points.map((m) => [Number(m[1]), Number(m[2])]).sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < byWind.length; i++)
      expect(byWind[i]![1]).toBeGreaterThanOrEqual(byWind[i - 1]![1]!);
    expect(byWind.at(-1)![1]).toBeGreaterThan(byWind[0]![1]!);
  });
});

describe('edited spec', () => {
  it('the form’s spec, edited, draws the summary with the user’s changes', async () => {
    const p = chartParams({ mark: 'bar', x: 'weather' });
    const data = summarize({ mark: 'bar', x: 'weather' });
    const own = JSON.parse(formSpecText(p, data)) as Record<string, unknown>;
    expect(own.data).toBeUndefined();
    const edited = JSON.stringify({ ...own, title: 'Days by weather', width: 300 });
    const svg = await renderSvg(chartSpec({ ...p, spec: edited }, data));
    expect(svgBars(svg)).toHaveLength(5);
    expect(svg).toContain('Days by weather');
  });

  it('a JSON error names its line and column, in the spec and from the schema rule', () => {
    const text = '{\n  "mark": "bar",\n  "encoding": {,}\n}';
    const p = chartParams({ mark: 'bar', x: 'weather', spec: text });
    expect(() => chartSpec(p, [])).toThrow(/^spec, line 3, column 16: /);
    const { issues } = chartRule({
      params: { mark: 'bar', x: 'weather', spec: text },
      inputs: {},
      known: undefined,
    });
    expect(issues).toEqual([
      expect.objectContaining({
        field: '/spec',
        message: expect.stringMatching(/line 3, column 16/),
      }),
    ]);
  });
});
