/**
 * The inspector's inputs: one select per input port listing every compatible output, so a
 * connection can be made or changed from the keyboard too (the canvas needs a pointer).
 */
import type { ModuleManifest } from '../modules/manifest';
import { connect, disconnect } from '../pipeline/edit';
import type { PipelineDocument, Step } from '../pipeline/types';
import { useEditorContext } from './context';

export function ConnectionsSection({
  doc,
  step,
  manifest,
}: {
  doc: PipelineDocument;
  step: Step;
  manifest: ModuleManifest;
}) {
  const { store, catalog } = useEditorContext();
  if (manifest.inputs.length === 0) return null;
  return (
    <fieldset className="inspector-section">
      <legend>Inputs</legend>
      {manifest.inputs.map((inPort) => {
        const current = doc.edges.find((e) => e.to.step === step.id && e.to.port === inPort.name);
        const options = doc.steps.flatMap((s) =>
          s.id === step.id
            ? []
            : (catalog.get(s.moduleId)?.outputs ?? [])
                .filter((o) => o.type === inPort.type)
                .map((o) => `${s.id}.${o.name}`),
        );
        const value = current ? `${current.from.step}.${current.from.port}` : '';
        return (
          <label key={inPort.name} className="field-row">
            <span>{inPort.name}</span>
            <select
              aria-label={`Input ${inPort.name} from`}
              value={value}
              onChange={(e) => {
                const picked = e.target.value;
                const base = current ? disconnect(store.getState().doc, [current.id]) : null;
                if (!picked) {
                  if (base) store.edit(() => base);
                  return;
                }
                const dot = picked.lastIndexOf('.');
                const from = { step: picked.slice(0, dot), port: picked.slice(dot + 1) };
                const r = connect(base ?? store.getState().doc, catalog, from, {
                  step: step.id,
                  port: inPort.name,
                });
                if (!r.ok) store.notify(r.reason, 'error');
                else store.edit(() => r.doc);
              }}
            >
              <option value="">(not connected)</option>
              {options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </fieldset>
  );
}
