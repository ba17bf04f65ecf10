/**
 * A {@link StepCache} in two tiers: the data of recently used entries in memory (for the
 * session), every entry in a persistent store of files (OPFS in the editor, a directory in the
 * CLI; the file access is injected, see `src/storage/cache-*.ts`). Each tier has a byte budget
 * over the entries' data and evicts the least recently used beyond it; an entry evicted from
 * memory is read back from the store when next replayed. Recency is kept per session and
 * persisted with the meta on each hit (`usedAtMs`), so eviction after a reload still follows
 * use, not creation.
 *
 * Store layout (names are fingerprints, 16 hex digits): `<fp>.json` the entry's meta and the
 * ports whose data it holds; `<fp>.<port>.arrows` each port's Arrow IPC stream. Data is written
 * before its meta, so a meta never names data that was not written; each file is written
 * whole or not at all (`CacheFiles.write`; OPFS may leave a new file empty). A write cut short
 * (the tab closed right after a run) thus leaves no entry, only data files without a meta (or
 * an empty meta, unreadable), removed at the next opening: a lost entry just means the step
 * runs again.
 */
import type { CacheEntryMeta, CachedPorts, StepCache } from './cache';
import { headBytes, wholeMessages } from './cache-head';

/** Files of the persistent tier, flat in one directory; names are plain ASCII. */
export interface CacheFiles {
  /** Every file name. */
  list(): Promise<string[]>;
  /** A file's bytes, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /** A file's first `bytes` bytes (fewer at its end), or null when it does not exist. */
  readHead?(name: string, bytes: number): Promise<Uint8Array | null>;
  /**
   * Creates or replaces a file whose bytes are `parts` joined (written in turn, never joined in
   * memory), atomically: a reader, or a page closed mid-write, sees the whole file or none.
   */
  write(name: string, parts: readonly Uint8Array[]): Promise<void>;
  /** Removes a file; no error when it does not exist. */
  remove(name: string): Promise<void>;
}

/** Sizes of a {@link TieredStepCache}, in bytes. */
export interface CacheBudget {
  /** Data kept in memory. */
  memoryBytes: number;
  /** Data kept in the persistent store. */
  persistentBytes: number;
  /** Data of one entry; a bigger output keeps its meta only. */
  maxEntryBytes: number;
}

/** What the cache holds, for the storage figures. */
export interface CacheStats {
  entries: number;
  /** Data bytes in the persistent store (or in memory without one). */
  bytes: number;
  budgetBytes: number;
  memoryBytes: number;
}

interface StoredMeta extends CacheEntryMeta {
  /** Last lookup, ms since the Unix epoch. */
  usedAtMs?: number;
  /** Ports whose data files exist. */
  ports?: string[];
}

/** The two-tier cache (see the file comment). */
export class TieredStepCache implements StepCache {
  readonly maxEntryBytes: number;
  /** Every entry's meta, least recently used first. */
  private readonly index = new Map<string, StoredMeta>();
  /** Data in memory, least recently used first. */
  private readonly memory = new Map<string, CachedPorts>();
  private memoryUsed = 0;
  private readonly opened: Promise<void>;
  private readonly pending = new Set<Promise<void>>();
  /** The last use stamped, so two uses in one millisecond still have an order. */
  private lastUseMs = 0;
  /** The persistent store, once open. */
  private files: CacheFiles | null = null;

  /**
   * @param files the persistent store (or its opening), or null for memory only; a store that
   *   fails to open leaves memory only.
   * @param writeBehind resolve `store` once the entry is in memory (the editor), rather than
   *   once it is written (the CLI, which exits after the run); {@link flush} waits for writes.
   * @param onError told about a store that failed (the entry stays in memory).
   */
  constructor(
    private readonly budget: CacheBudget,
    files: CacheFiles | null | Promise<CacheFiles | null>,
    private readonly writeBehind = false,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.maxEntryBytes = budget.maxEntryBytes;
    this.opened = this.load(files);
  }

  /** Sets the persistent budget (e.g. once the storage quota is known), evicting beyond it. */
  async setPersistentBudget(bytes: number): Promise<void> {
    await this.opened;
    this.budget.persistentBytes = bytes;
    await this.evictPersistent();
  }

  async lookup(fingerprint: string): Promise<CacheEntryMeta | null> {
    await this.opened;
    const meta = this.index.get(fingerprint);
    if (!meta) return null;
    this.index.delete(fingerprint);
    this.index.set(fingerprint, meta);
    meta.usedAtMs = this.useStamp();
    if (this.files) this.track(this.writeMeta(meta));
    return meta;
  }

  async data(fingerprint: string, headRows?: number): Promise<CachedPorts | null> {
    await this.opened;
    const inMemory = this.memory.get(fingerprint);
    if (inMemory) {
      this.memory.delete(fingerprint);
      this.memory.set(fingerprint, inMemory);
      return inMemory;
    }
    const meta = this.index.get(fingerprint);
    if (!meta || meta.dataBytes === null || !this.files) return null;
    try {
      const data: CachedPorts = {};
      let whole = true;
      for (const port of meta.ports ?? []) {
        const head = headRows === undefined ? null : await this.readHead(meta, port, headRows);
        const bytes = head ?? (await this.files.read(dataFile(fingerprint, port)));
        if (bytes === null) return null;
        whole &&= head === null;
        data[port] = [bytes];
      }
      // A head is this read's alone: the entry's data in memory is whole.
      if (whole) this.keepInMemory(fingerprint, data, meta.dataBytes);
      return data;
    } catch (error) {
      this.onError(error);
      return null;
    }
  }

  async store(meta: CacheEntryMeta, data: CachedPorts | null): Promise<void> {
    await this.opened;
    const kept: StoredMeta = { ...meta, usedAtMs: this.useStamp(), ports: Object.keys(data ?? {}) };
    this.index.delete(meta.fingerprint);
    this.index.set(meta.fingerprint, kept);
    if (data !== null && meta.dataBytes !== null)
      this.keepInMemory(meta.fingerprint, data, meta.dataBytes);
    if (!this.files) {
      this.evictPersistent();
      return;
    }
    const write = this.persist(kept, data);
    this.track(write);
    if (!this.writeBehind) await write;
  }

  /** Waits for every write begun so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Entries, bytes and budget. */
  async stats(): Promise<CacheStats> {
    await this.opened;
    let bytes = 0;
    for (const meta of this.index.values()) bytes += meta.dataBytes ?? 0;
    return {
      entries: this.index.size,
      bytes,
      budgetBytes: this.budget.persistentBytes,
      memoryBytes: this.memoryUsed,
    };
  }

  /** Forgets every entry, in memory and in the store. */
  async clear(): Promise<void> {
    await this.opened;
    await this.flush();
    this.index.clear();
    this.memory.clear();
    this.memoryUsed = 0;
    if (this.files) {
      const files = this.files;
      const names = await files.list();
      await Promise.all(names.filter((n) => isEntryFile(n)).map((n) => files.remove(n)));
    }
  }

  private async load(opening: CacheFiles | null | Promise<CacheFiles | null>): Promise<void> {
    try {
      const files = await opening;
      this.files = files;
      if (!files) return;
      const all = await files.list();
      const names = all.filter((n) => n.endsWith('.json'));
      const read = await Promise.all(
        names.map(async (name) => [name, await files.read(name)] as const),
      );
      const metas: StoredMeta[] = [];
      for (const [name, bytes] of read) {
        if (bytes === null) continue;
        try {
          metas.push(JSON.parse(new TextDecoder().decode(bytes)) as StoredMeta);
        } catch {
          await files.remove(name);
        }
      }
      metas.sort((a, b) => (a.usedAtMs ?? a.storedAtMs) - (b.usedAtMs ?? b.storedAtMs));
      for (const meta of metas) this.index.set(meta.fingerprint, meta);
      this.lastUseMs = Math.max(0, ...metas.map((m) => m.usedAtMs ?? m.storedAtMs));
      await this.removeOrphans(files, all);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Removes data files no meta names (their entry's write was cut short before its meta). */
  private async removeOrphans(files: CacheFiles, names: readonly string[]): Promise<void> {
    const orphans = names.filter((n) => {
      const match = /^([0-9a-f]{16})\.[^.]+\.arrows$/.exec(n);
      return (
        match !== null &&
        !this.index.get(match[1]!)?.ports?.some((p) => dataFile(match[1]!, p) === n)
      );
    });
    await Promise.all(orphans.map((n) => files.remove(n)));
  }

  private async persist(meta: StoredMeta, data: CachedPorts | null): Promise<void> {
    const files = this.files!;
    try {
      for (const [port, bytes] of Object.entries(data ?? {}))
        await files.write(dataFile(meta.fingerprint, port), bytes);
      await this.writeMeta(meta);
      await this.evictPersistent();
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * The whole messages of the head of `port`'s file that hold its first `headRows` rows, or
   * null to read the file whole (the store reads no heads, the port is small, or the head read
   * held no record batch).
   */
  private async readHead(
    meta: StoredMeta,
    port: string,
    headRows: number,
  ): Promise<Uint8Array | null> {
    const files = this.files;
    const total = meta.bytesByPort[port];
    const bytes =
      total === undefined ? null : headBytes(total, meta.rowsByPort[port] ?? 0, headRows);
    if (!files?.readHead || bytes === null) return null;
    const head = await files.readHead(dataFile(meta.fingerprint, port), bytes);
    return head === null ? null : wholeMessages(head);
  }

  private async writeMeta(meta: StoredMeta): Promise<void> {
    try {
      const json = new TextEncoder().encode(JSON.stringify(meta));
      await this.files!.write(`${meta.fingerprint}.json`, [json]);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Drops the least recently used entries while the store is over budget. */
  private async evictPersistent(): Promise<void> {
    let total = 0;
    for (const meta of this.index.values()) total += meta.dataBytes ?? 0;
    for (const [fingerprint, meta] of this.index) {
      if (total <= this.budget.persistentBytes) break;
      total -= meta.dataBytes ?? 0;
      this.index.delete(fingerprint);
      this.dropFromMemory(fingerprint);
      if (this.files) {
        await this.files.remove(`${fingerprint}.json`);
        for (const port of meta.ports ?? []) await this.files.remove(dataFile(fingerprint, port));
      }
    }
  }

  private keepInMemory(fingerprint: string, data: CachedPorts, bytes: number): void {
    if (bytes > this.budget.memoryBytes) return;
    this.dropFromMemory(fingerprint);
    this.memory.set(fingerprint, data);
    this.memoryUsed += bytes;
    for (const [fp] of this.memory) {
      if (this.memoryUsed <= this.budget.memoryBytes) break;
      this.dropFromMemory(fp);
    }
  }

  private dropFromMemory(fingerprint: string): void {
    const data = this.memory.get(fingerprint);
    if (!data) return;
    this.memory.delete(fingerprint);
    for (const parts of Object.values(data))
      for (const part of parts) this.memoryUsed -= part.byteLength;
  }

  /** Now in ms since the epoch, later than every stamp before. */
  private useStamp(): number {
    this.lastUseMs = Math.max(Date.now(), this.lastUseMs + 1);
    return this.lastUseMs;
  }

  private track(write: Promise<void>): void {
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }
}

/** The file of one port's data. */
function dataFile(fingerprint: string, port: string): string {
  return `${fingerprint}.${encodeURIComponent(port)}.arrows`;
}

/** Whether `name` is one of the cache's files (`<16 hex>.json` or `<16 hex>.<port>.arrows`). */
function isEntryFile(name: string): boolean {
  return /^[0-9a-f]{16}\.(json|[^.]+\.arrows)$/.test(name);
}
