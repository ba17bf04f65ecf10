/**
 * For tests only: a catalog of the committed built-in manifests (modules/<id>/<id>.json) plus a
 * host `source` manifest, and a small document builder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCatalog, type ModuleCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import type { Edge, PipelineDocument, Step } from './types';

const MODULES_DIR = fileURLToPath(new URL('../../modules', import.meta.url));

/** The runtime's host source step: raw `bytes` for CSV/TSV, an Arrow table on `out`. */
export const sourceManifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('../runtime/sources/source.json', import.meta.url)), 'utf8'),
) as ModuleManifest;

/** The runtime's other host steps (SQL, chart), for tests of pipelines that use them. */
const HOST_MANIFESTS = ['sql/sql.json', 'sql/sql2.json', 'chart/chart.json'];

/**
 * The built-in manifests committed under modules/, plus the source manifest; with
 * `hostSteps`, the SQL and chart steps' manifests too.
 */
export function builtinCatalog(options: { hostSteps?: boolean } = {}): ModuleCatalog {
  const entries = readdirSync(MODULES_DIR)
    .map((id) => join(MODULES_DIR, id, `${id}.json`))
    .filter((p) => existsSync(p))
    .map((p) => ({
      manifest: JSON.parse(readFileSync(p, 'utf8')) as unknown,
      fileName: p.slice(p.lastIndexOf('/') + 1),
    }));
  entries.push({ manifest: sourceManifest, fileName: 'source.json' });
  for (const path of options.hostSteps ? HOST_MANIFESTS : []) {
    const url = new URL(`../runtime/${path}`, import.meta.url);
    const manifest = JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as unknown;
    entries.push({ manifest, fileName: path.slice(path.indexOf('/') + 1) });
  }
  return createCatalog(entries);
}

/** A step with default permissions and limits at the origin. */
export function step(id: string, moduleId: string, params: Record<string, unknown> = {}): Step {
  return {
    id,
    moduleId,
    params,
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
    position: { x: 0, y: 0 },
  };
}

/** An edge from `from`'s `out` to `to`'s `in` (or the given ports). */
export function edge(from: string, to: string, fromPort = 'out', toPort = 'in'): Edge {
  return {
    id: `${from}.${fromPort}->${to}.${toPort}`,
    from: { step: from, port: fromPort },
    to: { step: to, port: toPort },
  };
}

/** A document of `steps` wired in a chain, each `out` into the next `in`. */
export function chain(...steps: Step[]): PipelineDocument {
  return {
    format: 'quiver-pipeline',
    version: 3,
    id: 'p-test',
    name: 'test',
    steps,
    edges: steps.slice(1).map((s, i) => edge(steps[i]!.id, s.id)),
  };
}

/** Deep-freeze a value, so a test fails if a pure function mutates its argument. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
