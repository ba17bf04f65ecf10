/**
 * A sticky note on the canvas: plain text (line breaks kept) in a coloured box, resized with
 * React Flow's `NodeResizer` and coloured from swatches in a `NodeToolbar` above it while
 * selected (outside the note, so touch-sized swatches never crowd its text; on the side where
 * they cover no step: notePicker.ts). Dragged by the
 * strip along its top; the text area takes typing, not drags.
 */
import { memo } from 'react';
import { NodeResizer, NodeToolbar, Position, useStore, type NodeProps } from '@xyflow/react';
import { updateNote } from '../../pipeline/groups';
import { NOTE_COLORS } from '../../pipeline/types';
import { useEditorContext } from '../context';
import type { NoteNodeType } from './canvasItems';
import { COARSE_POINTER } from '../pointer';
import { selectPickerSide } from './notePicker';
import './groups.css';

/** Smallest note (px at zoom 1), as the document schema allows. */
const MIN_SIZE = { width: 40, height: 30 };
const unselected = () => Position.Top;

function NoteNodeImpl({ id, data, selected }: NodeProps<NoteNodeType>) {
  const { store } = useEditorContext();
  // Only a selected note shows its swatches, so only it follows the steps around it.
  const side = useStore(selected ? selectPickerSide(id, COARSE_POINTER) : unselected);
  return (
    <>
      <NodeResizer
        isVisible={selected}
        minWidth={MIN_SIZE.width}
        minHeight={MIN_SIZE.height}
        handleClassName="note-resize-handle"
      />
      <NodeToolbar isVisible={selected} position={side} className="note-colors">
        {NOTE_COLORS.map((c) => (
          <button
            key={c}
            type="button"
            className={`note-swatch note-${c}`}
            aria-label={`Note colour ${c}`}
            aria-pressed={c === data.color}
            onClick={() => store.edit((d) => updateNote(d, id, { color: c }))}
          />
        ))}
      </NodeToolbar>
      <div className={`note-box note-${data.color}`} data-testid={`note-${id}`}>
        <div className="note-grip" aria-hidden />
        <textarea
          className="note-text nodrag nowheel"
          aria-label="Note text"
          placeholder="Write a note…"
          value={data.text}
          onChange={(e) =>
            store.edit((d) => updateNote(d, id, { text: e.target.value }), `note-text:${id}`)
          }
        />
      </div>
    </>
  );
}

export const NoteNode = memo(NoteNodeImpl);
