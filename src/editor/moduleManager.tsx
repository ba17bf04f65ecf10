/**
 * The editor's module actions and their dialogs: add (files, drop, URL), the install card
 * (one module at a time, in a queue), update and remove. A hook, so App wires it with a line
 * and renders `dialogs` once.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { unpackEmbedded } from '../modules/embedded';
import { repinSteps } from '../pipeline/pins';
import type { PipelineDocument } from '../pipeline/types';
import { AddModuleDialog } from './AddModuleDialog';
import { candidateFromUrl, candidatesFromFiles, type Candidate } from './install';
import { InstallCard } from './InstallCard';
import { useLibrary, type ModuleLibrary } from './library';
import { Modal } from './Modal';
import { RemoveModuleDialog } from './RemoveModuleDialog';
import type { EditorStore } from './store';

type View =
  | { kind: 'closed' }
  | { kind: 'add'; updating?: string }
  | { kind: 'cards'; queue: Candidate[] }
  | { kind: 'remove'; moduleId: string };

/** What {@link useModuleManager} gives App. */
export interface ModuleManager {
  /** Open "Add module…" (for `updating`, the module being replaced). */
  add: (updating?: string) => void;
  remove: (moduleId: string) => void;
  /** Read dropped or chosen module files and show their install cards. */
  offerFiles: (files: readonly File[]) => void;
  /** Show install cards for the modules `doc` carries that are not installed as pinned. */
  offerCarried: (doc: PipelineDocument) => void;
  dialogs: ReactNode;
}

const CLOSED: View = { kind: 'closed' };

/** A package that would replace a built-in module becomes a refusal naming the id. */
function refuseBuiltin(c: Candidate, library: ModuleLibrary): Candidate {
  if (!c.ok || !library.isBuiltin(c.module.pkg.manifest.id)) return c;
  const id = c.module.pkg.manifest.id;
  return {
    ok: false,
    source: c.source,
    message: `${id} is the id of a built-in module, which an installed module cannot replace`,
    fields: [{ field: 'id', message: `"${id}" is a built-in module's id` }],
  };
}

export function useModuleManager(library: ModuleLibrary, store: EditorStore): ModuleManager {
  const { installed } = useLibrary(library);
  const [view, setView] = useState<View>(CLOSED);
  const [busy, setBusy] = useState(false);
  const close = useCallback(() => setView(CLOSED), []);
  const fail = useCallback((e: Error) => store.notify(e.message, 'error'), [store]);
  const offer = useCallback(
    (found: Candidate[]) => {
      const queue = found.map((c) => refuseBuiltin(c, library));
      setView(queue.length > 0 ? { kind: 'cards', queue } : CLOSED);
    },
    [library],
  );

  const offerFiles = useCallback(
    (files: readonly File[]) => void candidatesFromFiles(files).then(offer, fail),
    [offer, fail],
  );
  const offerUrl = useCallback(
    (url: string) => void candidateFromUrl(url).then((c) => offer([c]), fail),
    [offer, fail],
  );
  const offerCarried = useCallback(
    (doc: PipelineDocument) => {
      const have = library.getState().installed;
      const wanted = (doc.modules ?? []).filter((m) => {
        const id = typeof m.manifest.id === 'string' ? m.manifest.id : '';
        return have.get(id)?.pkg.sha256 !== m.sha256;
      });
      void Promise.all(
        wanted.map((entry, i) =>
          unpackEmbedded(entry, `${doc.name}: modules[${i}]`).then(
            (module): Candidate => ({ ok: true, source: doc.name, module }),
            (e: Error): Candidate => ({
              ok: false,
              source: doc.name,
              message: e.message,
              fields: [],
            }),
          ),
        ),
      ).then(offer, fail);
    },
    [library, offer, fail],
  );

  const accept = useCallback(
    async (candidate: Candidate) => {
      if (!candidate.ok) return;
      const { pkg } = candidate.module;
      const id = pkg.manifest.id;
      const previous = library.getState().installed.get(id)?.pkg;
      await library.install(candidate.module);
      if (previous && previous.sha256 !== pkg.sha256) {
        const pin = { version: pkg.manifest.version, sha256: pkg.sha256 };
        store.edit((d) => repinSteps(d, id, previous.sha256, pin));
      }
      store.notify(
        `${previous ? 'Updated' : 'Installed'} ${pkg.manifest.name} ${pkg.manifest.version}.`,
      );
    },
    [library, store],
  );

  const next = useCallback(() => {
    setView((v) =>
      v.kind === 'cards' && v.queue.length > 1
        ? { kind: 'cards', queue: v.queue.slice(1) }
        : CLOSED,
    );
  }, []);

  const run = useCallback(
    (action: () => Promise<void>, after: () => void) => {
      setBusy(true);
      action()
        .then(after, fail)
        .finally(() => setBusy(false));
    },
    [fail],
  );

  const add = useCallback(
    (updating?: string) => setView(updating ? { kind: 'add', updating } : { kind: 'add' }),
    [],
  );
  const remove = useCallback((moduleId: string) => setView({ kind: 'remove', moduleId }), []);

  const current = view.kind === 'cards' ? view.queue[0] : undefined;
  const previous = current?.ok
    ? installed.get(current.module.pkg.manifest.id)?.pkg.manifest
    : undefined;
  const currentDoc = store.getState().doc;
  const dialogs = (
    <>
      <Modal open={view.kind === 'add'} title="Add module" onClose={close}>
        <AddModuleDialog
          onFiles={offerFiles}
          onUrl={offerUrl}
          {...(view.kind === 'add' && view.updating ? { updating: view.updating } : {})}
        />
      </Modal>
      <Modal
        open={current !== undefined}
        title={!current?.ok ? 'Cannot install' : previous ? 'Update module' : 'Install module'}
        onClose={next}
        className="install-dialog"
      >
        {current && (
          <InstallCard
            candidate={current}
            previous={previous}
            busy={busy}
            onInstall={() => run(() => accept(current), next)}
            onCancel={next}
          />
        )}
      </Modal>
      <Modal
        open={view.kind === 'remove'}
        title={view.kind === 'remove' ? `Remove ${view.moduleId}` : 'Remove module'}
        onClose={close}
      >
        {view.kind === 'remove' && (
          <RemoveModuleDialog
            moduleId={view.moduleId}
            {...(currentDoc.steps.some((s) => s.moduleId === view.moduleId)
              ? { currentUser: currentDoc.name }
              : {})}
            busy={busy}
            onRemove={() =>
              run(
                () => library.remove(view.moduleId),
                () => {
                  store.notify(`Removed ${view.moduleId}.`);
                  close();
                },
              )
            }
            onCancel={close}
          />
        )}
      </Modal>
    </>
  );

  return { add, remove, offerFiles, offerCarried, dialogs };
}
