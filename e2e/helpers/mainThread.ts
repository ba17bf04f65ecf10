/**
 * The page's main thread during a run, from a Chromium trace (CDP Tracing, category
 * `toplevel`): every task the renderer's main thread (`CrRendererMain`) ran, with its wall time
 * (`dur`) and the CPU time the thread itself spent in it (`tdur`).
 *
 * Why CPU time: input waits for the task under way. On an idle machine a task's wall time is
 * its CPU time, so the longest task's CPU time is how long the editor can keep a click or a key
 * waiting. On this shared 2-core machine (load averages of 15-35), wall times mostly measure how
 * long the thread waited for a core among everyone else's (a 120 ms busy loop shows as 77 ms of
 * CPU at load 20), which no code in the page can change; CPU time is the editor's own work.
 */
import type { Browser, Page } from '@playwright/test';

/** What the main thread did between {@link traceMainThread} and its `stop`. */
export interface MainThreadTasks {
  /** Tasks the renderer's main thread ran. */
  count: number;
  /** CPU time of the longest task (ms). */
  longestCpuMs: number;
  /** Wall time of the longest task (ms), waits for a core included. */
  longestWallMs: number;
  /** CPU time of all tasks over 50 ms of wall time (ms): the long tasks' own work. */
  longTasksCpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The tasks of the renderers' main threads in a trace (µs → ms). */
export function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): MainThreadTasks {
  const events = trace.traceEvents;
  const mains = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter(
    (e) =>
      e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mains.has(`${e.pid}:${e.tid}`),
  );
  const cpu = (e: TraceEvent) => (e.tdur ?? 0) / 1000;
  const wall = (e: TraceEvent) => (e.dur ?? 0) / 1000;
  return {
    count: tasks.length,
    longestCpuMs: Math.max(0, ...tasks.map(cpu)),
    longestWallMs: Math.max(0, ...tasks.map(wall)),
    longTasksCpuMs: tasks.filter((e) => wall(e) > 50).reduce((sum, e) => sum + cpu(e), 0),
  };
}

/**
 * Starts tracing the browser of `page` (one trace per browser at a time); resolves with a
 * `stop` that ends it and resolves with the main thread's tasks meanwhile.
 */
export async function traceMainThread(page: Page): Promise<() => Promise<MainThreadTasks>> {
  const browser = page.context().browser() as Browser;
  await browser.startTracing(page, { categories: ['toplevel'] });
  return async () => mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()));
}
