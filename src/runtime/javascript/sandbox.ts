/**
 * One JavaScript step's QuickJS runtime: its own heap capped at the step's memory limit
 * (`setMemoryLimit`), its time budget enforced by the interrupt handler, the prelude and the
 * user's function compiled once, then called per batch. The context has only the ECMAScript
 * built-ins: no fetch, no DOM, no Node APIs, no module loader; values cross in and out as copies
 * (`transfer.ts`), never as references to host objects.
 */
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { PRELUDE_FILE, PRELUDE_SOURCE, USER_FILE } from './prelude';
import type { TransferBatch, TransferDescriptor } from './transfer';

/** How the user's function is called: once per row, or once per record batch. */
export type JsMode = 'rows' | 'batch';

/** Limits of one sandbox. */
export interface SandboxLimits {
  /** Total time the code may run over the step's life, in milliseconds. */
  timeoutMs: number;
  /** Cap on the QuickJS heap, in MiB. */
  maxMemoryMiB: number;
}

/** A failure of the user's code, with the message users see (and its position when known). */
export class JsStepError extends Error {
  override name = 'JsStepError';
  constructor(
    message: string,
    /** 1-based line and column in the user's code, when the error came from it. */
    readonly position?: { line: number; column: number },
  ) {
    super(message);
  }
}

const MIB = 1024 * 1024;

/** The user's code compiled in a fresh runtime, ready to run batches. */
export class JsSandbox {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly run: QuickJSHandle;
  private readonly fn: QuickJSHandle;
  private readonly modeHandle: QuickJSHandle;
  private remainingMs: number;
  private interrupted = false;

  /** Compiles `code` (whose last expression must be a function). Throws {@link JsStepError}. */
  constructor(
    quickjs: QuickJSWASMModule,
    code: string,
    mode: JsMode,
    private readonly limits: SandboxLimits,
  ) {
    this.remainingMs = limits.timeoutMs;
    this.runtime = quickjs.newRuntime();
    this.runtime.setMemoryLimit(limits.maxMemoryMiB * MIB);
    this.context = this.runtime.newContext();
    try {
      this.run = this.timed(() => this.evaluate(PRELUDE_SOURCE, PRELUDE_FILE));
      this.fn = this.timed(() => this.evaluate(code, USER_FILE));
      if (this.context.typeof(this.fn) !== 'function') {
        const kind = this.context.typeof(this.fn);
        this.fn.dispose();
        throw new JsStepError(
          `the code's last expression is ${kind === 'undefined' ? 'undefined' : `a ${kind}`}, expected a function (e.g. row => ({ ...row }))`,
        );
      }
      this.modeHandle = this.context.newString(mode);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Runs the user's function on one batch. Throws {@link JsStepError}. */
  call(batch: TransferBatch): TransferBatch {
    const ctx = this.context;
    const desc = ctx.newString(JSON.stringify(batch.desc));
    const buffer = ctx.newArrayBuffer(batch.buffer);
    try {
      const result = this.timed(() =>
        this.unwrap(
          ctx.callFunction(this.run, ctx.undefined, this.fn, this.modeHandle, desc, buffer),
        ),
      );
      try {
        return this.read(result);
      } finally {
        result.dispose();
      }
    } finally {
      desc.dispose();
      buffer.dispose();
    }
  }

  /** Frees the runtime (its whole heap). */
  dispose(): void {
    for (const handle of [this.fn, this.run, this.modeHandle]) if (handle?.alive) handle.dispose();
    if (this.context?.alive) this.context.dispose();
    if (this.runtime?.alive) this.runtime.dispose();
  }

  /** The `{desc, buffer}` the prelude returned, copied out of QuickJS. */
  private read(result: QuickJSHandle): TransferBatch {
    const ctx = this.context;
    const desc = ctx.getProp(result, 'desc');
    const buffer = ctx.getProp(result, 'buffer');
    try {
      const json = ctx.getString(desc);
      const bytes = ctx.getArrayBuffer(buffer);
      try {
        const copy = bytes.value.slice().buffer;
        return { desc: JSON.parse(json) as TransferDescriptor, buffer: copy };
      } finally {
        bytes.dispose();
      }
    } finally {
      desc.dispose();
      buffer.dispose();
    }
  }

  private evaluate(source: string, file: string): QuickJSHandle {
    return this.unwrap(this.context.evalCode(source, file));
  }

  /** Runs `call` with the interrupt handler armed for the remaining budget. */
  private timed<T>(call: () => T): T {
    const started = performance.now();
    const deadline = started + this.remainingMs;
    this.runtime.setInterruptHandler(() => {
      this.interrupted = performance.now() > deadline;
      return this.interrupted;
    });
    try {
      return call();
    } finally {
      this.runtime.removeInterruptHandler();
      this.remainingMs -= performance.now() - started;
    }
  }

  private unwrap(
    result:
      { error: QuickJSHandle; value?: undefined } | { value: QuickJSHandle; error?: undefined },
  ): QuickJSHandle {
    if (result.error === undefined) return result.value;
    const dumped: unknown = this.context.dump(result.error);
    result.error.dispose();
    throw this.describe(dumped);
  }

  /** The error users see for what QuickJS threw. */
  private describe(thrown: unknown): JsStepError {
    const error = (thrown ?? {}) as {
      name?: string;
      message?: string;
      stack?: string;
      quiverRow?: number;
      lineNumber?: number;
    };
    if (this.interrupted)
      return new JsStepError(
        `JavaScript step exceeded its time limit of ${this.limits.timeoutMs} ms`,
      );
    if (error.name === 'InternalError' && error.message === 'out of memory')
      return new JsStepError(
        `JavaScript step exceeded its memory limit of ${this.limits.maxMemoryMiB} MiB`,
      );
    const what =
      typeof thrown === 'object' && thrown !== null && error.message !== undefined
        ? `${error.name ?? 'Error'}: ${error.message}`
        : `uncaught ${JSON.stringify(thrown)}`;
    const position = userPosition(error.stack);
    const row = error.quiverRow === undefined ? '' : ` (row ${error.quiverRow} of the batch)`;
    if (position === undefined) return new JsStepError(`JavaScript error: ${what}${row}`);
    return new JsStepError(
      `JavaScript error at line ${position.line}, column ${position.column}: ${what}${row}`,
      position,
    );
  }
}

/** The first position in the user's code on a QuickJS stack (`at f (step.js:3:7)`). */
export function userPosition(
  stack: string | undefined,
): { line: number; column: number } | undefined {
  const match = new RegExp(`${USER_FILE.replace('.', '\\.')}:(\\d+)(?::(\\d+))?`).exec(stack ?? '');
  if (match === null) return undefined;
  return { line: Number(match[1]), column: Number(match[2] ?? 1) };
}
