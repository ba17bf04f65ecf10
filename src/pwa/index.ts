/**
 * Quiver as an installable, offline app. The editor uses:
 * - `startPwa()` once at start-up (main.tsx);
 * - `setBeforeUpdate(save)` so an update reload saves the open pipeline first;
 * - `onFilesOpened(cb)` for files opened with or shared to the installed app;
 * - `onLaunchAction(cb)` for the manifest shortcuts (`new`, `examples`);
 * - `<StorageUsage />` in a toolbar or menu; `ensurePersistentStorage()` on first save;
 * - `requireNetwork(feature)` before anything that needs the network.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { startFileIntake } from './files';
import { PwaOverlay } from './PwaOverlay';
import { registerServiceWorker } from './register';
import { ensurePersistentStorage } from './storage';

export { setBeforeUpdate, type BeforeUpdateHook } from './before-update';
export {
  kindOfFileName,
  launchActionOf,
  onFilesOpened,
  onLaunchAction,
  type FileOrigin,
  type LaunchAction,
  type OpenedFile,
  type OpenedFileKind,
  type OpenedFiles,
  type ShortcutAction,
} from './files';
export { NetworkUnavailableError, requireNetwork, useOnline } from './network';
export { OfflineIndicator, PwaOverlay, UpdatePrompt } from './PwaOverlay';
export { StorageUsage } from './StorageUsage';
export {
  ensurePersistentStorage,
  formatBytes,
  readStorageStatus,
  type StorageStatus,
} from './storage';
export { QUIVER_VERSION } from './version';

/**
 * Registers the service worker, starts taking files opened with the app, asks for persistent
 * storage, and mounts the update prompt and offline indicator in their own root (unless
 * `mountOverlay` is false, for an editor that renders `<PwaOverlay />` itself).
 */
export function startPwa(options: { mountOverlay?: boolean } = {}): void {
  registerServiceWorker();
  startFileIntake().catch((error: unknown) =>
    console.error('Quiver: could not pick up files shared to the app', error),
  );
  ensurePersistentStorage().catch((error: unknown) =>
    console.error('Quiver: could not ask for persistent storage', error),
  );
  if (options.mountOverlay ?? true) {
    const host = document.createElement('div');
    host.id = 'quiver-pwa';
    document.body.append(host);
    createRoot(host).render(createElement(PwaOverlay));
  }
}
