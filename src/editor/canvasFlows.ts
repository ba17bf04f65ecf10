/**
 * Linking steps by dragging from port to port: a link dropped on an input that already has one
 * takes its place (as in ComfyUI and KNIME), in one undo step; a refused link says why.
 */
import { useCallback } from 'react';
import type {
  Connection,
  Edge as FlowEdge,
  FinalConnectionState,
  OnConnectEnd,
} from '@xyflow/react';
import { connect } from '../pipeline/edit';
import type { PortRef } from '../pipeline/types';
import type { Catalog } from './docOps';
import type { EditorStore } from './store';

const ends = (c: Connection | FlowEdge): [PortRef, PortRef] => [
  { step: c.source, port: c.sourceHandle ?? '' },
  { step: c.target, port: c.targetHandle ?? '' },
];

/** Connect `from` to `to` in `store`, replacing a link into `to`; a notice says what happened. */
export function connectReplacing(
  store: EditorStore,
  catalog: Catalog,
  from: PortRef,
  to: PortRef,
): void {
  const r = connect(store.getState().doc, catalog, from, to, { replace: true });
  if (!r.ok) {
    store.notify(r.reason, 'error');
    return;
  }
  store.edit(() => r.doc);
  const old = r.replaced?.from;
  if (old) store.notify(`Replaced the link from ${old.step} ${old.port} (undo brings it back).`);
}

/** React Flow's connection callbacks for the canvas. */
export function useConnectReplacing(store: EditorStore, catalog: Catalog) {
  const onConnect = useCallback(
    (c: Connection) => connectReplacing(store, catalog, ...ends(c)),
    [store, catalog],
  );

  const isValidConnection = useCallback(
    (c: Connection | FlowEdge) =>
      connect(store.getState().doc, catalog, ...ends(c), { replace: true }).ok,
    [store, catalog],
  );

  /** A drag released on a handle that refused it: say why. */
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state: FinalConnectionState) => {
      if (state.isValid || !state.fromHandle || !state.toHandle) return;
      const a = state.fromHandle;
      const b = state.toHandle;
      const [out, inp] = a.type === 'source' ? [a, b] : [b, a];
      if (out.type === inp.type) {
        store.notify('Connect an output (right side) to an input (left side).', 'error');
        return;
      }
      const r = connect(
        store.getState().doc,
        catalog,
        { step: out.nodeId, port: out.id ?? '' },
        { step: inp.nodeId, port: inp.id ?? '' },
        { replace: true },
      );
      if (!r.ok) store.notify(r.reason, 'error');
    },
    [store, catalog],
  );

  return { onConnect, isValidConnection, onConnectEnd };
}
