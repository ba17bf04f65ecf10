/**
 * The inbox: files shared to Quiver (share_target) wait here between the service worker,
 * which receives the POST, and the page, which turns them into steps. IndexedDB is the one
 * store both can reach; each file is kept as a Blob, so nothing is read into memory twice.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** A file waiting in the inbox. */
export interface InboxFile {
  id?: number;
  name: string;
  /** MIME type as reported by the sharing app; may be empty. */
  type: string;
  blob: Blob;
  /** Epoch milliseconds when the service worker stored it. */
  receivedAtMs: number;
}

interface InboxSchema extends DBSchema {
  inbox: { key: number; value: InboxFile };
}

const DB_NAME = 'quiver-pwa';
const DB_VERSION = 1;

function openInbox(): Promise<IDBPDatabase<InboxSchema>> {
  return openDB<InboxSchema>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('inbox', { keyPath: 'id', autoIncrement: true });
    },
  });
}

/** Stores files in the inbox (service worker side). */
export async function putInboxFiles(files: ReadonlyArray<File>): Promise<void> {
  const db = await openInbox();
  try {
    const tx = db.transaction('inbox', 'readwrite');
    const now = Date.now();
    for (const f of files) {
      await tx.store.add({ name: f.name, type: f.type, blob: f, receivedAtMs: now });
    }
    await tx.done;
  } finally {
    db.close();
  }
}

/** Removes and returns every file in the inbox, oldest first (page side). */
export async function takeInboxFiles(): Promise<File[]> {
  const db = await openInbox();
  try {
    const tx = db.transaction('inbox', 'readwrite');
    const entries = await tx.store.getAll();
    await tx.store.clear();
    await tx.done;
    return entries.map((e) => new File([e.blob], e.name, { type: e.type }));
  } finally {
    db.close();
  }
}
