/**
 * Service worker registration and the update flow, with workbox-window. A new version
 * installs in the background and waits; the page shows "A new version of Quiver is ready";
 * on Reload it runs the before-update hooks (the editor saves the open pipeline), then tells
 * the waiting worker to take over and reloads once it controls the page. If saving fails,
 * nothing reloads and the error is shown.
 */
import { Workbox } from 'workbox-window';
import { useSyncExternalStore } from 'react';
import { runBeforeUpdate } from './before-update';

/** Where the update flow stands. */
export interface UpdateState {
  /** A new service worker is installed and waiting. */
  waiting: boolean;
  /** The user accepted; saving and reloading is under way. */
  applying: boolean;
  /** Why the last attempt to update failed, shown to the user; null if none. */
  error: string | null;
}

/** How often an open app checks for a new version (1 hour), besides on becoming visible. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

let state: UpdateState = { waiting: false, applying: false, error: null };
const subscribers = new Set<() => void>();
let workbox: Workbox | null = null;

function setState(patch: Partial<UpdateState>): void {
  state = { ...state, ...patch };
  for (const s of subscribers) s();
}

/** React hook: the current update state. */
export function useUpdateState(): UpdateState {
  return useSyncExternalStore(
    (onChange) => {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    () => state,
    () => state,
  );
}

/**
 * Registers /sw.js (production builds only: the dev server has no service worker) and
 * watches for waiting updates. Registration errors go to the console with the script URL;
 * the app works without a worker, only not offline.
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  workbox = wb;
  wb.addEventListener('waiting', () => setState({ waiting: true }));
  wb.register().then(
    (registration) => {
      if (!registration) return;
      const check = () => {
        registration.update().catch((error: unknown) => {
          // Offline or server down: not an error worth showing; try again later.
          console.info('Quiver: update check failed', error);
        });
      };
      setInterval(check, UPDATE_CHECK_INTERVAL_MS);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
    },
    (error: unknown) => console.error('Quiver: could not register /sw.js', error),
  );
}

/**
 * Saves (before-update hooks), then activates the waiting version and reloads into it.
 * On a failed save it keeps the page and sets `error`.
 */
export async function applyUpdate(): Promise<void> {
  const wb = workbox;
  if (!wb || !state.waiting || state.applying) return;
  setState({ applying: true, error: null });
  try {
    await runBeforeUpdate();
  } catch (error) {
    setState({ applying: false, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  wb.addEventListener('controlling', () => window.location.reload());
  wb.messageSkipWaiting();
}
