/**
 * Child of bench/cores.ts, started under `taskset`: runs the streamable pipeline
 * (pipelines.ts) once to warm up and RUNS times, then prints one JSON line `{"ms": <median>}`.
 */
import { availableParallelism } from 'node:os';
import { nodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import { assertOk, median } from './lib';
import { streamableDoc } from './pipelines';

const RUNS = 3;

const doc = streamableDoc();
const host = await nodeHost();
const times: number[] = [];
try {
  for (let round = 0; round <= RUNS; round++) {
    const result = await runPipeline(doc, host);
    assertOk('streamable', result);
    if (round > 0) times.push(result.ms);
  }
} finally {
  host.pool.terminate();
}
console.log(JSON.stringify({ ms: median(times), cores: availableParallelism() }));
