import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallClockReader, CallClockWriter, createCallClock } from './call-clock';
import type { WorkerHandle } from './env';
import { WorkerPool } from './pool';

/** A worker that only records whether it was terminated. */
function fakeWorker(): WorkerHandle & { terminated: boolean } {
  const worker = {
    terminated: false,
    post: () => undefined,
    onMessage: () => undefined,
    onCrash: () => undefined,
    setIdle: () => undefined,
    terminate: () => {
      worker.terminated = true;
    },
  };
  return worker;
}

/** Spins until `ms` have passed on the real clock (the clock reads real time). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose: a call into a module
  }
}

describe('call clock', () => {
  it('counts the time inside calls only, the call under way included', () => {
    const buffer = createCallClock();
    expect(buffer).toBeInstanceOf(SharedArrayBuffer);
    const writer = new CallClockWriter(buffer!);
    const reader = new CallClockReader(buffer!);
    expect(reader.usedMs()).toBe(0);
    expect(reader.firstCallAt()).toBeUndefined();
    writer.start();
    spin(5);
    const during = reader.usedMs();
    expect(during).toBeGreaterThanOrEqual(4);
    const callMs = writer.end();
    const after = reader.usedMs();
    expect(after).toBeCloseTo(callMs, 3);
    spin(5);
    // Between calls the time used stands still.
    expect(reader.usedMs()).toBe(after);
    const first = reader.firstCallAt();
    expect(first).toBeDefined();
    expect(first!).toBeLessThanOrEqual(performance.now() - 5);
  });
});

describe('WorkerPool.watch', () => {
  afterEach(() => vi.useRealTimers());

  it('discards the worker once the time used reaches the budget, not before', () => {
    vi.useFakeTimers();
    const worker = fakeWorker();
    const pool = new WorkerPool(() => worker);
    pool.acquire();
    let used = 0;
    const onTimeout = vi.fn();
    pool.watch(worker, 100, () => used, onTimeout);
    // Idle (waiting for input): the clock goes on, the time used does not.
    vi.advanceTimersByTime(250);
    expect(onTimeout).not.toHaveBeenCalled();
    used = 60;
    vi.advanceTimersByTime(40);
    expect(onTimeout).not.toHaveBeenCalled();
    used = 100;
    vi.advanceTimersByTime(40);
    expect(onTimeout).toHaveBeenCalledOnce();
    expect(worker.terminated).toBe(true);
  });

  it('stops watching a worker given back to the pool', () => {
    vi.useFakeTimers();
    const worker = fakeWorker();
    const pool = new WorkerPool(() => worker);
    pool.acquire();
    const onTimeout = vi.fn();
    pool.watch(worker, 10, () => 5, onTimeout);
    pool.release(worker);
    vi.advanceTimersByTime(1000);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(worker.terminated).toBe(false);
  });
});
