/**
 * Persistence in IndexedDB (via `idb`): saved pipelines, the id of the last one opened, files
 * the user dropped (so a source step keeps working after a reload), and installed modules.
 *
 * Database `quiver`, version 2:
 * - `pipelines`: key = document id, value = {@link SavedPipeline}
 * - `files`:     key = file id, value = {@link StoredFile} (the bytes as a Blob)
 * - `meta`:      key = name, value = anything small (`lastPipelineId`)
 * - `modules`:   key = module id, value = {@link InstalledModule} (since version 2)
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ModuleManifest } from '../modules/manifest';
import type { PipelineDocument } from '../pipeline/types';

/** A pipeline as stored, with its save time. */
export interface SavedPipeline {
  doc: PipelineDocument;
  /** Milliseconds since the Unix epoch. */
  savedAtMs: number;
}

/** A user file kept for source steps, addressed by URI `file:<id>`. */
export interface StoredFile {
  id: string;
  name: string;
  type: string;
  blob: Blob;
  sizeBytes: number;
}

/**
 * A module the user installed: its manifest and `.wasm` bytes as accepted on the install card.
 * The bytes are kept as given (their sha256 is what steps pin); nothing here is trusted again
 * without reading the package anew (`readModulePackage`) when the app starts.
 */
export interface InstalledModule {
  /** The manifest's id, also the key. */
  id: string;
  manifest: ModuleManifest;
  /** SHA-256 of `wasm`, lowercase hex. */
  sha256: string;
  wasm: ArrayBuffer;
  sizeBytes: number;
  /** When the user accepted it, in milliseconds since the Unix epoch. */
  installedAtMs: number;
}

interface QuiverDB extends DBSchema {
  pipelines: { key: string; value: SavedPipeline };
  files: { key: string; value: StoredFile };
  meta: { key: string; value: unknown };
  modules: { key: string; value: InstalledModule };
}

type StoreName = 'pipelines' | 'files' | 'meta' | 'modules';

const DB_NAME = 'quiver';
const DB_VERSION = 2;

/**
 * The stores each database version adds, in order: a browser holding version `n` gets the
 * steps after `n` (a fresh one gets all). Never edit a step that shipped; append one.
 */
export const DB_UPGRADES: readonly { version: number; stores: readonly StoreName[] }[] = [
  { version: 1, stores: ['pipelines', 'files', 'meta'] },
  { version: 2, stores: ['modules'] },
];

/** The stores to create when a database of `oldVersion` (0: none) opens at `DB_VERSION`. */
export function storesToCreate(oldVersion: number): StoreName[] {
  return DB_UPGRADES.filter((u) => u.version > oldVersion).flatMap((u) => u.stores);
}

let dbPromise: Promise<IDBPDatabase<QuiverDB>> | null = null;

function db(): Promise<IDBPDatabase<QuiverDB>> {
  dbPromise ??= openDB<QuiverDB>(DB_NAME, DB_VERSION, {
    upgrade(d, oldVersion) {
      for (const store of storesToCreate(oldVersion)) d.createObjectStore(store);
    },
  });
  return dbPromise;
}

/** Save (insert or replace) a pipeline and remember it as the last one opened. */
export async function savePipeline(doc: PipelineDocument): Promise<void> {
  const d = await db();
  const tx = d.transaction(['pipelines', 'meta'], 'readwrite');
  await Promise.all([
    tx.objectStore('pipelines').put({ doc, savedAtMs: Date.now() }, doc.id),
    tx.objectStore('meta').put(doc.id, 'lastPipelineId'),
    tx.done,
  ]);
}

export async function loadPipeline(id: string): Promise<PipelineDocument | null> {
  const rec = await (await db()).get('pipelines', id);
  return rec?.doc ?? null;
}

/** Every saved pipeline, most recently saved first. */
export async function listPipelines(): Promise<SavedPipeline[]> {
  const all = await (await db()).getAll('pipelines');
  return all.sort((a, b) => b.savedAtMs - a.savedAtMs);
}

export async function deletePipeline(id: string): Promise<void> {
  await (await db()).delete('pipelines', id);
}

/** The id of the pipeline open when the app was last used, or null the first time. */
export async function lastPipelineId(): Promise<string | null> {
  const v = await (await db()).get('meta', 'lastPipelineId');
  return typeof v === 'string' ? v : null;
}

/** Keep a user file; returns its id (use URI `file:<id>`). */
export async function saveFile(file: File): Promise<string> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await (
    await db()
  ).put('files', { id, name: file.name, type: file.type, blob: file, sizeBytes: file.size }, id);
  return id;
}

export async function loadFile(id: string): Promise<StoredFile | null> {
  return (await (await db()).get('files', id)) ?? null;
}

/** Install (or replace, for an update) a module. */
export async function saveModule(module: InstalledModule): Promise<void> {
  await (await db()).put('modules', module, module.id);
}

/** Every installed module, by id. */
export async function listModules(): Promise<InstalledModule[]> {
  const all = await (await db()).getAll('modules');
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

/** Remove an installed module; steps pinning it are flagged when their pipeline opens. */
export async function deleteModule(id: string): Promise<void> {
  await (await db()).delete('modules', id);
}
