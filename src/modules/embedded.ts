/**
 * Modules carried inside a pipeline document (an export "with modules"), so that a pipeline
 * shared with someone runs for them without the modules' files. Each is the `.wasm` in base64
 * (RFC 4648 §4, the standard alphabet with `=` padding) and its manifest as an object; the
 * sha256 is that of the `.wasm` bytes, the same the steps pin.
 *
 * The shape lives here (like `GrantedPermissions`) so that `src/pipeline` can use it without
 * `src/modules` knowing of documents.
 */
import { readModulePackage, type ModulePackage } from './package';

/** One module inside a document's `modules` list. */
export interface EmbeddedModule {
  /** The manifest object, as `<id>.json` holds it. */
  manifest: Record<string, unknown>;
  /** SHA-256 of the `.wasm` bytes, lowercase hex. */
  sha256: string;
  /** The `.wasm` bytes in base64. */
  wasmBase64: string;
}

/** A module read back from a document: checked package and its bytes. */
export interface UnpackedModule {
  pkg: ModulePackage;
  wasm: Uint8Array<ArrayBuffer>;
}

/** Base64 of `bytes` (browsers and Node alike; 32 KiB chunks keep `fromCharCode` in bounds). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of base64 `text`; throws naming `what` when it is not base64. */
export function fromBase64(text: string, what: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error(`${what}: not base64`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The document entry for a module's bytes and manifest. */
export function embedModule(
  manifest: Record<string, unknown>,
  sha256: string,
  wasm: Uint8Array,
): EmbeddedModule {
  return { manifest, sha256, wasmBase64: toBase64(wasm) };
}

/**
 * Read an embedded module as an installed one would be read (`readModulePackage`), and check
 * that its bytes have the sha256 it claims. Throws naming `where` (e.g. `modules[0]`) and the
 * module on any problem; mismatches are left in `pkg.mismatches` for the caller to refuse.
 */
export async function unpackEmbedded(
  entry: EmbeddedModule,
  where: string,
): Promise<UnpackedModule> {
  const id = typeof entry.manifest.id === 'string' ? entry.manifest.id : '?';
  const wasm = fromBase64(entry.wasmBase64, `${where} (${id}).wasmBase64`);
  const pkg = await readModulePackage(wasm, {
    manifestText: JSON.stringify(entry.manifest),
    wasmFileName: `${where} (${id}).wasm`,
    manifestFileName: `${where} (${id}).manifest`,
  });
  if (pkg.sha256 !== entry.sha256) {
    throw new Error(
      `${where} (${id}): the embedded .wasm has sha256 ${pkg.sha256}, not ${entry.sha256} as recorded`,
    );
  }
  return { pkg, wasm };
}
