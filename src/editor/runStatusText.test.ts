import { describe, expect, it } from 'vitest';
import { activeStatusText, sampledStatus } from './runStatusText';

describe('activeStatusText', () => {
  it('says what a step waits for before rows flow', () => {
    expect(activeStatusText({ state: 'waiting' })).toBe('waiting');
    const loading = { kind: 'loading-module', moduleId: 'csv' } as const;
    expect(activeStatusText({ state: 'waiting', phase: loading })).toBe('loading module…');
    const reading = { kind: 'reading', file: 'seattle-weather.csv' } as const;
    expect(activeStatusText({ state: 'running', rows: 0, bytes: 0, phase: reading })).toBe(
      'reading seattle-weather.csv…',
    );
    expect(activeStatusText({ state: 'running', rows: 0, bytes: 48_128, phase: reading })).toBe(
      'reading seattle-weather.csv… · 47 KiB',
    );
    expect(activeStatusText({ state: 'running', rows: 0, bytes: 0 })).toBe('waiting for input…');
    for (const engine of ['SQL', 'JavaScript'] as const) {
      const phase = { kind: 'loading-engine', engine } as const;
      expect(activeStatusText({ state: 'running', rows: 0, bytes: 0, phase })).toBe(
        `loading ${engine} engine…`,
      );
    }
  });

  it('counts rows once they flow', () => {
    expect(activeStatusText({ state: 'running', rows: 1461, bytes: 9000 })).toBe(
      'running · 1,461 rows',
    );
  });
});

describe('sampledStatus', () => {
  it('says the count is of a sample, not the real result, and how to get the real one', () => {
    expect(sampledStatus(19_457, 65_536)).toEqual({
      text: 'preview of a sample · 19,457 rows',
      title: 'A live preview on a sample (the first 65,536 input rows) — Run to compute all',
    });
  });
});
