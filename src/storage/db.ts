/**
 * Persistence in IndexedDB (via `idb`): saved pipelines, the id of the last one opened, and
 * files the user dropped (so a source step keeps working after a reload).
 *
 * Database `quiver`, version 1:
 * - `pipelines`: key = document id, value = {@link SavedPipeline}
 * - `files`:     key = file id, value = {@link StoredFile} (the bytes as a Blob)
 * - `meta`:      key = name, value = anything small (`lastPipelineId`)
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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

interface QuiverDB extends DBSchema {
  pipelines: { key: string; value: SavedPipeline };
  files: { key: string; value: StoredFile };
  meta: { key: string; value: unknown };
}

const DB_NAME = 'quiver';
const DB_VERSION = 1;

let dbPromise: Promise<IDBPDatabase<QuiverDB>> | null = null;

function db(): Promise<IDBPDatabase<QuiverDB>> {
  dbPromise ??= openDB<QuiverDB>(DB_NAME, DB_VERSION, {
    upgrade(d) {
      d.createObjectStore('pipelines');
      d.createObjectStore('files');
      d.createObjectStore('meta');
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
