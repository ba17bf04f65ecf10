/**
 * Shown above the inspector when the selected step pins a module binary that is not here:
 * says which, and offers what can be done — install it from the pipeline when the pipeline
 * carries it, add it from files or a URL, or (when another version is installed) pin the
 * step to that one, which the user chooses knowingly. Nothing runs a different binary unasked.
 */
import type { PinProblem } from '../pipeline/pins';
import './modules.css';

export interface PinNoticeProps {
  problem: PinProblem;
  /** The installed version of the module, when there is one. */
  installedVersion: string | undefined;
  onInstallCarried: () => void;
  onAddModule: () => void;
  onUseInstalled: () => void;
}

export function PinNotice(p: PinNoticeProps) {
  return (
    <section className="pin-problem" role="alert" aria-label="Module not available">
      <p>{p.problem.message}. This step will not run until the pinned binary is installed.</p>
      <div className="dialog-actions">
        {p.problem.embedded ? (
          <button type="button" className="primary" onClick={p.onInstallCarried}>
            Install from this pipeline…
          </button>
        ) : (
          <button type="button" className="primary" onClick={p.onAddModule}>
            Install {p.problem.moduleId}…
          </button>
        )}
        {p.installedVersion !== undefined && (
          <button type="button" onClick={p.onUseInstalled}>
            Use installed {p.installedVersion}
          </button>
        )}
      </div>
    </section>
  );
}
