/**
 * Compile each module once: `WebAssembly.compile` is the slow part of starting a step, and a
 * compiled `WebAssembly.Module` can be posted to any number of workers, each of which makes
 * fresh instances of it.
 */

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
        return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
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
