/**
 * `npx tsx bench/log-flood.ts`: how fast a flood of log is taken in and capped, and whether it
 * stays linear. The hostile fixture `logflood` (test-fixtures/hostile/logflood.c) writes N lines
 * of 100 bytes, one WASI write each, through the step's log path (stdout/stderr capture, line
 * split until the 200-line cap, then newlines counted without decoding); its peer is the same writes to a file in /out
 * (the WASI call without any logging), measured in the same run. Lines per second should stay
 * flat as N grows tenfold (linear), and the ratio to the peer says what logging adds.
 */
import { fixtureWasm } from '../test-fixtures/runtime/build';
import { runWasiCommand } from '../src/runtime/wasi-host';
import { withLogCap } from '../src/runtime/wasm-step';
import { formatTable, loadAverage, median } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = [100_000, 300_000, 1_000_000, 3_000_000];
const module = new WebAssembly.Module(fixtureWasm('logflood', 'test-fixtures/hostile'));

/** Milliseconds to run `lines` lines, to the log (`log`) or to a file (`file`). */
function once(lines: number, sink: 'log' | 'file'): number {
  let shown = 0;
  const hooks = withLogCap({
    invokeStart: () => undefined,
    invokeEnd: () => undefined,
    log: () => shown++,
  });
  const args = sink === 'file' ? ['logflood', String(lines), 'file'] : ['logflood', String(lines)];
  const t0 = performance.now();
  const result = runWasiCommand({
    module,
    args,
    maxMemoryMiB: 64,
    onLine: hooks.log,
    onUnreported: (lines, bytes) => hooks.unreported?.(lines, bytes),
  });
  hooks.summarize();
  const elapsed = performance.now() - t0;
  if (result.exitCode !== 0) throw new Error(`logflood ${lines}: ${result.failure?.message}`);
  if (sink === 'log' && shown !== 201) throw new Error(`logflood ${lines}: ${shown} lines shown`);
  return elapsed;
}

console.log(`Log flood bench, ${ROUNDS} rounds each, ${loadAverage()}`);
const rows = SIZES.map((lines) => {
  const log = median(Array.from({ length: ROUNDS }, () => once(lines, 'log')));
  const file = median(Array.from({ length: ROUNDS }, () => once(lines, 'file')));
  const perS = (ms: number): string => `${Math.round(lines / (ms / 1000)).toLocaleString('en')}`;
  return [
    lines.toLocaleString('en'),
    `${((lines * 100) / 1048576).toFixed(0)} MiB`,
    Math.round(log),
    perS(log),
    Math.round(file),
    perS(file),
    (log / file).toFixed(2),
  ];
});
console.log(
  formatTable(
    ['lines', 'bytes', 'log ms', 'log lines/s', 'file ms', 'file lines/s', 'log ÷ file'],
    rows,
  ),
);
console.log(loadAverage());
