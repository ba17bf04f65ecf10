import { describe, expect, it } from 'vitest';
import { formatBytes } from './storage';

describe('formatBytes', () => {
  it('uses SI units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(13_493_022)).toBe('13.5 MB');
    expect(formatBytes(812_000)).toBe('812 KB');
    expect(formatBytes(2_100_000_000)).toBe('2.1 GB');
  });

  it('rejects what is not a byte count', () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(Number.NaN)).toThrow(/not a byte count/);
  });
});
