/**
 * Keeping a group's frame in sight: a step panned to the edge of the canvas (a phone's sheet
 * took the rest) that is then grouped would have the new frame's title bar, with its collapse
 * and run buttons, above the canvas under the toolbar. Reads React Flow's store, never its DOM.
 */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import type { PipelineDocument } from '../../pipeline/types';
import { nodeBoxes, visiblePane } from '../canvasView';
import { panIntoView } from '../readableView';
import { groupFrame } from './geometry';

/**
 * Returns `reveal(doc, groupId)`: pans (same zoom, at once) just enough to show the whole frame
 * of group `groupId` of `doc` in the canvas, title bar first when it is taller than the canvas.
 * Does nothing for an unknown group or a frame already in sight.
 */
export function useRevealFrame(): (doc: PipelineDocument, groupId: string) => void {
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  return useCallback(
    (doc: PipelineDocument, groupId: string) => {
      const group = doc.groups?.find((g) => g.id === groupId);
      if (!group) return;
      const state = storeApi.getState();
      const sizes = Object.fromEntries(nodeBoxes(state).map(({ id, box }) => [id, box]));
      const frame = groupFrame(group, doc.steps, sizes);
      if (!frame || state.width === 0) return;
      const next = panIntoView(frame, flow.getViewport(), visiblePane(state));
      if (next) void flow.setViewport(next);
    },
    [flow, storeApi],
  );
}
