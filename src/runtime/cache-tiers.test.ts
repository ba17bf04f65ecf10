import { describe, expect, it } from 'vitest';
import type { CacheEntryMeta } from './cache';
import { type CacheFiles, TieredStepCache } from './cache-tiers';

/** Cache files in a Map, counting reads, for tests. */
function memoryFiles(): CacheFiles & { files: Map<string, Uint8Array>; reads: number } {
  const files = new Map<string, Uint8Array>();
  const store = {
    files,
    reads: 0,
    list: async () => [...files.keys()],
    read: async (name: string) => {
      store.reads++;
      return files.get(name) ?? null;
    },
    write: async (name: string, parts: readonly Uint8Array[]) =>
      void files.set(name, new Uint8Array(parts.flatMap((p) => [...p]))),
    remove: async (name: string) => void files.delete(name),
  };
  return store;
}

/** An entry of `size` data bytes under fingerprint `fp` (16 hex digits). */
function entry(fp: string, size: number): [CacheEntryMeta, { out: Uint8Array[] }] {
  const meta: CacheEntryMeta = {
    fingerprint: fp,
    stepId: `step-${fp}`,
    rowsByPort: { out: 1 },
    bytesByPort: { out: size },
    ms: 7,
    preview: {},
    storedAtMs: 0,
    dataBytes: size,
  };
  // Two parts, as a run's tap stores them.
  const half = Math.floor(size / 2);
  const byte = fp.charCodeAt(15);
  return [meta, { out: [new Uint8Array(half).fill(byte), new Uint8Array(size - half).fill(byte)] }];
}

const fp = (n: number): string => n.toString(16).padStart(16, '0');
const budget = { memoryBytes: 1000, persistentBytes: 1000, maxEntryBytes: 1000 };

describe('TieredStepCache', () => {
  it('reads back every entry after a reopen, data from the store', async () => {
    const files = memoryFiles();
    const first = new TieredStepCache(budget, files);
    await first.store(...entry(fp(1), 300));
    const reopened = new TieredStepCache(budget, files);
    expect((await reopened.lookup(fp(1)))?.ms).toBe(7);
    expect((await reopened.data(fp(1)))?.out).toEqual([new Uint8Array(300).fill(49)]);
    expect(await reopened.lookup(fp(2))).toBeNull();
  });

  it('forgets an entry whose write was cut before its meta was written, and removes its files', async () => {
    const files = memoryFiles();
    const first = new TieredStepCache(budget, files);
    await first.store(...entry(fp(1), 300));
    // The tab closed after the data of entry 2 was written, before its meta.
    files.files.set(`${fp(2)}.out.arrows`, new Uint8Array(300));
    // Entry 3's meta was created (empty, as OPFS creates a file) but never written.
    files.files.set(`${fp(3)}.out.arrows`, new Uint8Array(300));
    files.files.set(`${fp(3)}.json`, new Uint8Array(0));
    const reopened = new TieredStepCache(budget, files);
    expect(await reopened.lookup(fp(2))).toBeNull();
    expect(await reopened.lookup(fp(3))).toBeNull();
    expect([...files.files.keys()].sort()).toEqual([`${fp(1)}.json`, `${fp(1)}.out.arrows`]);
    expect((await reopened.data(fp(1)))?.out).toEqual([new Uint8Array(300).fill(49)]);
  });

  it('evicts the least recently used beyond the persistent budget', async () => {
    const files = memoryFiles();
    const cache = new TieredStepCache(budget, files);
    await cache.store(...entry(fp(1), 400));
    await cache.store(...entry(fp(2), 400));
    await cache.lookup(fp(1)); // 1 is now more recent than 2
    await cache.store(...entry(fp(3), 400));
    expect(await cache.lookup(fp(2))).toBeNull();
    expect(await cache.lookup(fp(1))).not.toBeNull();
    expect([...files.files.keys()].some((n) => n.startsWith(fp(2)))).toBe(false);
    expect((await cache.stats()).bytes).toBe(800);
    // Recency survives a reopen: the next eviction takes 3, not 1.
    await cache.lookup(fp(3));
    await cache.lookup(fp(1));
    await cache.flush();
    const reopened = new TieredStepCache(budget, files);
    await reopened.store(...entry(fp(4), 400));
    expect(await reopened.lookup(fp(3))).toBeNull();
    expect(await reopened.lookup(fp(1))).not.toBeNull();
  });

  it('keeps recent data in memory and reads evicted data back from the store', async () => {
    const files = memoryFiles();
    const cache = new TieredStepCache({ ...budget, memoryBytes: 500 }, files);
    await cache.store(...entry(fp(1), 400));
    await cache.store(...entry(fp(2), 400));
    files.reads = 0;
    await cache.data(fp(2));
    expect(files.reads).toBe(0);
    expect((await cache.data(fp(1)))?.out?.[0]?.byteLength).toBe(400);
    expect(files.reads).toBe(1);
  });

  it('keeps an entry without data as meta only, and clears everything', async () => {
    const files = memoryFiles();
    const cache = new TieredStepCache(budget, files);
    const [meta] = entry(fp(5), 0);
    await cache.store({ ...meta, dataBytes: null }, null);
    expect(await cache.lookup(fp(5))).not.toBeNull();
    expect(await cache.data(fp(5))).toBeNull();
    await cache.clear();
    expect(await cache.lookup(fp(5))).toBeNull();
    expect(files.files.size).toBe(0);
  });

  it('without a store, forgets data beyond the memory budget but keeps the meta', async () => {
    const cache = new TieredStepCache({ ...budget, memoryBytes: 500 }, null);
    await cache.store(...entry(fp(1), 400));
    await cache.store(...entry(fp(2), 400));
    expect(await cache.data(fp(1))).toBeNull();
    expect(await cache.lookup(fp(1))).not.toBeNull();
  });
});
