/**
 * A module package as the host reads it before installing or running it: the `.wasm` bytes and
 * its manifest (a separate `<id>.json`, or embedded in the binary's `quiver.manifest` custom
 * section, `modules/sdk/ABI.md` §12), the sha256 that pins it, and what the binary really
 * imports and exports against what its manifest asks for.
 *
 * Used by the editor's install card, the CLI's `--modules` and `quiver module embed`. Works in
 * browsers and Node 20 alike (WebCrypto, `WebAssembly.Module`).
 */
import { checkManifest, ManifestError } from './catalog';
import { grantsRequestedBy, inspectImports, WASI_MODULE } from './imports';
import { REACTOR_EXPORTS, type ModuleManifest } from './manifest';

/** Name of the custom section holding a module's manifest as UTF-8 JSON (ABI.md §12). */
export const MANIFEST_SECTION = 'quiver.manifest';

/** The package's bytes are not a WebAssembly module, or its embedded manifest is unusable. */
export class PackageError extends Error {
  override name = 'PackageError';
  constructor(
    message: string,
    /** The file the problem is in, e.g. `scale.wasm`. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * One disagreement between the binary and its manifest. `error`s refuse the install (and the
 * run); `warning`s are shown on the install card only.
 */
export interface PackageMismatch {
  severity: 'error' | 'warning';
  /**
   * - `import`: an import no permission the manifest asks for could cover (named in `subject`,
   *   `"module"."name"`);
   * - `permission`: a permission asked for whose imports the binary never uses (`subject` is
   *   the permission);
   * - `export`: an export the manifest's ABI requires is missing (`subject` is its name).
   */
  kind: 'import' | 'permission' | 'export';
  subject: string;
  /** A sentence naming the subject, e.g. `import "env"."f" is outside wasi_snapshot_preview1…`. */
  message: string;
}

/** A read, checked module package. */
export interface ModulePackage {
  manifest: ModuleManifest;
  /** Where the manifest came from: the `.json` given, or the binary's custom section. */
  manifestSource: 'file' | 'embedded';
  /** SHA-256 of the `.wasm` bytes exactly as given, lowercase hex (64 characters). */
  sha256: string;
  sizeBytes: number;
  /** `WebAssembly.Module.imports`, in the binary's order. */
  imports: WebAssembly.ModuleImportDescriptor[];
  /** `WebAssembly.Module.exports`, in the binary's order. */
  exports: WebAssembly.ModuleExportDescriptor[];
  /** Problems first (`error`), then `warning`s; empty when binary and manifest agree. */
  mismatches: PackageMismatch[];
}

/** Options of {@link readModulePackage}. */
export interface ReadPackageOptions {
  /** The manifest's JSON text; when absent it is read from the `quiver.manifest` section. */
  manifestText?: string;
  /** Names used in error messages; defaults `module.wasm` and `manifest`. */
  wasmFileName?: string;
  /** When it ends in `.json`, the manifest's `id` must match it (`<id>.json`). */
  manifestFileName?: string;
}

/**
 * Read a module package: compile `wasm` (never instantiated: nothing of it runs), take its
 * manifest, hash it and compare imports and exports with the manifest.
 *
 * Throws {@link PackageError} when `wasm` is not WebAssembly or holds no / several / non-UTF-8
 * manifest sections (and none was given), and {@link ManifestError} (file and field named) when
 * the manifest is not valid JSON or not a valid manifest. Mismatches do not throw: they are in
 * `mismatches`; see {@link packageRefusal}.
 */
export async function readModulePackage(
  wasm: Uint8Array,
  options: ReadPackageOptions = {},
): Promise<ModulePackage> {
  const wasmFileName = options.wasmFileName ?? 'module.wasm';
  const bytes = new Uint8Array(wasm); // a private copy: hashing and compiling see the same bytes
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    throw new PackageError(
      `${wasmFileName}: not a WebAssembly module: ${(e as Error).message}`,
      wasmFileName,
    );
  }
  const embedded = options.manifestText === undefined;
  const manifestFileName = embedded
    ? `${wasmFileName} (section ${MANIFEST_SECTION})`
    : (options.manifestFileName ?? 'manifest');
  const text = embedded ? embeddedManifestText(module, wasmFileName) : options.manifestText!;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ManifestError(
      `${manifestFileName}: invalid JSON: ${(e as Error).message}`,
      manifestFileName,
    );
  }
  const { manifest } = checkManifest(value, manifestFileName);
  if (manifest.kind === 'host') {
    throw new ManifestError(
      `${manifestFileName}: kind: "host" is for steps the app implements itself, not a .wasm`,
      manifestFileName,
      [{ pointer: '/kind', message: 'a package cannot be a host step' }],
    );
  }
  const imports = WebAssembly.Module.imports(module);
  const exports = WebAssembly.Module.exports(module);
  return {
    manifest,
    manifestSource: embedded ? 'embedded' : 'file',
    sha256: await sha256Hex(bytes),
    sizeBytes: bytes.byteLength,
    imports,
    exports,
    mismatches: findMismatches(module, manifest, imports, exports),
  };
}

/**
 * The refusal of a package with `error` mismatches, one line per error naming what is wrong,
 * or null when it may be installed.
 */
export function packageRefusal(pkg: ModulePackage): string | null {
  const errors = pkg.mismatches.filter((m) => m.severity === 'error');
  if (errors.length === 0) return null;
  return `${pkg.manifest.id} ${pkg.manifest.version}: refused: ${errors.map((e) => e.message).join('; ')}`;
}

/** SHA-256 of `bytes` as lowercase hex (WebCrypto; browsers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function embeddedManifestText(module: WebAssembly.Module, wasmFileName: string): string {
  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  if (sections.length !== 1) {
    throw new PackageError(
      sections.length === 0
        ? `${wasmFileName}: no manifest: give its .json, or embed it with \`npx quiver module embed ${wasmFileName} <manifest.json>\``
        : `${wasmFileName}: ${sections.length} "${MANIFEST_SECTION}" sections; a module has one`,
      wasmFileName,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(sections[0]);
  } catch {
    throw new PackageError(
      `${wasmFileName}: section "${MANIFEST_SECTION}" is not UTF-8 text`,
      wasmFileName,
    );
  }
}

/** WASI functions that only a permission unlocks, by permission (see `imports.ts`). */
const PERMISSION_IMPORTS = {
  clock: ['clock_time_get', 'clock_res_get', 'poll_oneoff'],
  random: ['random_get'],
} as const;

function findMismatches(
  module: WebAssembly.Module,
  manifest: ModuleManifest,
  imports: readonly WebAssembly.ModuleImportDescriptor[],
  exports: readonly WebAssembly.ModuleExportDescriptor[],
): PackageMismatch[] {
  const out: PackageMismatch[] = [];
  // The most a step could be granted is what the manifest asks for: an import refused even then
  // can never run.
  const inspection = inspectImports(module, grantsRequestedBy(manifest.permissions));
  if (!inspection.ok) {
    for (const r of inspection.refused) {
      const subject = `"${r.module}"."${r.name}"`;
      const reason = r.reason.replace(
        /, which was not granted$/,
        ', which the manifest does not ask for',
      );
      out.push({
        severity: 'error',
        kind: 'import',
        subject,
        message: `import ${subject} ${reason}`,
      });
    }
  }
  const required = manifest.abi === 2 ? ['memory', ...REACTOR_EXPORTS] : ['_start'];
  const exported = new Set(exports.map((e) => e.name));
  for (const name of required.filter((n) => !exported.has(n))) {
    out.push({
      severity: 'error',
      kind: 'export',
      subject: name,
      message: `export "${name}" is missing, and ABI ${manifest.abi} requires it`,
    });
  }
  const imported = new Set(imports.filter((i) => i.module === WASI_MODULE).map((i) => i.name));
  for (const permission of ['clock', 'random'] as const) {
    if (
      manifest.permissions[permission] &&
      !PERMISSION_IMPORTS[permission].some((n) => imported.has(n))
    ) {
      out.push({
        severity: 'warning',
        kind: 'permission',
        subject: permission,
        message: `asks for ${permission}, but the binary imports none of ${PERMISSION_IMPORTS[permission].join(', ')}`,
      });
    }
  }
  return out;
}

/** Unsigned LEB128 (WebAssembly core spec, binary format, §5.2.2 Integers). */
function uleb128(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

function readUleb(bytes: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (let p = pos; p < bytes.length && shift < 35; p++) {
    const byte = bytes[p]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next: p + 1 };
  }
  throw new Error(`truncated LEB128 at byte ${pos}`);
}

const CUSTOM_SECTION_ID = 0;
const HEADER_BYTES = 8; // magic "\0asm" and version 1

/**
 * A copy of `wasm` with `manifestJson` in a `quiver.manifest` custom section at its end; any
 * previous `quiver.manifest` section is dropped, every other byte is kept in order.
 *
 * Format (WebAssembly core spec, "Binary Format" › "Modules" › "Custom Section",
 * https://webassembly.github.io/spec/core/binary/modules.html#custom-section): section id `0`,
 * the section's size as unsigned LEB128, then its name as a vector of UTF-8 bytes (LEB128 length,
 * bytes), then the contents. Custom sections may appear anywhere and engines ignore their
 * contents, so the module runs exactly as before. Throws when `wasm` is not a module's bytes.
 */
export function embedManifest(wasm: Uint8Array, manifestJson: string): Uint8Array<ArrayBuffer> {
  const kept = sectionsExcept(wasm, MANIFEST_SECTION);
  const encoder = new TextEncoder();
  const name = encoder.encode(MANIFEST_SECTION);
  const body = [...uleb128(name.length), ...name, ...encoder.encode(manifestJson)];
  const section = [CUSTOM_SECTION_ID, ...uleb128(body.length), ...body];
  const out = new Uint8Array(kept.length + section.length);
  out.set(kept, 0);
  out.set(section, kept.length);
  return out;
}

/** `wasm` without its custom sections called `dropName`. */
function sectionsExcept(wasm: Uint8Array, dropName: string): Uint8Array {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (wasm.length < HEADER_BYTES || magic.some((b, i) => wasm[i] !== b)) {
    throw new Error('not a WebAssembly module (no "\\0asm" version 1 header)');
  }
  const parts: Uint8Array[] = [wasm.subarray(0, HEADER_BYTES)];
  let pos = HEADER_BYTES;
  while (pos < wasm.length) {
    const id = wasm[pos]!;
    const size = readUleb(wasm, pos + 1);
    const end = size.next + size.value;
    if (end > wasm.length) throw new Error(`section at byte ${pos} runs past the end of the file`);
    if (!(id === CUSTOM_SECTION_ID && customName(wasm, size.next) === dropName)) {
      parts.push(wasm.subarray(pos, end));
    }
    pos = end;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function customName(wasm: Uint8Array, pos: number): string {
  const len = readUleb(wasm, pos);
  return new TextDecoder().decode(wasm.subarray(len.next, len.next + len.value));
}
