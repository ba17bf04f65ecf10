import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { pickerSide, pickerSize } from './notePicker';

const note = { x: 100, y: 300, width: 200, height: 120 };

describe('pickerSide', () => {
  it('puts the swatches above a note with nothing above it', () => {
    expect(pickerSide(note, [], pickerSize(true), 1)).toBe(Position.Top);
  });

  it('puts them below when above they would cover a step', () => {
    const above = { x: 120, y: 200, width: 164, height: 80 };
    expect(pickerSide(note, [above], pickerSize(true), 1)).toBe(Position.Bottom);
    // Zoomed in, the bar (screen-sized) takes less of the canvas and clears the step.
    expect(pickerSide(note, [{ ...above, y: 150 }], pickerSize(true), 2)).toBe(Position.Top);
  });
});
