/**
 * App-wide PWA notices, floating over the editor: the update prompt and the offline
 * indicator. Both are live regions, so screen readers announce them.
 */
import { useOnline } from './network';
import { applyUpdate, useUpdateState } from './register';
import './pwa.css';

/** "A new version of Quiver is ready — Reload", shown while an update waits. */
export function UpdatePrompt() {
  const { waiting, applying, error } = useUpdateState();
  if (!waiting) return null;
  return (
    <div className="quiver-pwa-toast" role="status" aria-label="Update available">
      <span>A new version of Quiver is ready</span>
      <button type="button" onClick={() => void applyUpdate()} disabled={applying}>
        {applying ? 'Saving…' : 'Reload'}
      </button>
      {error !== null && (
        <p className="quiver-pwa-error" role="alert">
          {error}. Your work is still open; save it, then try again.
        </p>
      )}
    </div>
  );
}

/** Shown while the browser is offline; says what still works. */
export function OfflineIndicator() {
  const online = useOnline();
  if (online) return null;
  return (
    <div className="quiver-pwa-offline" role="status" aria-label="Offline">
      Offline — built-in steps, examples and sample data keep working
    </div>
  );
}

/** Both notices; `startPwa` mounts this in its own root. */
export function PwaOverlay() {
  return (
    <div className="quiver-pwa-overlay">
      <OfflineIndicator />
      <UpdatePrompt />
    </div>
  );
}
