/**
 * How the browser gives the runtime its inputs: module bytes (built-ins from /modules/, installed
 * ones from the library in IndexedDB), sample data from /samples/ (URI `sample:<file>`), and the
 * user's files from IndexedDB (URI `file:<id>`). All of it is precached by the service worker or
 * stored, so runs work offline.
 */
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { runPipeline, WorkerPool, type ResolvedSource } from '../runtime';
import { warmRun } from '../runtime/warm';
import { browserWorkerFactory } from '../runtime/env-browser';
import { MODULE_DATA_ROOT } from '../runtime/module-data-opfs';
import { QUIVER_VERSION } from '../pwa/version';
import { loadFile } from '../storage/db';
import { editorStepCache } from '../storage/step-cache';
import type { RunnerHost } from './runner';

/** The answer to a GET of `url`; rejects naming `what` and the URL on failure. */
async function fetchOk(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`${what}: could not be fetched from ${url}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (!res.ok) throw new Error(`${what}: ${url} answered HTTP ${res.status}`);
  return res;
}

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url, what)).arrayBuffer());
}

/** The bytes of built-in module `moduleId` (`/modules/<id>.wasm`). */
export function loadModule(moduleId: string): Promise<Uint8Array> {
  return fetchBytes(`/modules/${encodeURIComponent(moduleId)}.wasm`, `module ${moduleId}`);
}

/**
 * The file behind a source URI, as a Blob the source's worker reads in slices (a stored File is
 * never read on the main thread); rejects naming the URI when unknown.
 */
export async function resolveSource(uri: string): Promise<ResolvedSource> {
  if (uri.startsWith('sample:')) {
    const name = uri.slice('sample:'.length);
    const res = await fetchOk(`/samples/${encodeURIComponent(name)}`, uri);
    return { name, blob: await res.blob() };
  }
  if (uri.startsWith('file:')) {
    const stored = await loadFile(uri.slice('file:'.length));
    if (!stored) throw new Error(`${uri}: the file is no longer stored in this browser`);
    return { name: stored.name, blob: stored.blob };
  }
  throw new Error(`${uri}: unknown source (expected sample:<file> or file:<id>)`);
}

/**
 * What identifies a source's file for the step-output cache, without reading it: a sample is
 * part of this app version; a stored file is never changed under its id, and its name, size
 * and last-modified time are kept with it. Rejects (the step is then not cached) when unknown.
 */
export async function identifySource(uri: string): Promise<string> {
  if (uri.startsWith('sample:')) return `${uri}@${QUIVER_VERSION}`;
  if (uri.startsWith('file:')) {
    const stored = await loadFile(uri.slice('file:'.length));
    if (!stored) throw new Error(`${uri}: the file is no longer stored in this browser`);
    const modified = stored.blob instanceof File ? stored.blob.lastModified : 'none';
    return `${uri}#name=${stored.name}#size=${stored.sizeBytes}#modified=${modified}`;
  }
  throw new Error(`${uri}: unknown source`);
}

/** parquet-wasm's module bytes (emitted by Vite under assets/, precached for offline use). */
export async function loadParquetWasm(): Promise<Uint8Array> {
  return fetchBytes(parquetWasmUrl, 'parquet-wasm');
}

/**
 * The runtime as the editor drives it in the browser: Web Workers, one per step. `modules`
 * gives module bytes (the library: installed modules from IndexedDB, built-ins from /modules/).
 */
export function browserRunnerHost(modules: (moduleId: string) => Promise<Uint8Array>): RunnerHost {
  return {
    runPipeline,
    warmRun,
    options: {
      pool: new WorkerPool(browserWorkerFactory()),
      loadModule: modules,
      resolveSource,
      identifySource,
      loadParquetWasm,
      // Streamable steps and Parquet sources deal their work out to a worker per core, at most
      // 4: each parallel step's workers are started at once, and a Web Worker costs its start.
      parallelism: Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1)),
      // A Parquet source decodes only the columns read downstream; its own preview still
      // shows every column (read apart), the previews of the steps between show those read.
      projectColumns: true,
      // Steps granted storage keep /data in the Origin Private File System.
      dataRoot: MODULE_DATA_ROOT,
      // Step outputs kept in memory and OPFS: a Run re-executes only what changed.
      cache: editorStepCache(),
    },
  };
}
