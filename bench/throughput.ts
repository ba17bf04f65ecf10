/**
 * Bytes through one step at a time: a filter that passes every row over ~140 MB of Arrow IPC
 * (four float64 columns in 2 MiB batches), one instance, against a memcpy of the same bytes in
 * this process. Two figures for the step: its wall clock from start to finish (bounded by how
 * fast the source delivers, whose own time is printed beside it), and its busy time, the time
 * spent inside the module including the copies in and out (`StepResult.busyMs`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';
import { writeNumericArrow } from './data';
import { assertOk, chainDoc, formatTable, median, ms, ratio, total } from './lib';

/** Size of the Arrow IPC file, in bytes. */
const ARROW_BYTES = 140e6;

/** Median milliseconds of copying `bytes` into a preallocated buffer (5 copies). */
function memcpyMs(bytes: Uint8Array): number {
  const target = new Uint8Array(bytes.byteLength);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    target.set(bytes);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** GB/s (10^9 bytes per second) of `bytes` in `millis` ms, to two decimals. */
const gbPerS = (bytes: number, millis: number): number =>
  Math.round((bytes / 1e6 / millis) * 100) / 100;

/** Writes the file in `dir`, runs source → filter once to warm up and `rounds` times; prints. */
export async function passAllThroughput(host: NodeHost, dir: string, rounds: number) {
  const file = join(dir, 'numeric.arrow');
  const size = writeNumericArrow(file, ARROW_BYTES);
  const doc = chainDoc('pass-all', [
    { id: 'source', moduleId: 'source', params: { uri: file } },
    { id: 'filter', moduleId: 'filter', params: { expression: 'a >= 0' } },
  ]);
  const runs: RunResult[] = [];
  for (let round = 0; round <= rounds; round++) {
    const result = await runPipeline(doc, { ...host, parallelism: 1 });
    assertOk('pass-all filter', result);
    if (round > 0) runs.push(result);
  }
  const stepMs = (r: RunResult, id: string) => r.steps[id]?.ms ?? NaN;
  const mid = [...runs].sort((a, b) => stepMs(a, 'filter') - stepMs(b, 'filter'))[
    Math.floor(runs.length / 2)
  ] as RunResult;
  const filterMs = stepMs(mid, 'filter');
  const outBytes = total(mid.steps.filter?.bytesByPort);
  const busyMs = mid.steps.filter?.busyMs ?? NaN;
  const copyMs = memcpyMs(readFileSync(file));
  console.log(
    `\nOne pass-all filter step over ${(size / 1e6).toFixed(0)} MB of Arrow IPC ` +
      `(median of ${rounds} after one warm-up)`,
  );
  console.log(
    formatTable(
      ['what', 'ms', 'GB/s'],
      [
        [
          'source step (reads the file)',
          ms(stepMs(mid, 'source')),
          gbPerS(size, stepMs(mid, 'source')),
        ],
        ['filter step, wall clock (output bytes)', ms(filterMs), gbPerS(outBytes, filterMs)],
        ['filter step, busy in the module', ms(busyMs), gbPerS(outBytes, busyMs)],
        ['memcpy of the file, same process', ms(copyMs), gbPerS(size, copyMs)],
      ],
    ),
  );
  console.log(
    `filter step ÷ memcpy, time: ${ratio(filterMs, copyMs)} wall, ${ratio(busyMs, copyMs)} busy`,
  );
}
