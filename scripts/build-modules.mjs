// Builds the built-in step modules: for every modules/<id>/<id>.json (modules/sdk excluded),
// compiles modules/<id>/*.c with every modules/sdk/*.c (test and fuzz sources and the ABI
// drivers excluded) with clang-19 for wasm32-wasi into <out>/<id>.wasm, validates the manifest
// against its schema (src/modules/manifest.ts) and copies it to <out>/<id>.json, and writes
// <out>/index.json (the sorted ids).
//
// The manifest's `abi` chooses the build (modules/sdk/ABI.md section 11.5): `"abi": 2` builds a
// reactor (-DQV_ABI=2 -mexec-model=reactor, linked with the SDK's v2 driver step_v2.c);
// `"abi": 1` a command (-DQV_ABI=1), linked with the v1 driver step_v1.c only if the module
// declares itself with QV_MODULE (a module with its own `main` links no driver).
//
// Usage (run through tsx, which lets this file import the TypeScript manifest schema):
//   tsx scripts/build-modules.mjs            build into public/modules
//   tsx scripts/build-modules.mjs --out DIR  build into DIR
//   tsx scripts/build-modules.mjs --check    build into a temporary directory and fail,
//                                            naming the file, if public/modules differs
//   ... --root DIR                           read DIR/modules, check DIR/public/modules
//
// The SDK is compiled once to object files, then each module's objects are linked with them;
// compilations run in parallel, one per core. The build is deterministic (relative source
// paths, sorted inputs, stripped output), so a committed binary equals its source build byte
// for byte; CI runs --check.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { manifestSchema, REACTOR_EXPORTS } from '../src/modules/manifest.ts';

const scriptRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where modules/ is read from; `--root DIR` changes it (tests build fixture trees). */
let repoRoot = scriptRoot;

/** Largest allowed module binary, in bytes (DESIGN: a size budget for each .wasm). */
export const WASM_SIZE_BUDGET_BYTES = 512 * 1024;

/** Compile flags for every C file; relative paths only, so no absolute path reaches a binary. */
const COMPILE_FLAGS = [
  '--target=wasm32-wasi',
  '--sysroot=/usr',
  '-O2',
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-ffunction-sections',
  '-fdata-sections',
  '-Imodules/sdk',
];

/** Link flags: drop unused functions and data, strip names and debug information. */
const LINK_FLAGS = [
  '--target=wasm32-wasi',
  '--sysroot=/usr',
  '-Wl,--gc-sections',
  '-Wl,--strip-all',
];

const run = promisify(execFile);

/** Runs clang-19 in the repo root; throws with `what` and clang's messages. */
async function clang(args, what) {
  try {
    await run('clang-19', args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    fail(`${what}: clang-19 failed:\n${e.stderr?.toString() || e.message}`);
  }
}

/** Runs `jobs` (functions returning promises) with at most `limit` at a time. */
async function parallel(jobs, limit) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const k = next++;
      results[k] = await jobs[k]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Compiles C `sources` (repo-relative) into objects under `objDir`, with `flags` added;
 * returns their paths in source order. */
function compileJobs(sources, objDir, what, flags = []) {
  return sources.map((src) => {
    const obj = join(objDir, src.replace(/[/\\]/g, '__').replace(/\.c$/, '.o'));
    return async () => {
      await clang([...COMPILE_FLAGS, ...flags, '-c', '-o', obj, src], `${what} (${src})`);
      return obj;
    };
  });
}

/** The SDK's ABI drivers (ABI.md 11.5), compiled once, linked per module. */
const DRIVERS = { 1: 'modules/sdk/step_v1.c', 2: 'modules/sdk/step_v2.c' };

/** Extra link flags per ABI: v2 modules are WASI reactors (no `main`, `_initialize`). */
const ABI_LINK_FLAGS = { 1: [], 2: ['-mexec-model=reactor'] };

/** Exports each ABI requires of a built module. */
const ABI_EXPORTS = {
  1: ['memory', '_start'],
  2: ['memory', ...REACTOR_EXPORTS],
};

/** True if one of `sources` declares its module with QV_MODULE (so the SDK provides main). */
function usesModuleMacro(sources) {
  return sources.some((src) => /^QV_MODULE\(/m.test(readFileSync(join(repoRoot, src), 'utf8')));
}

/** WASI imports a module may only have when its manifest asks for the permission. */
const PERMISSION_IMPORTS = {
  clock: ['clock_time_get', 'clock_res_get', 'poll_oneoff'],
  random: ['random_get'],
};

/** C sources of one folder, sorted, without unit tests (`*_test.c`), fuzz targets and the
 * SDK's ABI drivers (`step_v<N>.c`, linked per module). */
function cSources(dirRel) {
  return readdirSync(join(repoRoot, dirRel))
    .filter(
      (f) =>
        f.endsWith('.c') &&
        !f.endsWith('_test.c') &&
        !f.startsWith('fuzz_') &&
        !(dirRel === 'modules/sdk' && /^step_v\d+\.c$/.test(f)),
    )
    .sort()
    .map((f) => `${dirRel}/${f}`);
}

/** Ids of the modules: folders of modules/ holding <id>/<id>.json, sorted. */
export function moduleIds() {
  return readdirSync(join(repoRoot, 'modules'))
    .filter((d) => d !== 'sdk' && existsSync(join(repoRoot, 'modules', d, `${d}.json`)))
    .sort();
}

function fail(message) {
  throw new Error(message);
}

/** Checks that the imports and exports of `wasm` match its ABI and what `manifest` asks
 * for. */
function checkImports(id, wasm, manifest) {
  const module = new WebAssembly.Module(wasm);
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const name of ABI_EXPORTS[manifest.abi]) {
    if (!exported.has(name)) fail(`modules/${id}: ABI ${manifest.abi} needs export "${name}"`);
  }
  const imports = WebAssembly.Module.imports(module);
  for (const imp of imports) {
    if (imp.module !== 'wasi_snapshot_preview1') {
      fail(
        `modules/${id}: imports ${imp.module}.${imp.name}; the ABI allows only wasi_snapshot_preview1`,
      );
    }
    for (const [perm, names] of Object.entries(PERMISSION_IMPORTS)) {
      if (names.includes(imp.name) && manifest.permissions[perm] !== true) {
        fail(
          `modules/${id}: imports ${imp.name} but its manifest does not ask for permission "${perm}"`,
        );
      }
    }
  }
}

/** Reads and validates the manifest of module `id`. */
function readManifest(id, validate, ajv) {
  const manifestPath = `modules/${id}/${id}.json`;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(repoRoot, manifestPath), 'utf8'));
  } catch (e) {
    fail(`${manifestPath}: ${e.message}`);
  }
  if (!validate(manifest)) {
    fail(`${manifestPath}: invalid manifest: ${ajv.errorsText(validate.errors)}`);
  }
  if (manifest.id !== id) fail(`${manifestPath}: id "${manifest.id}" differs from folder "${id}"`);
  if (manifest.kind === 'host') fail(`${manifestPath}: host modules have no C source`);
  return manifest;
}

/** Builds every module into `outDir` (created if missing). Throws with the module named. */
export async function buildModules(outDir) {
  mkdirSync(outDir, { recursive: true });
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(manifestSchema);
  const modules = [];
  for (const id of moduleIds()) {
    const manifest = readManifest(id, validate, ajv);
    const sources = cSources(`modules/${id}`);
    if (sources.length === 0) {
      // A manifest whose C source is not written yet: not built, not listed in index.json.
      console.warn(`modules/${id}: skipped, no .c source yet`);
      continue;
    }
    // The ABI whose driver the module links, if any.
    const driverAbi = manifest.abi === 2 || usesModuleMacro(sources) ? manifest.abi : undefined;
    modules.push({ id, manifest, sources, driverAbi });
  }
  const objDir = mkdtempSync(join(tmpdir(), 'quiver-objects-'));
  try {
    const cores = Math.max(1, availableParallelism());
    const sdkJobs = compileJobs(cSources('modules/sdk'), objDir, 'modules/sdk');
    // Only the drivers some module links (a tree of main-based modules needs none).
    const drivers = [...new Set(modules.map((m) => m.driverAbi))].filter((a) => a).sort();
    const driverJobs = drivers.map(
      (abi) => compileJobs([DRIVERS[abi]], objDir, 'modules/sdk', [`-DQV_ABI=${abi}`])[0],
    );
    const moduleJobs = modules.map((m) =>
      compileJobs(m.sources, objDir, `modules/${m.id}`, [`-DQV_ABI=${m.manifest.abi}`]),
    );
    const objects = await parallel([...sdkJobs, ...driverJobs, ...moduleJobs.flat()], cores);
    const sdkObjects = objects.slice(0, sdkJobs.length);
    const driverObjects = Object.fromEntries(
      drivers.map((abi, k) => [abi, objects[sdkJobs.length + k]]),
    );
    let at = sdkJobs.length + driverJobs.length;
    await parallel(
      modules.map((m, k) => {
        const own = objects.slice(at, at + moduleJobs[k].length);
        at += moduleJobs[k].length;
        const wasmPath = join(outDir, `${m.id}.wasm`);
        const driver = m.driverAbi === undefined ? [] : [driverObjects[m.driverAbi]];
        const flags = [...LINK_FLAGS, ...ABI_LINK_FLAGS[m.manifest.abi]];
        return () =>
          clang(
            [...flags, '-o', wasmPath, ...own, ...driver, ...sdkObjects],
            `modules/${m.id} (link)`,
          );
      }),
      cores,
    );
  } finally {
    rmSync(objDir, { recursive: true, force: true });
  }
  for (const { id, manifest } of modules) {
    const wasm = readFileSync(join(outDir, `${id}.wasm`));
    if (wasm.length > WASM_SIZE_BUDGET_BYTES) {
      fail(
        `modules/${id}: ${id}.wasm is ${wasm.length} bytes, over the budget of ${WASM_SIZE_BUDGET_BYTES} bytes (512 KiB)`,
      );
    }
    checkImports(id, wasm, manifest);
    writeFileSync(join(outDir, `${id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  const ids = modules.map((m) => m.id);
  writeFileSync(join(outDir, 'index.json'), `${JSON.stringify(ids, null, 2)}\n`);
  return ids;
}

/** Compares two build directories; returns the differing or missing file names. */
export function diffBuilds(expectedDir, actualDir) {
  const names = (d) =>
    existsSync(d) ? readdirSync(d).filter((f) => statSync(join(d, f)).isFile()) : [];
  const all = [...new Set([...names(expectedDir), ...names(actualDir)])].sort();
  const problems = [];
  for (const f of all) {
    const a = join(expectedDir, f);
    const b = join(actualDir, f);
    if (!existsSync(a)) problems.push(`${f}: built from source but not committed`);
    else if (!existsSync(b)) problems.push(`${f}: committed but not built from any source`);
    else if (!readFileSync(a).equals(readFileSync(b)))
      problems.push(`${f}: differs from its source build`);
  }
  return problems;
}

async function main(argv) {
  const rootIdx = argv.indexOf('--root');
  if (rootIdx >= 0) repoRoot = resolve(argv[rootIdx + 1] ?? fail('--root needs a directory'));
  const committed = join(repoRoot, 'public/modules');
  if (argv.includes('--check')) {
    const tmp = mkdtempSync(join(tmpdir(), 'quiver-modules-'));
    try {
      const ids = await buildModules(tmp);
      const problems = diffBuilds(tmp, committed);
      if (problems.length > 0) {
        console.error(
          `public/modules does not match its sources (run npm run build:modules):\n  ${problems
            .map((p) => `public/modules/${p}`)
            .join('\n  ')}`,
        );
        return 1;
      }
      console.log(`public/modules matches its sources (${ids.length} modules).`);
      return 0;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const outIdx = argv.indexOf('--out');
  const outDir =
    outIdx >= 0 ? resolve(argv[outIdx + 1] ?? fail('--out needs a directory')) : committed;
  const ids = await buildModules(outDir);
  for (const id of ids) {
    const size = statSync(join(outDir, `${id}.wasm`)).size;
    console.log(`${relative(repoRoot, join(outDir, `${id}.wasm`))}  ${size} bytes`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
