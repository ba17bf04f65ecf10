/**
 * Compiling a module so that the next app start can skip the work: Chromium keeps V8's
 * compiled machine code beside a response in Cache Storage when the module is compiled with
 * `WebAssembly.compileStreaming` from that response (its "code cache", for modules over
 * ~128 kB once they have tiered up). The bytes — already rewritten for the step's memory cap —
 * are stored under a URL named by their sha256, so a URL always means the same bytes and a
 * changed module gets a new entry. Where Cache Storage is missing (Node, the CLI) or refuses
 * (private mode, quota), it compiles the bytes directly.
 */
import { contentHash } from './compile-cache';

/** The Cache Storage cache holding module bytes for V8's code cache. */
export const WASM_CODE_CACHE = 'quiver-wasm-code-v1';
/** Entries kept: the oldest are dropped beyond this (each is one module at one memory cap). */
const MAX_ENTRIES = 64;

/** Whether this realm has Cache Storage (browser pages and workers on a secure origin). */
export function hasCacheStorage(): boolean {
  return typeof caches !== 'undefined' && typeof WebAssembly.compileStreaming === 'function';
}

/**
 * `WebAssembly.compile(bytes)`, through Cache Storage (see the file comment). Rejects as
 * `WebAssembly.compile` does when the bytes are not a valid module.
 */
export async function compileWithCodeCache(bytes: Uint8Array): Promise<WebAssembly.Module> {
  let cache: Cache;
  let url: string;
  try {
    cache = await caches.open(WASM_CODE_CACHE);
    url = new URL(`wasm-code/${await contentHash(bytes)}.wasm`, self.location.href).href;
  } catch {
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  let response = await cache.match(url).catch(() => undefined);
  if (!response) {
    const stored = await cache
      .put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: WASM_HEADERS }))
      .then(() => true)
      .catch(() => false);
    if (!stored) return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    void trim(cache);
    response = await cache.match(url);
    if (!response) return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  try {
    return await WebAssembly.compileStreaming(response);
  } catch {
    // Not a module (or an entry damaged): forget it, and let plain compile give the error.
    await cache.delete(url).catch(() => false);
    return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
}

const WASM_HEADERS = { 'Content-Type': 'application/wasm' };

/** Drops the oldest entries beyond {@link MAX_ENTRIES} (keys come back in insertion order). */
async function trim(cache: Cache): Promise<void> {
  try {
    const keys = await cache.keys();
    await Promise.all(
      keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES)).map((k) => cache.delete(k)),
    );
  } catch {
    // A cache we cannot list stays as it is; the browser evicts it under storage pressure.
  }
}
