/**
 * The step-output cache as the runtime sees it: each step's output is kept under the step's
 * fingerprint (`src/pipeline/fingerprint.ts`, with the identities of `cache-identity.ts`), so a
 * run re-executes only steps whose fingerprint changed and their downstream. The runtime never
 * knows where entries live: a {@link StepCache} is injected through `RunOptions.cache` (the
 * tiers in `cache-tiers.ts` over a backend from `src/storage/`: OPFS in the editor, a directory
 * in the CLI).
 *
 * What is kept: a finished step's counts, time and preview ({@link CacheEntryMeta}) and, when
 * it fits, each output port's whole data as one Arrow IPC stream (in parts, {@link CachedPorts}).
 * Entries are stored after the run's end (`RunResult.stored`), never delaying its results. Never kept: a failed step, a
 * step stopped early by its consumers (a satisfied limit upstream stop: the tap's end says
 * `partial`), a step whose output differs on every run (real clock or random, `/data`).
 * A port of raw bytes (a CSV source) keeps its counts but not its data: re-reading the file
 * costs what replaying it would, and the cache would hold a second copy of the file.
 */
import type { PortPreview } from './protocol';

/** Counts, time and preview of a cached step output; small, read on every lookup. */
export interface CacheEntryMeta {
  /** `stepFingerprints(doc, identities)[stepId]` when it ran. */
  fingerprint: string;
  /** The step that produced it (informational: any step with the fingerprint may use it). */
  stepId: string;
  rowsByPort: Record<string, number>;
  bytesByPort: Record<string, number>;
  /** Wall-clock milliseconds of the run that produced it. */
  ms: number;
  preview: Record<string, PortPreview>;
  /** When it was stored, ms since the Unix epoch. */
  storedAtMs: number;
  /** Bytes of its data, or null when only the meta is kept (it cannot be replayed). */
  dataBytes: number | null;
}

/**
 * Each output port's data, as the parts of one Arrow IPC stream (schema, dictionaries,
 * batches, end marker): their concatenation is the stream. Kept as parts, the messages a run's
 * tap received, so that storing an output never joins (copies) it; read back from a file, a
 * port is one part.
 */
export type CachedPorts = Record<string, readonly Uint8Array[]>;

/** Where step outputs are kept; implementations decide tiers, budget and eviction. */
export interface StepCache {
  /** The meta of `fingerprint`, or null when not cached. Never rejects (a miss instead). */
  lookup(fingerprint: string): Promise<CacheEntryMeta | null>;
  /**
   * The data of `fingerprint`, or null when it is not (or no longer) kept. Never rejects. With
   * `headRows`, the caller reads no further than the whole record batches within each port's
   * first `headRows` rows: a port may then hold only a head of its stream (those messages at
   * least, no end marker), which is not kept as the entry's data.
   */
  data(fingerprint: string, headRows?: number): Promise<CachedPorts | null>;
  /**
   * Keeps an entry (data null: the meta alone). May resolve before a persistent copy is
   * written; failures to persist are the implementation's to report, never the run's.
   */
  store(meta: CacheEntryMeta, data: CachedPorts | null): Promise<void>;
  /** Most bytes of data one entry may hold; a bigger output keeps its meta only. */
  readonly maxEntryBytes: number;
}
