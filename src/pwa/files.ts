/**
 * Files opened with the installed app: launched from the OS ("Open with Quiver", manifest
 * `file_handlers`, delivered through `window.launchQueue`) or shared to it on a phone
 * (manifest `share_target`, stored by the service worker in the inbox). The editor
 * subscribes with `onFilesOpened` and turns each data file into a source step and each
 * `.quiver.json` into an open pipeline. Batches that arrive before anyone subscribes wait.
 */
import { takeInboxFiles } from './inbox';

/** How a file reached Quiver. */
export type FileOrigin = 'file-handler' | 'share-target';

/** What Quiver does with a file, from its name. */
export type OpenedFileKind = 'pipeline' | 'csv' | 'tsv' | 'arrow' | 'parquet';

/** One file handed to the app. */
export interface OpenedFile {
  file: File;
  /** null if the extension is not one Quiver opens (the editor should say so). */
  kind: OpenedFileKind | null;
}

/** A group of files opened together. */
export interface OpenedFiles {
  origin: FileOrigin;
  files: OpenedFile[];
}

/** The `?action=` Quiver was launched with (manifest shortcuts, file handler, share target). */
export type LaunchAction = 'new' | 'examples' | 'open-files' | 'shared';

const LAUNCH_ACTIONS: ReadonlySet<string> = new Set(['new', 'examples', 'open-files', 'shared']);

/** Reads the launch action from a URL's `?action=`; null for a plain launch or unknown value. */
export function launchActionOf(url: string | URL): LaunchAction | null {
  const action = new URL(url, 'http://quiver.invalid/').searchParams.get('action');
  return action !== null && LAUNCH_ACTIONS.has(action) ? (action as LaunchAction) : null;
}

/** Classifies a file by its name (case-insensitive); `.quiver.json` wins over `.json`. */
export function kindOfFileName(name: string): OpenedFileKind | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.quiver.json')) return 'pipeline';
  for (const kind of ['csv', 'tsv', 'arrow', 'parquet'] as const) {
    if (lower.endsWith(`.${kind}`)) return kind;
  }
  return null;
}

type Listener = (batch: OpenedFiles) => void;
const listeners = new Set<Listener>();
const pending: OpenedFiles[] = [];

function deliver(origin: FileOrigin, files: File[]): void {
  if (files.length === 0) return;
  const batch: OpenedFiles = {
    origin,
    files: files.map((file) => ({ file, kind: kindOfFileName(file.name) })),
  };
  if (listeners.size === 0) pending.push(batch);
  else for (const l of listeners) l(batch);
}

/**
 * Subscribes to files opened with the app. Batches received before the first subscriber
 * are delivered to it at once. Returns a function that unsubscribes.
 */
export function onFilesOpened(listener: Listener): () => void {
  listeners.add(listener);
  for (const batch of pending.splice(0)) listener(batch);
  return () => {
    listeners.delete(listener);
  };
}

/** A manifest shortcut: start a new pipeline, or open the example gallery. */
export type ShortcutAction = 'new' | 'examples';

type ActionListener = (action: ShortcutAction) => void;
const actionListeners = new Set<ActionListener>();
const pendingActions: ShortcutAction[] = [];

function deliverAction(url: string): void {
  const action = launchActionOf(url);
  if (action !== 'new' && action !== 'examples') return;
  if (actionListeners.size === 0) pendingActions.push(action);
  else for (const l of actionListeners) l(action);
}

/**
 * Subscribes to manifest shortcuts (`?action=new`, `?action=examples`), whether they started
 * the app or reached an open window (launch_handler `focus-existing` does not reload it).
 * Actions received before the first subscriber are delivered to it at once.
 */
export function onLaunchAction(listener: ActionListener): () => void {
  actionListeners.add(listener);
  for (const action of pendingActions.splice(0)) listener(action);
  return () => {
    actionListeners.delete(listener);
  };
}

/** The File Handling API's launch queue (Chromium); absent elsewhere. */
interface LaunchQueue {
  setConsumer(
    consumer: (params: { targetURL?: string; files?: ReadonlyArray<FileSystemFileHandle> }) => void,
  ): void;
}

/** Removes `?action=` from the address bar so a reload does not repeat the launch. */
function dropActionFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('action')) return;
  url.searchParams.delete('action');
  window.history.replaceState(window.history.state, '', url);
}

/**
 * Starts taking launches: the start URL's shortcut action; files and shortcuts from
 * `window.launchQueue` (file_handlers, and launches that reach an open window); and shared
 * files from the inbox when started with `?action=shared`. A file that cannot be read is
 * reported on the console with the error. Call once at start-up.
 */
export async function startFileIntake(): Promise<void> {
  const startUrl = window.location.href;
  const startAction = launchActionOf(startUrl);
  deliverAction(startUrl);
  dropActionFromUrl();

  // Chromium also hands the launch that opened this window to the consumer: skip its URL.
  let firstLaunch = true;
  const launchQueue = (window as { launchQueue?: LaunchQueue }).launchQueue;
  launchQueue?.setConsumer((params) => {
    if (params.targetURL !== undefined && !(firstLaunch && params.targetURL === startUrl)) {
      deliverAction(params.targetURL);
    }
    firstLaunch = false;
    const handles = params.files ?? [];
    Promise.all(handles.map((h) => h.getFile())).then(
      (files) => deliver('file-handler', files),
      (error: unknown) => console.error('Quiver: could not read a file opened with the app', error),
    );
  });

  if (startAction === 'shared') deliver('share-target', await takeInboxFiles());
}
