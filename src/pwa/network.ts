/**
 * Online/offline state for the indicator, and the one error every network-dependent
 * feature throws when offline. Nothing built in needs the network; a URL source step or a
 * module fetched from the web would.
 */
import { useSyncExternalStore } from 'react';

/** Thrown by `requireNetwork` when the browser is offline; its message is shown as is. */
export class NetworkUnavailableError extends Error {
  override name = 'NetworkUnavailableError';
  constructor(public readonly feature: string) {
    super(
      `${feature} needs a network connection, and this device is offline. ` +
        'Everything built into Quiver (modules, samples, examples) still works offline.',
    );
  }
}

/** Throws NetworkUnavailableError naming `feature` if the browser reports it is offline. */
export function requireNetwork(feature: string): void {
  if (!navigator.onLine) throw new NetworkUnavailableError(feature);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** React hook: true while the browser is online (navigator.onLine and its events). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
}
