/**
 * The React Flow canvas. Nodes and edges are derived from the document (the single source of
 * truth); React Flow's change events are turned into document edits on the store.
 */
import { useCallback, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import {
  Background,
  ReactFlow,
  useReactFlow,
  type Edge as FlowEdge,
  type NodeChange,
} from '@xyflow/react';
import { useConnectReplacing } from './canvasFlows';
import { useEditorContext } from './context';
import { moveSteps } from '../pipeline/edit';
import { removeElements } from './docOps';
import { useOutdatedSteps } from './derived';
import { useRunView, type RunView } from './runState';
import { useOpenView } from './openView';
import { PlacedMiniMap } from './PlacedMiniMap';
import { ReadableControls } from './ReadableControls';
import { StepEdge } from './StepEdge';
import { useStableItems } from './stableItems';
import { StepNode, type StepNodeType } from './StepNode';
import { organiseCanvas, organiserNodeTypes, OrganizeBar, useCanvasItemChanges } from './groups';
import { useEditor, type EditorState } from './store';
import { useNarrowScreen } from './theme';
import { stepDisplayName } from '../pipeline/step-name';

const nodeTypes = { step: StepNode, ...organiserNodeTypes };
const edgeTypes = { step: StepEdge };
/** MIME type of a palette item dragged onto the canvas. */
export const MODULE_DRAG_TYPE = 'application/x-quiver-module';

const selectDoc = (s: EditorState) => s.doc;
const selectRunsEnded = (v: RunView) => v.runsEnded;
const selectSteps = (s: EditorState) => s.selectedSteps;
const selectEdges = (s: EditorState) => s.selectedEdges;
const selectPortRows = (v: RunView) => v.portRows;

const fmt = new Intl.NumberFormat('en-US');

export interface CanvasProps {
  /** Port picked by the first tap of a tap-tap connection. */
  pending: { stepId: string; kind: 'in' | 'out'; port: string } | null;
  /** Problems per step id, from validation. */
  problems: ReadonlyMap<string, string>;
  /** A module id or files dropped at a flow position. */
  onDropModule: (moduleId: string, position: { x: number; y: number }) => void;
  onDropFiles: (files: File[], position: { x: number; y: number }) => void;
  colorMode: 'light' | 'dark';
}

export function Canvas({ pending, problems, onDropModule, onDropFiles, colorMode }: CanvasProps) {
  const narrow = useNarrowScreen();
  const { store, catalog, runStore, openQuickAdd, openStepMenu, showDetails } = useEditorContext();
  const doc = useEditor(store, selectDoc);
  const selectedSteps = useEditor(store, selectSteps);
  const selectedEdges = useEditor(store, selectEdges);
  const portRows = useRunView(runStore, selectPortRows);
  const outdated = useOutdatedSteps(doc, runStore);
  const runsEnded = useRunView(runStore, selectRunsEnded);
  const { screenToFlowPosition } = useReactFlow();
  /** Sizes React Flow measured; kept so derived nodes stay visible between renders. */
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});

  const nodes = useMemo<StepNodeType[]>(() => {
    const sel = new Set(selectedSteps);
    return doc.steps.map((s) => {
      const m = catalog.get(s.moduleId);
      return {
        id: s.id,
        type: 'step',
        position: s.position,
        selected: sel.has(s.id),
        measured: measured[s.id],
        ariaLabel: `step ${s.label ?? s.id}`,
        data: {
          title: stepDisplayName(s),
          moduleName: m?.name ?? `unknown module ${s.moduleId}`,
          category: m?.category ?? 'unknown',
          inputs: m?.inputs ?? [],
          outputs: m?.outputs ?? [],
          pendingPort: pending?.stepId === s.id ? `${pending.kind}:${pending.port}` : null,
          problem: problems.get(s.id) ?? null,
          outdated: outdated.has(s.id),
          vertical: narrow,
        },
      };
    });
  }, [doc.steps, catalog, selectedSteps, measured, pending, problems, outdated, narrow]);

  const edges = useMemo<FlowEdge[]>(() => {
    const sel = new Set(selectedEdges);
    return doc.edges.map((e) => {
      const fromStep = doc.steps.find((s) => s.id === e.from.step);
      const portType = fromStep
        ? catalog.get(fromStep.moduleId)?.outputs.find((p) => p.name === e.from.port)?.type
        : undefined;
      const ran = portRows[`${e.from.step}/${e.from.port}`];
      // Rows are counted on Arrow ports only; a bytes port (raw CSV) has none to show.
      const rows = portType === 'arrow' ? ran : undefined;
      return {
        id: e.id,
        type: 'step',
        source: e.from.step,
        sourceHandle: e.from.port,
        target: e.to.step,
        targetHandle: e.to.port,
        selected: sel.has(e.id),
        label: rows === undefined ? undefined : `${fmt.format(rows)} rows`,
        ariaLabel: `edge from ${e.from.step} ${e.from.port} to ${e.to.step} ${e.to.port}`,
        className: ran === undefined ? undefined : 'edge-ran',
      };
    });
  }, [doc.edges, doc.steps, catalog, selectedEdges, portRows]);

  const organised = useMemo(
    () => organiseCanvas(doc, nodes, edges, measured, new Set(selectedSteps)),
    [doc, nodes, edges, measured, selectedSteps],
  );
  const shownNodes = useStableItems(organised.nodes);
  const shownEdges = useStableItems(organised.edges);

  // Another pipeline was opened: show all of it, readably (openView.ts).
  useOpenView(store, doc.id, doc.steps.length, narrow);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepNodeType>[]) => {
      const moves: Record<string, { x: number; y: number }> = {};
      let dragEnded = false;
      let selection: Set<string> | null = null;
      const sizes: Record<string, { width: number; height: number }> = {};
      for (const c of changes) {
        if (c.type === 'position') {
          if (c.position)
            moves[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
          if (c.dragging) store.beginGesture();
          else dragEnded = true;
        } else if (c.type === 'select') {
          selection ??= new Set(store.getState().selectedSteps);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        } else if (c.type === 'dimensions' && c.dimensions) {
          sizes[c.id] = c.dimensions;
        }
      }
      if (Object.keys(moves).length > 0) store.edit((d) => moveSteps(d, moves));
      if (dragEnded) store.endGesture();
      if (selection) store.select([...selection], store.getState().selectedEdges);
      if (Object.keys(sizes).length > 0) setMeasured((old) => ({ ...old, ...sizes }));
    },
    [store],
  );
  const onAllNodesChange = useCanvasItemChanges(onNodesChange, measured);

  const onEdgesChange = useCallback(
    (changes: { type: string; id?: string; selected?: boolean }[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'select' && c.id) {
          selection ??= new Set(store.getState().selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (selection) store.select(store.getState().selectedSteps, [...selection]);
    },
    [store],
  );

  const { onConnect, isValidConnection, onConnectEnd } = useConnectReplacing(store, catalog);

  /** The steps selected before the first click of a double-click (which deselects them). */
  const selectedBefore = useRef<readonly string[]>([]);
  /** A double-click on the empty canvas opens the quick-add search there. */
  const onPaneClick = useCallback(
    (e: MouseEvent) => {
      if (e.detail === 1) selectedBefore.current = store.getState().selectedSteps;
      if (e.detail !== 2) return;
      const screen = { x: e.clientX, y: e.clientY };
      const p = screenToFlowPosition(screen);
      const [only, ...more] = selectedBefore.current;
      const from = only && more.length === 0 ? { step: only } : undefined;
      openQuickAdd({ screen, position: { x: p.x - 80, y: p.y - 30 }, ...(from ? { from } : {}) });
    },
    [store, screenToFlowPosition, openQuickAdd],
  );

  const onNodeContextMenu = useCallback(
    (e: MouseEvent, node: { id: string; type?: string }) => {
      // Groups and notes have no step menu.
      if (node.type === 'stepGroup' || node.type === 'note') return;
      e.preventDefault();
      openStepMenu({ stepId: node.id, screen: { x: e.clientX, y: e.clientY } });
    },
    [openStepMenu],
  );

  const onDelete = useCallback(
    ({ nodes: ns, edges: es }: { nodes: { id: string }[]; edges: { id: string }[] }) => {
      store.edit((d) =>
        removeElements(
          d,
          ns.map((n) => n.id),
          es.map((e) => e.id),
        ),
      );
    },
    [store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const position = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const files = [...e.dataTransfer.files];
      if (files.length > 0) {
        onDropFiles(files, position);
        return;
      }
      const moduleId = e.dataTransfer.getData(MODULE_DRAG_TYPE);
      if (moduleId) onDropModule(moduleId, { x: position.x - 80, y: position.y - 30 });
    },
    [screenToFlowPosition, onDropFiles, onDropModule],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-runs={runsEnded}>
      <ReactFlow
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onAllNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        // On a phone a tap on a step opens it (its data first); a wide screen shows it already.
        onNodeClick={narrow ? (_e, n) => showDetails(n.id) : undefined}
        onPaneClick={onPaneClick}
        onNodeContextMenu={onNodeContextMenu}
        zoomOnDoubleClick={false}
        connectOnClick={false}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnPinch
        minZoom={0.2}
        maxZoom={2.5}
        colorMode={colorMode}
        proOptions={{ hideAttribution: true }}
        aria-label="Pipeline canvas"
      >
        <Background gap={20} size={1} />
        <ReadableControls store={store} />
        <PlacedMiniMap />
        <OrganizeBar />
      </ReactFlow>
    </div>
  );
}
