/**
 * esbuild bundles kept across processes (Node only). A bundle is written once under its content
 * digest, beside a record of every file it was built from (path, size in bytes, modification
 * time in ms); a later process whose entry and options are the same reuses it while every one
 * of those files is unchanged, so it neither runs esbuild (about 0.5 s and an esbuild worker
 * thread and service process, some 18 MiB) nor waits for it. Size and mtime, not hashes, as
 * for source files in `cache-identity.ts`: stat'ing the few hundred inputs takes milliseconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';

/** One file a bundle was built from, as it was then. */
export interface BundleInput {
  /** Absolute path. */
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** What is kept beside a bundle: where it is and what it was built from. */
interface BundleRecord {
  bundle: string;
  inputs: BundleInput[];
}

/**
 * The path of the bundle of `options` (one entry point, written nowhere by esbuild itself) in
 * `dir`, named `<name>-<digest>.mjs`: the bundle of an earlier process when none of its inputs
 * changed, else a new build. Throws esbuild's error when the entry does not build.
 */
export function cachedBundle(dir: string, name: string, options: BuildOptions): string {
  const key = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 16);
  const recordPath = join(dir, `${name}-${key}.json`);
  const record = readRecord(recordPath);
  if (record !== null && unchanged(record)) return record.bundle;
  const built = build(dir, name, options);
  writeAtomically(recordPath, JSON.stringify(built));
  return built.bundle;
}

/** Builds the bundle, writes it under its digest and lists its inputs. */
function build(dir: string, name: string, options: BuildOptions): BundleRecord {
  const workingDir = options.absWorkingDir ?? process.cwd();
  const result = buildSync({ ...options, absWorkingDir: workingDir, metafile: true, write: false });
  const code = result.outputFiles?.[0]?.contents;
  if (code === undefined) throw new Error(`esbuild produced no ${name} bundle`);
  const digest = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const bundle = join(dir, `${name}-${digest}.mjs`);
  if (!existsSync(bundle)) writeAtomically(bundle, code);
  const inputs: BundleInput[] = [];
  for (const input of Object.keys(result.metafile?.inputs ?? {})) {
    const path = resolve(workingDir, input);
    const stat = statOrNull(path);
    if (stat !== null) inputs.push({ path, sizeBytes: stat.size, mtimeMs: stat.mtimeMs });
  }
  return { bundle, inputs };
}

/** Whether the bundle is still there and every input has its recorded size and mtime. */
function unchanged(record: BundleRecord): boolean {
  if (!existsSync(record.bundle)) return false;
  return record.inputs.every((input) => {
    const stat = statOrNull(input.path);
    return stat !== null && stat.size === input.sizeBytes && stat.mtimeMs === input.mtimeMs;
  });
}

/** The record at `path`, or null when there is none or it does not parse. */
function readRecord(path: string): BundleRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as BundleRecord;
    return typeof record.bundle === 'string' && Array.isArray(record.inputs) ? record : null;
  } catch {
    return null;
  }
}

function statOrNull(path: string): { size: number; mtimeMs: number } | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Writes `data` to `path` through a temporary file and a rename, so readers never see half. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const dir = resolve(path, '..');
  mkdirSync(dir, { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}
