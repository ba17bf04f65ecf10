/**
 * The time a step's worker has spent inside its module, kept in a SharedArrayBuffer that the
 * worker writes and the main thread reads, so that the step's time limit is enforced without a
 * message around every call (`invoke-start` / `invoke-end` cost a postMessage and a wake-up of
 * the main thread each, twice per record batch). Available wherever SharedArrayBuffer is: always
 * in Node, in a browser only when the page is `crossOriginIsolated`; elsewhere the worker posts
 * the messages as before.
 *
 * Layout: a BigInt64Array of {@link SLOTS} slots, read and written with Atomics.
 * - `USED`: microseconds of module time, encoded so that one slot says it all: outside a call,
 *   the time used so far (≥ 0); inside one, the time used before it minus the call's start in
 *   epoch microseconds (< 0), so that the time used at epoch `now` is `now + value`.
 * - `FIRST`: epoch microseconds of the first call's start, 0 until one starts (the step's
 *   start, for its duration).
 */

const SLOTS = 2;
const USED = 0;
const FIRST = 1;

/** Epoch microseconds, comparable across threads (each has its own `performance.timeOrigin`). */
function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** Whether this thread can share a clock with a worker. */
export function callClockAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

/** A new clock for one worker of one step, or undefined where none can be shared. */
export function createCallClock(): SharedArrayBuffer | undefined {
  if (!callClockAvailable()) return undefined;
  return new SharedArrayBuffer(SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
}

/** The worker's side: marks each call's start and end. */
export class CallClockWriter {
  private readonly slots: BigInt64Array;
  private usedUs = 0;
  private startedUs = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.slots = new BigInt64Array(buffer);
  }

  /** A call into the module starts now. */
  start(): void {
    this.startedUs = epochMicros();
    if (Atomics.load(this.slots, FIRST) === 0n)
      Atomics.store(this.slots, FIRST, BigInt(this.startedUs));
    Atomics.store(this.slots, USED, BigInt(this.usedUs - this.startedUs));
  }

  /** The call returned (or threw); returns its milliseconds. */
  end(): number {
    const callUs = epochMicros() - this.startedUs;
    this.usedUs += callUs;
    Atomics.store(this.slots, USED, BigInt(this.usedUs));
    return callUs / 1000;
  }
}

/** The main thread's side: what the worker has used so far. */
export class CallClockReader {
  private readonly slots: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.slots = new BigInt64Array(buffer);
  }

  /** Milliseconds spent inside the module so far, the call under way included. */
  usedMs(): number {
    const value = Number(Atomics.load(this.slots, USED));
    return (value < 0 ? epochMicros() + value : value) / 1000;
  }

  /** `performance.now()` of this thread at the first call's start, or undefined before one. */
  firstCallAt(): number | undefined {
    const first = Number(Atomics.load(this.slots, FIRST));
    return first === 0 ? undefined : first / 1000 - performance.timeOrigin;
  }
}
