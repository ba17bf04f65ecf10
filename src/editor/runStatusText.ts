/**
 * The words on a step node while it waits or runs: what it is busy with (its module loading, a
 * source reading its file, an engine loading, rows not arrived yet) until rows flow, then how
 * many.
 */
import type { StepRunStatus } from './runState';

const fmt = new Intl.NumberFormat('en-US');

/** `1.2 MiB`, `340 KiB`, `12 B`. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} B`;
}

/**
 * The status text of a waiting or running step: `waiting`, `loading module…`,
 * `reading seattle-weather.csv… · 47 KiB`, `loading SQL engine…` (DuckDB-Wasm in its worker),
 * `waiting for input…` (started, no rows yet: its
 * inputs have not sent any, or it needs all of them first), `running · 1,461 rows`.
 */
export function activeStatusText(
  status: Extract<StepRunStatus, { state: 'waiting' | 'running' }>,
): string {
  const phase = status.phase;
  if (status.state === 'waiting') return phase ? 'loading module…' : 'waiting';
  if (status.rows > 0) return `running · ${fmt.format(status.rows)} rows`;
  if (phase?.kind === 'reading') {
    return `reading ${phase.file}…${status.bytes > 0 ? ` · ${formatBytes(status.bytes)}` : ''}`;
  }
  if (phase?.kind === 'loading-module') return 'loading module…';
  if (phase?.kind === 'loading-engine') return `loading ${phase.engine} engine…`;
  return 'waiting for input…';
}

/**
 * The status of a step whose result a live preview computed on a sample (`sampleRows`: the first
 * input rows it read, runner.ts): `rows` counts the sample's output, not the real result's, so
 * the text says so (`preview of a sample · 19,457 rows`), as the output panel's label does; and
 * its tooltip says how to get the real count.
 */
export function sampledStatus(rows: number, sampleRows: number): { text: string; title: string } {
  return {
    text: `preview of a sample · ${fmt.format(rows)} rows`,
    title: `A live preview on a sample (the first ${fmt.format(sampleRows)} input rows) — Run to compute all`,
  };
}
