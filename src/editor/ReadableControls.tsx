/**
 * The canvas' zoom controls: zoom in, zoom out, and a Fit View that keeps step text readable
 * (canvasView.ts `useReadableFit`) instead of React Flow's, which zooms out until all fits.
 * Steps are kept out of their strip (canvasView.ts `visiblePane`).
 */
import { ControlButton, Controls } from '@xyflow/react';
import { useReadableFit } from './canvasView';
import type { EditorState, EditorStore } from './store';
import { useEditor } from './store';
import { useNarrowScreen } from './theme';

const selectSteps = (s: EditorState) => s.selectedSteps;

/** Four corner brackets: "show everything". */
function FitIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden fill="none" stroke="currentColor">
      <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" strokeWidth="2" />
    </svg>
  );
}

export function ReadableControls({ store }: { store: EditorStore }) {
  const fit = useReadableFit();
  const selected = useEditor(store, selectSteps);
  const narrow = useNarrowScreen();
  return (
    <Controls
      aria-label="Zoom controls"
      showInteractive={false}
      showFitView={false}
      position="top-left"
      // Along the top of a wide canvas, down the side of a narrow one (readableView.ts).
      orientation={narrow ? 'vertical' : 'horizontal'}
    >
      <ControlButton
        onClick={() => fit({ focus: selected })}
        title="Fit View"
        aria-label="Fit View"
        className="react-flow__controls-fitview"
      >
        <FitIcon />
      </ControlButton>
    </Controls>
  );
}
