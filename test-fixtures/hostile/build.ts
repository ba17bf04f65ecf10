/**
 * Test helper: the hostile fixture modules (tiny C programs beside this file, one per way a
 * stranger's module can misbehave) as an installed-module folder — `<id>.wasm` + `<id>.json`
 * — for the CLI's `--modules` and the editor's e2e. Built at test time with clang-19 through
 * `test-fixtures/runtime/build.ts` (cached by source digest); nothing built is committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleManifest } from '../../src/modules/manifest';
import { fixtureWasm } from '../runtime/build';

const here = dirname(fileURLToPath(import.meta.url));

/** One hostile module: its C source (or a file that is not WebAssembly) and its manifest. */
export interface HostileModule {
  /** Module id, `hostile-<source>`. */
  id: string;
  /** `<source>.c` beside this file; `notwasm` is the text file `notwasm.txt`. */
  source: string;
  /** The misbehaviour, in words (the report's first column). */
  what: string;
  /** Manifest fields that differ from {@link baseManifest}. */
  manifest?: Partial<ModuleManifest>;
}

/** Every hostile module, in the order of issue 10's list. */
export const HOSTILE_MODULES: readonly HostileModule[] = [
  {
    id: 'hostile-loop',
    source: 'loop',
    what: 'an endless loop',
    manifest: { limits: { timeoutMs: 1500, maxMemoryMiB: 64 } },
  },
  { id: 'hostile-grow', source: 'grow', what: 'allocating until refused' },
  { id: 'hostile-trap', source: 'trap', what: 'a trap' },
  { id: 'hostile-fail', source: 'fail', what: 'a non-zero exit with stderr' },
  { id: 'hostile-garbage', source: 'garbage', what: 'garbage instead of Arrow' },
  {
    id: 'hostile-bigout',
    source: 'bigout',
    what: 'output far larger than memory (8 GiB in 1 MiB writes)',
  },
  {
    id: 'hostile-escape',
    source: 'escape',
    what: '"..", absolute paths and /data without a grant',
  },
  { id: 'hostile-recurse', source: 'recurse', what: 'unbounded recursion' },
  { id: 'hostile-entropy', source: 'entropy', what: 'an import nobody granted (random_get)' },
  {
    id: 'hostile-logflood',
    source: 'logflood',
    what: '300 MiB of log (3 million lines)',
    // 3 million WASI writes take 5-20 s on a loaded machine; the flood must not time out.
    manifest: { limits: { timeoutMs: 120000, maxMemoryMiB: 64 } },
  },
  { id: 'hostile-silent', source: 'silent', what: 'never writing its output port' },
  {
    id: 'hostile-liar',
    source: 'liar',
    what: 'a manifest that lies about its ports',
    manifest: {
      outputs: [
        { name: 'out', type: 'arrow' },
        { name: 'summary', type: 'arrow' },
      ],
    },
  },
  { id: 'hostile-notwasm', source: 'notwasm', what: 'a file that is not WebAssembly' },
];

/** The storage fixture: counts its runs in `/data/runs.txt` (asks for read-write storage). */
export const NOTES_MODULE: HostileModule = {
  id: 'notes',
  source: 'notes',
  what: 'counts its runs in /data',
  manifest: { permissions: { storage: 'readwrite' } },
};

/** The storage cap fixture: writes to `/data` until refused, then exits 0. */
export const HOARD_MODULE: HostileModule = {
  id: 'hoard',
  source: 'hoard',
  what: 'writes to /data until refused',
  manifest: { permissions: { storage: 'readwrite' } },
};

/** The manifest every fixture starts from: ABI 1, one arrow input and output, no permissions. */
export function baseManifest(id: string, what: string): ModuleManifest {
  return {
    abi: 1,
    id,
    name: id,
    version: '1.0.0',
    description: `test fixture: ${what}`,
    category: 'test',
    inputs: [{ name: 'in', type: 'arrow' }],
    outputs: [{ name: 'out', type: 'arrow' }],
    params: { type: 'object' },
    permissions: {},
    streamable: false,
    limits: { timeoutMs: 20000, maxMemoryMiB: 64 },
  };
}

/** The `.wasm` bytes of `module` (compiled, or the text of `notwasm.txt`). */
export function moduleBytes(module: HostileModule): Uint8Array {
  if (module.source === 'notwasm') return new Uint8Array(readFileSync(join(here, 'notwasm.txt')));
  return fixtureWasm(module.source, here);
}

/** Writes `<id>.wasm` and `<id>.json` of each of `modules` into `dir` (created); returns `dir`. */
export function writeModules(dir: string, modules: readonly HostileModule[]): string {
  mkdirSync(dir, { recursive: true });
  for (const module of modules) {
    const manifest = { ...baseManifest(module.id, module.what), ...module.manifest };
    writeFileSync(join(dir, `${module.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(dir, `${module.id}.wasm`), moduleBytes(module));
  }
  return dir;
}
