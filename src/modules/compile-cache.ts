/**
 * Compile each module once: `WebAssembly.compile` is the slow part of starting a step, and a
 * compiled `WebAssembly.Module` can be posted to any number of workers, each of which makes
 * fresh instances of it. In a browser, compiling goes through Cache Storage
 * (`wasm-code-cache.ts`) so that V8's code cache also serves the next app start.
 */
import { compileWithCodeCache, hasCacheStorage } from './wasm-code-cache';

/** Compiles module bytes (rejects as `WebAssembly.compile` does). */
export type WasmCompiler = (bytes: Uint8Array) => Promise<WebAssembly.Module>;

/**
 * Modules this large or larger go through Cache Storage. Below it, hashing and storing cost
 * more than compiling (`bench/wasm-code-cache.ts`: a 186 KiB built-in compiles in 1-3 ms), and
 * V8 keeps no code cache for modules under 128 KiB anyway.
 */
export const CODE_CACHE_MIN_BYTES = 1024 * 1024;

/** Through Cache Storage where there is one (for large modules), else `WebAssembly.compile`. */
function defaultCompiler(): WasmCompiler {
  const plain: WasmCompiler = (bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  if (!hasCacheStorage()) return plain;
  return (bytes) =>
    bytes.length >= CODE_CACHE_MIN_BYTES ? compileWithCodeCache(bytes) : plain(bytes);
}

/** Lowercase hex SHA-256 of `bytes` (Web Crypto, present in browsers and Node 20+). */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The cache key of a built-in module: its id and manifest version. */
export function moduleKey(id: string, version: string): string {
  return `${id}@${version}`;
}

/**
 * A cache of compiled modules by key (`moduleKey(id, version)` for built-ins, `contentHash` for
 * user modules, whose version says nothing about their bytes). Concurrent requests for one key
 * share one compilation; a failed compilation is not cached, so a fixed file can be retried.
 */
export class CompileCache {
  readonly #entries = new Map<string, Promise<WebAssembly.Module>>();

  constructor(private readonly compile: WasmCompiler = defaultCompiler()) {}

  /**
   * The compiled module for `key`, compiling `await getBytes()` the first time. Rejects with an
   * error naming `key` if the bytes are not a valid module.
   */
  get(key: string, getBytes: () => Promise<Uint8Array> | Uint8Array): Promise<WebAssembly.Module> {
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const compiling = (async () => {
      const bytes = await getBytes();
      try {
        return await this.compile(bytes);
      } catch (e) {
        throw new Error(`module ${key}: not a valid WebAssembly module: ${(e as Error).message}`, {
          cause: e,
        });
      }
    })();
    this.#entries.set(key, compiling);
    compiling.catch(() => {
      if (this.#entries.get(key) === compiling) this.#entries.delete(key);
    });
    return compiling;
  }

  /** Whether `key` is cached or being compiled. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Forget one key (e.g. a user module replaced), or everything. */
  clear(key?: string): void {
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }
}
