/**
 * Everything a run needs in Node, from the repository's files: the catalog of the built
 * modules in `public/modules/` plus the host `source`, `javascript`, `sql`, `sql2` and `chart`, module bytes, sources (`sample:<file>`
 * from vega-datasets, `file:<path>` or a plain path, handed to the source's worker as paths),
 * parquet-wasm, and a pool of worker_threads. Used by the command line, the tests and the
 * bench. Node only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCatalog, type ModuleCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import { fsLoader } from '../modules/node-loader';
import { nodeWorkerFactory } from './env-node';
import { WorkerPool } from './pool';
import javascript from './javascript/javascript.json';
import chart from './chart/chart.json';
import source from './sources/source.json';
import sql from './sql/sql.json';
import sql2 from './sql/sql2.json';
import type { ResolvedSource, RunOptions } from './types';

/** The repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The host `source` module's manifest. */
export const sourceManifest = source as ModuleManifest;

/** The host `javascript` step's manifest. */
export const javascriptManifest = javascript as ModuleManifest;

/** The host `chart` step's manifest. */
export const chartManifest = chart as ModuleManifest;

/** What {@link nodeHost} gives: the parts of {@link RunOptions} that come from the machine. */
export type NodeHost = Pick<
  RunOptions,
  | 'catalog'
  | 'loadModule'
  | 'resolveSource'
  | 'loadParquetWasm'
  | 'pool'
  | 'projectColumns'
  | 'parallelism'
  | 'dataRoot'
> & {
  catalog: ModuleCatalog;
};

/**
 * The file behind a source URI, as a path the source's worker opens and reads in slices (it is
 * not read here); relative paths are resolved against `cwd`. Rejects naming the URI and the
 * path when there is no such file.
 */
export async function resolveNodeSource(uri: string, cwd = process.cwd()): Promise<ResolvedSource> {
  let path: string;
  if (uri.startsWith('sample:')) {
    path = resolve(REPO_ROOT, 'node_modules/vega-datasets/data', uri.slice('sample:'.length));
  } else {
    const plain = uri.startsWith('file:') ? uri.slice('file:'.length) : uri;
    path = isAbsolute(plain) ? plain : resolve(cwd, plain);
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${uri}: cannot read ${path}: ${code}`, { cause: error });
  }
  if (!info.isFile()) throw new Error(`${uri}: cannot read ${path}: not a file`);
  // Size and modification time, not a hash: hashing a large file on every run would cost more
  // than a cached run saves (see cache-identity.ts).
  const identity = `path:${path}#size=${info.size}#mtime=${info.mtimeMs}`;
  return { name: basename(path), path, identity };
}

/** Catalog, loaders and a worker pool for runs in this Node process. */
export async function nodeHost(): Promise<NodeHost> {
  const modulesDir = resolve(REPO_ROOT, 'public/modules');
  const loader = fsLoader(modulesDir);
  // Every built module (a manifest with its .wasm beside it), whatever index.json lists.
  const names = await readdir(modulesDir);
  const ids = names.filter((n) => n.endsWith('.wasm')).map((n) => n.slice(0, -'.wasm'.length));
  const entries = await Promise.all(
    ids.map(async (id) => ({
      manifest: JSON.parse(await loader.readText(`${id}.json`)) as unknown,
      fileName: `${id}.json`,
    })),
  );
  const catalog = createCatalog([
    ...entries,
    { manifest: sourceManifest, fileName: 'source.json' },
    { manifest: javascriptManifest, fileName: 'javascript.json' },
    { manifest: sql as ModuleManifest, fileName: 'sql.json' },
    { manifest: sql2 as ModuleManifest, fileName: 'sql2.json' },
    { manifest: chartManifest, fileName: 'chart.json' },
  ]);
  return {
    catalog,
    loadModule: (id) => loader.readBytes(`${id}.wasm`),
    resolveSource: (uri) => resolveNodeSource(uri),
    loadParquetWasm: async () =>
      new Uint8Array(
        await readFile(resolve(REPO_ROOT, 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm')),
      ),
    pool: new WorkerPool(nodeWorkerFactory()),
    // Runs in Node show results only, never the previews of intermediate steps.
    projectColumns: true,
    parallelism: availableParallelism(),
  };
}
