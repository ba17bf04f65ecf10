/**
 * Tap-to-connect: on a touch screen a drag from port to port is awkward, so a tap (or click) on
 * a port picks it and a tap on a port of the other kind on another step connects the two.
 */
import { useCallback, useRef, useState } from 'react';
import { connectReplacing } from './canvasFlows';
import type { Catalog } from './docOps';
import type { EditorStore } from './store';

/** The port picked by the first tap, waiting for the second. */
export type PendingPort = { stepId: string; kind: 'in' | 'out'; port: string } | null;

export interface TapToConnect {
  pending: PendingPort;
  /** Pick a port as the first end (or `null` to cancel). */
  choosePending: (p: PendingPort) => void;
  /** A tap on a port: the first picks it, the second connects (or says why it cannot). */
  onPortTap: (stepId: string, kind: 'in' | 'out', port: string) => void;
}

export function useTapToConnect(store: EditorStore, catalog: Catalog): TapToConnect {
  const [pending, setPending] = useState<PendingPort>(null);
  /** The first port, in a ref too, so two fast taps see each other. */
  const pendingRef = useRef<PendingPort>(null);
  const choosePending = useCallback((p: PendingPort) => {
    pendingRef.current = p;
    setPending(p);
  }, []);
  const onPortTap = useCallback(
    (stepId: string, kind: 'in' | 'out', port: string) => {
      const prev = pendingRef.current;
      if (!prev || prev.kind === kind || prev.stepId === stepId) {
        choosePending({ stepId, kind, port });
        return;
      }
      const [from, to] =
        prev.kind === 'out'
          ? [
              { step: prev.stepId, port: prev.port },
              { step: stepId, port },
            ]
          : [
              { step: stepId, port },
              { step: prev.stepId, port: prev.port },
            ];
      choosePending(null);
      connectReplacing(store, catalog, from, to);
    },
    [catalog, store, choosePending],
  );
  return { pending, choosePending, onPortTap };
}
