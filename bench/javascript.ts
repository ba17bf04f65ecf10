/**
 * `npm run bench:javascript`: the JavaScript step (QuickJS in WebAssembly) against the C
 * `derive` module computing the same column on flights-200k (200,000 rows): `delay * 2 +
 * distance`. Both read the same Arrow source; each is warmed up, then run BENCH_ROUNDS times
 * (default 5). Prints each step's median busy ms (time inside the step's own code: for the
 * JavaScript step, QuickJS and the copies into and out of it), the ratio, and the step's wall ms.
 */
import { join } from 'node:path';
import { chainDoc, DATA_DIR, formatTable, loadAverage, ms, ratio, stepMedians } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM = 1;
const SOURCE = {
  id: 'source',
  moduleId: 'source',
  params: { uri: join(DATA_DIR, 'flights-200k.arrow') },
};

const peers = {
  'JavaScript (rows)': chainDoc('js-rows', [
    SOURCE,
    {
      id: 'step',
      moduleId: 'javascript',
      params: { mode: 'rows', code: 'row => ({ ...row, x: row.delay * 2 + row.distance })' },
    },
  ]),
  'JavaScript (batch)': chainDoc('js-batch', [
    SOURCE,
    {
      id: 'step',
      moduleId: 'javascript',
      params: {
        mode: 'batch',
        code: `b => {
          const { delay, distance } = b.columns;
          const x = new Float64Array(b.length);
          for (let i = 0; i < b.length; i++) x[i] = delay[i] * 2 + distance[i];
          return { columns: { ...b.columns, x }, nulls: b.nulls };
        }`,
      },
    },
  ]),
  'C derive': chainDoc('c-derive', [
    SOURCE,
    { id: 'step', moduleId: 'derive', params: { column: 'x', expression: 'delay * 2 + distance' } },
  ]),
};

console.log(`JavaScript step bench, ${loadAverage()}`);
const medians = await stepMedians(peers, 'step', WARM, ROUNDS);
const busy = Object.fromEntries(Object.entries(medians).map(([n, m]) => [n, m.busy]));
const wall = Object.fromEntries(Object.entries(medians).map(([n, m]) => [n, m.wall]));
const c = busy['C derive'] ?? NaN;
console.log(`\nflights-200k, derived column, median busy ms of ${ROUNDS} runs`);
console.log(
  formatTable(
    ['step', 'median busy ms', 'vs C derive', 'median step ms'],
    Object.entries(busy).map(([name, t]) => [name, ms(t), ratio(t, c), ms(wall[name] ?? NaN)]),
  ),
);
console.log(loadAverage());
