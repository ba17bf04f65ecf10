/**
 * The chart step's cost on flights-3m (3 million delays): the summary a histogram needs
 * (ChartAccumulator over 64k-row record batches) beside DuckDB's equal-width binning of the
 * same column already in its memory, and Vega's render of the summarized table (what the
 * editor and the CLI draw) beside Vega-Lite binning 200k raw rows itself. Medians of 5 runs.
 * Usage: npx tsx bench/chart.ts
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, type RecordBatch } from 'apache-arrow';
import { join } from 'node:path';
import { ChartAccumulator, type ChartRow } from '../src/runtime/chart/aggregate';
import { chartParams } from '../src/runtime/chart/params';
import { chartSpec } from '../src/runtime/chart/spec';
import { renderSvg } from '../src/runtime/chart/svg';
import { DATA_DIR, formatTable, loadAverage, median, ms, ratio } from './lib';

const RUNS = 5;
const BATCH_ROWS = 65_536;

async function time(run: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const conn = await (await DuckDBInstance.create(':memory:')).connect();
await conn.run(
  `CREATE TABLE f AS SELECT delay::DOUBLE AS delay FROM '${join(DATA_DIR, 'flights-3m.parquet')}'`,
);
const column = (await conn.runAndReadAll('SELECT delay FROM f')).getColumnsJS()[0] as number[];
const delays = Float64Array.from(column);
const batches: RecordBatch[] = [];
for (let i = 0; i < delays.length; i += BATCH_ROWS) {
  batches.push(...tableFromArrays({ delay: delays.subarray(i, i + BATCH_ROWS) }).batches);
}
const params = chartParams({ mark: 'histogram', x: 'delay', bins: 40 });
let rows: ChartRow[] = [];
const summary = await time(() => {
  const acc = new ChartAccumulator(params);
  for (const b of batches) acc.add(b);
  rows = acc.rows();
});
const duck = await time(() =>
  conn.runAndReadAll(
    `WITH r AS (SELECT min(delay) lo, (max(delay) - min(delay)) / 40 w FROM f)
     SELECT least(floor((delay - lo) / w), 39) AS bin, count(*) FROM f, r GROUP BY bin`,
  ),
);
const render = await time(() => renderSvg(chartSpec(params, rows)));
const raw = Array.from(delays.subarray(0, 200_000), (d) => ({ delay: d }));
const rawSpec = {
  data: { values: raw },
  mark: 'bar',
  encoding: {
    x: { field: 'delay', type: 'quantitative', bin: { maxbins: 40 } },
    y: { aggregate: 'count', type: 'quantitative' },
  },
};
const rawRender = await time(() => renderSvg(rawSpec));
console.log(`flights-3m histogram of delay (${delays.length} rows, ${rows.length} bins drawn)`);
console.log(
  formatTable(
    ['what', 'median ms', 'ratio'],
    [
      ['chart summary (ChartAccumulator)', String(ms(summary)), ratio(summary, duck)],
      ['peer: DuckDB binning, in memory', String(ms(duck)), '1.0×'],
      ['Vega render of the summary (SVG)', String(ms(render)), ratio(render, rawRender)],
      ['peer: Vega-Lite binning 200k raw rows', String(ms(rawRender)), '1.0×'],
    ],
  ),
);
console.log(loadAverage());
