/** The pivot values the inspector's button lists from a preview. */
import { describe, expect, it } from 'vitest';
import { previewValues } from './PivotValues';

describe('previewValues', () => {
  const preview = {
    port: 'out',
    fingerprint: 'f',
    schema: {
      fields: [
        { name: 'Origin', type: { type: 'utf8' as const }, nullable: true },
        { name: 'Cylinders', type: { type: 'int64' as const }, nullable: true },
      ],
    },
    rows: [
      ['USA', 8n],
      [null, 4n],
      ['Japan', 4n],
      ['USA', null],
      ['Europe', 6n],
    ],
  };

  it('lists distinct non-null values as text, first seen first', () => {
    expect(previewValues(preview, 'Origin')).toEqual(['USA', 'Japan', 'Europe']);
    expect(previewValues(preview, 'Cylinders')).toEqual(['8', '4', '6']);
  });

  it('gives nothing for a column the preview lacks', () => {
    expect(previewValues(preview, 'Year')).toEqual([]);
  });
});
