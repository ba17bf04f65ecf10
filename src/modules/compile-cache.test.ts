import { describe, expect, it } from 'vitest';
import { CompileCache, contentHash, moduleKey } from './compile-cache';

// The smallest valid module: magic and version only.
const EMPTY = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

describe('CompileCache', () => {
  it('compiles once per key, sharing concurrent requests', async () => {
    const cache = new CompileCache();
    let reads = 0;
    const bytes = () => {
      reads++;
      return EMPTY;
    };
    const key = moduleKey('filter', '1.0.0');
    const [a, b] = await Promise.all([cache.get(key, bytes), cache.get(key, bytes)]);
    const c = await cache.get(key, bytes);
    expect(a).toBeInstanceOf(WebAssembly.Module);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(reads).toBe(1);
    expect(await cache.get(moduleKey('filter', '1.0.1'), bytes)).not.toBe(a);
    expect(reads).toBe(2);
  });

  it('names the key on invalid bytes and does not cache the failure', async () => {
    const cache = new CompileCache();
    await expect(cache.get('broken@1.0.0', () => new Uint8Array([1, 2, 3]))).rejects.toThrow(
      /module broken@1\.0\.0: not a valid WebAssembly module/,
    );
    expect(cache.has('broken@1.0.0')).toBe(false);
    await expect(cache.get('broken@1.0.0', () => EMPTY)).resolves.toBeInstanceOf(
      WebAssembly.Module,
    );
  });
});

describe('contentHash', () => {
  it('is the SHA-256 of the bytes', async () => {
    const { createHash } = await import('node:crypto');
    expect(await contentHash(EMPTY)).toBe(createHash('sha256').update(EMPTY).digest('hex'));
  });
});
