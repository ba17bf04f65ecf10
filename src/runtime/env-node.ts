/**
 * Step workers on Node `worker_threads`. The worker code is TypeScript; it is bundled with
 * esbuild into `node_modules/.cache/quiver-runtime/` (about 0.5 s, once: later processes reuse
 * the bundle while its sources are unchanged, `bundle-cache.ts`), because a worker that
 * transpiles its imports on start (tsx) takes about 1.5 s to boot, a bundled one about 0.1 s.
 * Works the same from the CLI (tsx) and in Vitest.
 */
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { cachedBundle } from './bundle-cache';
import type { WorkerFactory, WorkerHandle } from './env';
import type { FromWorker } from './protocol';

let bundled: string | undefined;

/** Path of the bundled worker script, found or built on the first call in this process. */
export function nodeWorkerScript(): string {
  if (bundled !== undefined) return bundled;
  const entry = fileURLToPath(new URL('./worker-entry.node.ts', import.meta.url));
  const dir = fileURLToPath(new URL('../../node_modules/.cache/quiver-runtime/', import.meta.url));
  bundled = cachedBundle(dir, 'step-worker', {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // QuickJS's loader finds its .wasm beside itself (import.meta.url): left unbundled, it is
    // imported from node_modules, which the cache directory sits inside.
    // DuckDB-Wasm's Node build is CommonJS that reads its .wasm by path: required from there too.
    external: ['quickjs-emscripten-core', '@jitl/*', '@duckdb/duckdb-wasm'],
    logLevel: 'silent',
  });
  return bundled;
}

/** Options that load code before a script: the bundled worker needs none of them. */
const LOADER_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader'];

/**
 * The parent's `execArgv` without its loader flags (and their values). A worker inherits
 * `execArgv`; under tsx (`npx tsx`, `node --import tsx`) that is tsx's preflight and loader,
 * which cost each step worker a module-hooks thread and its start-up (hundreds of ms under
 * load) for a script that is plain JavaScript. Other flags (`--cpu-prof`, heap sizes) stay.
 */
export function workerExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const flag = parent[i]!;
    if (LOADER_FLAGS.includes(flag)) i++;
    else if (!LOADER_FLAGS.some((name) => flag.startsWith(`${name}=`))) kept.push(flag);
  }
  return kept;
}

/**
 * Lets the step workers free consumed buffers at once (`release.ts`): Node 20's V8 has
 * `ArrayBuffer.prototype.transfer` behind a flag, which a worker started after it is set gets
 * in its context; later Node versions have it anyway.
 */
function enableArrayBufferTransfer(): void {
  if (!('transfer' in ArrayBuffer.prototype)) setFlagsFromString('--harmony-rab-gsab-transfer');
}

/** A {@link WorkerFactory} of Node worker threads. */
export function nodeWorkerFactory(): WorkerFactory {
  const script = nodeWorkerScript();
  enableArrayBufferTransfer();
  const execArgv = workerExecArgv();
  return (): WorkerHandle => {
    const worker = new Worker(script, { execArgv });
    let crash: (error: Error) => void = () => undefined;
    let terminated = false;
    worker.on('error', (error: unknown) =>
      crash(error instanceof Error ? error : new Error(String(error))),
    );
    worker.on('exit', (code) => {
      if (!terminated) crash(new Error(`step worker exited with code ${code}`));
    });
    return {
      post: (message, transfer) => worker.postMessage(message, transfer as never),
      onMessage: (listener) => {
        worker.removeAllListeners('message');
        worker.on('message', (message: FromWorker) => listener(message));
      },
      onCrash: (listener) => (crash = listener),
      setIdle: (idle) => (idle ? worker.unref() : worker.ref()),
      terminate: () => {
        terminated = true;
        void worker.terminate();
      },
    };
  };
}
