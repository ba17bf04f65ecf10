/**
 * The canvas's popups: the quick-add search and a step's context menu (at most one open).
 */
import { useMemo } from 'react';
import type { ModuleManifest } from '../modules/manifest';
import type { LinkSource } from './autoConnect';
import type { Catalog } from './docOps';
import type { Point } from './placement';
import { QuickAdd } from './QuickAdd';
import type { Popups } from './quickAddState';
import { StepMenu, type StepMenuActions } from './StepMenu';
import { useEditor, type EditorState, type EditorStore } from './store';

const selectDoc = (s: EditorState) => s.doc;

export interface FlowPopupsProps {
  popups: Popups;
  store: EditorStore;
  catalog: Catalog;
  /** The steps the palette offers. */
  modules: readonly ModuleManifest[];
  running: boolean;
  addModule: (moduleId: string, position?: Point, from?: LinkSource) => void;
  stepActions: (stepId: string) => StepMenuActions;
}

export function FlowPopups({
  popups,
  store,
  catalog,
  modules,
  running,
  addModule,
  stepActions,
}: FlowPopupsProps) {
  const doc = useEditor(store, selectDoc);
  const { quickAdd, stepMenu, close } = popups;
  const from = quickAdd?.from;
  // After an output's "+", only steps with an input that takes what the output gives.
  const fitting = useMemo(() => {
    if (!from?.port) return modules;
    const step = doc.steps.find((s) => s.id === from.step);
    const type = step && catalog.get(step.moduleId)?.outputs.find((p) => p.name === from.port);
    return type ? modules.filter((m) => m.inputs.some((p) => p.type === type.type)) : modules;
  }, [from, modules, doc.steps, catalog]);

  if (quickAdd) {
    return (
      <QuickAdd
        at={quickAdd.screen}
        modules={fitting}
        title={
          from ? `Add a step after ${from.step}${from.port ? ` ${from.port}` : ''}` : 'Add a step'
        }
        onPick={(id) => addModule(id, quickAdd.position, from)}
        onClose={close}
      />
    );
  }
  const step = stepMenu && doc.steps.find((s) => s.id === stepMenu.stepId);
  if (!stepMenu || !step) return null;
  return (
    <StepMenu
      stepId={step.id}
      name={step.label ?? step.id}
      bypassed={step.bypass === true}
      running={running}
      at={stepMenu.screen}
      actions={stepActions(step.id)}
      onClose={close}
    />
  );
}
