/**
 * The one owner of step-worker lifetimes: spawns workers, lends them out one step at a time,
 * takes them back for reuse, times them out (terminating and forgetting the worker, so that a
 * fresh one replaces it on the next request) and terminates them all.
 */
import type { WorkerFactory, WorkerHandle } from './env';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Idle workers kept for reuse; more are terminated when released. Default 16. */
  maxIdle?: number;
}

/** A pool of step workers. */
export class WorkerPool {
  private readonly idle: WorkerHandle[] = [];
  private readonly busy = new Set<WorkerHandle>();
  private readonly timers = new Map<WorkerHandle, ReturnType<typeof setTimeout>>();
  private readonly maxIdle: number;
  /** Workers started since the pool was made (for tests and the bench). */
  spawned = 0;

  constructor(
    private readonly factory: WorkerFactory,
    options: WorkerPoolOptions = {},
  ) {
    this.maxIdle = options.maxIdle ?? 16;
  }

  /** A worker for one step: an idle one, or a new one. */
  acquire(): WorkerHandle {
    const reused = this.idle.pop();
    const worker = reused ?? this.spawn();
    worker.setIdle(false);
    this.busy.add(worker);
    return worker;
  }

  /**
   * Starts one idle worker ahead of need, unless `upTo` (at most the pool's idle limit) are
   * idle already; returns whether it started one. A Web Worker's construction costs the page
   * milliseconds of its main thread, better spent before the Run click than in it.
   */
  spawnIdle(upTo: number): boolean {
    if (this.idle.length >= Math.min(upTo, this.maxIdle)) return false;
    const worker = this.spawn();
    worker.setIdle(true);
    this.idle.push(worker);
    return true;
  }

  /** Takes back a worker whose step ended normally. */
  release(worker: WorkerHandle): void {
    this.disarm(worker);
    if (!this.busy.delete(worker)) return;
    if (this.idle.length >= this.maxIdle) {
      worker.terminate();
      return;
    }
    worker.onMessage(() => undefined);
    worker.onCrash(() => undefined);
    worker.setIdle(true);
    this.idle.push(worker);
  }

  /** Terminates a worker that is stuck, crashed, or whose step was abandoned. */
  discard(worker: WorkerHandle): void {
    this.disarm(worker);
    this.busy.delete(worker);
    worker.terminate();
  }

  /**
   * Arms a timeout on a busy worker: after `timeoutMs` the worker is discarded and `onTimeout`
   * called. Re-arming replaces the previous timer.
   */
  arm(worker: WorkerHandle, timeoutMs: number, onTimeout: () => void): void {
    this.disarm(worker);
    const timer = setTimeout(() => {
      this.timers.delete(worker);
      this.discard(worker);
      onTimeout();
    }, timeoutMs);
    this.timers.set(worker, timer);
  }

  /**
   * Watches a busy worker whose time used, in ms, `usedMs` reads (a call clock shared with it,
   * `call-clock.ts`): once it reaches `budgetMs`, the worker is discarded and `onTimeout`
   * called. Time used grows at most as fast as the clock, so the timer is set for when the budget
   * could first be spent, and wakes rarely. Replaces any timeout armed before; `disarm` ends it.
   */
  watch(worker: WorkerHandle, budgetMs: number, usedMs: () => number, onTimeout: () => void): void {
    this.disarm(worker);
    const check = (): void => {
      const leftMs = budgetMs - usedMs();
      if (leftMs > 0) {
        this.timers.set(worker, setTimeout(check, leftMs));
        return;
      }
      this.timers.delete(worker);
      this.discard(worker);
      onTimeout();
    };
    check();
  }

  /** Cancels the timeout of `worker`, if any. */
  disarm(worker: WorkerHandle): void {
    const timer = this.timers.get(worker);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(worker);
  }

  /** Terminates every worker, idle or busy. The pool can be used again afterwards. */
  terminate(): void {
    for (const worker of [...this.busy, ...this.idle]) this.discard(worker);
    this.idle.length = 0;
  }

  private spawn(): WorkerHandle {
    this.spawned++;
    return this.factory();
  }
}
