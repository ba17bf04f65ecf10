import { describe, expect, it } from 'vitest';
import { cellText, formatTable } from './table';

describe('formatTable', () => {
  it('pads columns, right-aligns numbers and rounds floats', () => {
    const text = formatTable(
      ['name', 'n'],
      [
        ['sun', 466],
        ['drizzle', 2.123456789],
      ],
    );
    expect(text.split('\n')).toEqual([
      `name${' '.repeat(12)}n`,
      '-------  --------',
      `sun${' '.repeat(11)}466`,
      'drizzle  2.123457',
    ]);
  });

  it('shows null as an empty cell', () => {
    expect(cellText(null)).toBe('');
  });
});
