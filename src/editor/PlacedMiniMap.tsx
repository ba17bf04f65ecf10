/**
 * The minimap, in a corner of the canvas where it covers no step (readableView.ts
 * `minimapCorner`), and not drawn at all on a small canvas or when every corner holds a step:
 * it must never hide a step nor take the clicks meant for one.
 */
import { useEffect, useState } from 'react';
import { MiniMap, useStore, type ReactFlowState } from '@xyflow/react';
import { nodeBoxes } from './canvasView';
import { MINIMAP, minimapCorner, onScreen, type MinimapCorner } from './readableView';

/** The corner for the current view; a string, so the minimap re-renders only when it moves. */
function selectCorner(s: ReactFlowState): MinimapCorner | 'none' {
  const [x, y, zoom] = s.transform;
  const boxes = nodeBoxes(s).map((n) => onScreen(n.box, { x, y, zoom }));
  return minimapCorner(boxes, { width: s.width, height: s.height }) ?? 'none';
}

/**
 * While the user drags inside the minimap the view moves under it; the minimap holds its
 * corner until the pointer is released, so it does not jump away mid-drag.
 */
export function PlacedMiniMap() {
  const live = useStore(selectCorner);
  const [held, setHeld] = useState<MinimapCorner | null>(null);
  useEffect(() => {
    if (!held) return;
    const release = () => setHeld(null);
    window.addEventListener('pointerup', release);
    window.addEventListener('pointercancel', release);
    return () => {
      window.removeEventListener('pointerup', release);
      window.removeEventListener('pointercancel', release);
    };
  }, [held]);
  const corner = held ?? live;
  if (corner === 'none') return null;
  return (
    <div className="minimap-holder" onPointerDown={() => setHeld(corner)}>
      <MiniMap
        pannable
        zoomable
        ariaLabel="Minimap"
        className="minimap"
        position={corner}
        style={{ width: MINIMAP.width, height: MINIMAP.height }}
      />
    </div>
  );
}
