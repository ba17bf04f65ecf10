import { describe, expect, it } from 'vitest';
import { RunStore } from './runState';

describe('RunStore notifications', () => {
  it('changes the view at once and tells listeners once per scheduled flush', () => {
    const flushes: (() => void)[] = [];
    const store = new RunStore((flush) => flushes.push(flush));
    let heard = 0;
    store.subscribe(() => heard++);
    store.setStep('a', { state: 'running', rows: 1, bytes: 8 });
    store.setStep('a', { state: 'running', rows: 2, bytes: 16 });
    store.portRowsOf('a', 'out', 2);
    expect(store.getView().steps.a).toEqual({ state: 'running', rows: 2, bytes: 16 });
    expect(heard).toBe(0);
    expect(flushes).toHaveLength(1);
    flushes[0]?.();
    expect(heard).toBe(1);
    store.setStep('a', { state: 'done', rows: 2, bytes: 16, ms: 3 });
    expect(flushes).toHaveLength(2);
    flushes[1]?.();
    expect(heard).toBe(2);
  });

  it('without animation frames (Node) tells listeners at once', () => {
    const store = new RunStore();
    let heard = 0;
    store.subscribe(() => heard++);
    store.setStep('a', { state: 'waiting' });
    store.setStep('a', { state: 'running', rows: 0, bytes: 0 });
    expect(heard).toBe(2);
  });
});
