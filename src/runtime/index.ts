/**
 * The runtime's public API: run a pipeline document, one worker per step, and report events.
 * No DOM dependency: the same code runs in browser Web Workers and Node worker_threads (pick
 * the worker factory from `env-browser.ts` or `env-node.ts`).
 */
export type * from './events';
export type * from './types';
export { PREVIEW_ROWS } from './events';
export { runPipeline, PipelineRunError, PARQUET_BATCH_ROWS } from './run';
export { WorkerPool, type WorkerPoolOptions } from './pool';
export type { WorkerFactory, WorkerHandle } from './env';
export { runWasiCommand } from './wasi-host';
export type { WasiCommandOptions, WasiCommandResult, WasiFailure } from './wasi-host';
export { default as sourceManifest } from './sources/source.json';
export { default as javascriptManifest } from './javascript/javascript.json';
export { default as sqlManifest } from './sql/sql.json';
export { default as sql2Manifest } from './sql/sql2.json';
export { default as chartManifest } from './chart/chart.json';
export { formatOfName } from './sources/format';
export { tableToCsv, writeCsv, writeArrowStream } from './sinks';
