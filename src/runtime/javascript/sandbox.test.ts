import { DateDay, Float64, Int32, RecordBatch, Utf8, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadQuickJS } from './quickjs';
import { JsSandbox, JsStepError, type JsMode } from './sandbox';
import { fromTransfer, toTransfer } from './transfer';

const LIMITS = { timeoutMs: 5000, maxMemoryMiB: 64 };

/** A small batch with a null in each column and every type the step passes. */
function sample(): RecordBatch {
  const table = new Table({
    a: vectorFromArray([1.5, null, 3], new Float64()),
    n: vectorFromArray([1, 2, null], new Int32()),
    s: vectorFromArray(['x', null, 'z'], new Utf8()),
    b: vectorFromArray([true, false, null]),
    d: vectorFromArray(
      [new Date(Date.UTC(2012, 0, 1)), null, new Date(Date.UTC(2012, 0, 3))],
      new DateDay(),
    ),
  });
  return table.batches[0]!;
}

async function run(code: string, mode: JsMode, batch = sample(), limits = LIMITS): Promise<Table> {
  const sandbox = new JsSandbox(await loadQuickJS(), code, mode, limits);
  try {
    const out = fromTransfer(sandbox.call(toTransfer(batch)), batch.schema);
    return new Table(out);
  } finally {
    sandbox.dispose();
  }
}

async function failure(code: string, mode: JsMode, limits = LIMITS): Promise<JsStepError> {
  try {
    await run(code, mode, sample(), limits);
  } catch (error) {
    if (error instanceof JsStepError) return error;
    throw error;
  }
  throw new Error('expected the code to fail');
}

describe('JavaScript step sandbox (QuickJS)', () => {
  it('rows form: nulls as null, dates as milliseconds, new columns typed by their values', async () => {
    const out = await run(
      'row => ({ ...row, twice: row.a === null ? null : row.a * 2, label: row.s + "!", odd: row.n % 2 === 1, day: row.d })',
      'rows',
    );
    expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'a:Float64',
      'n:Int32',
      's:Utf8',
      'b:Bool',
      'd:Date32<DAY>',
      'twice:Float64',
      'label:Utf8',
      'odd:Bool',
      'day:Float64',
    ]);
    expect(out.toArray().map((r) => r.toJSON())).toEqual([
      {
        a: 1.5,
        n: 1,
        s: 'x',
        b: true,
        d: Date.UTC(2012, 0, 1),
        twice: 3,
        label: 'x!',
        odd: true,
        day: Date.UTC(2012, 0, 1),
      },
      {
        a: null,
        n: 2,
        s: null,
        b: false,
        d: null,
        twice: null,
        label: 'null!',
        odd: false,
        day: null,
      },
      {
        a: 3,
        n: null,
        s: 'z',
        b: null,
        d: Date.UTC(2012, 0, 3),
        twice: 6,
        label: 'z!',
        odd: false,
        day: Date.UTC(2012, 0, 3),
      },
    ]);
  });

  it('rows form: returning null drops the row', async () => {
    const out = await run('row => (row.a === null ? null : { a: row.a })', 'rows');
    expect(out.getChild('a')?.toArray()).toEqual(new Float64Array([1.5, 3]));
  });

  it('batch form: typed arrays in and out, explicit null masks', async () => {
    const code = `batch => {
      const { a, n } = batch.columns;
      const sum = new Float64Array(batch.length);
      const nulls = new Uint8Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        sum[i] = a[i] + n[i];
        nulls[i] = (batch.nulls.a?.[i] ?? 0) | (batch.nulls.n?.[i] ?? 0);
      }
      return { columns: { n, sum, isInt32: [n instanceof Int32Array, true, true] }, nulls: { sum, n: batch.nulls.n } };
    }`.replace('nulls: { sum,', 'nulls: { sum: nulls,');
    const out = await run(code, 'batch');
    expect(out.getChild('sum')?.toJSON()).toEqual([2.5, null, null]);
    expect(out.getChild('n')?.toJSON()).toEqual([1, 2, null]);
    expect(String(out.schema.fields[0]?.type)).toBe('Int32');
    expect(out.getChild('isInt32')?.toJSON()).toEqual([true, true, true]);
  });

  it('names the line and column of a syntax error', async () => {
    const error = await failure('row => {\n  return row +;\n}', 'rows');
    expect(error.message).toMatch(/^JavaScript error at line 2, column \d+: SyntaxError: /);
    expect(error.position?.line).toBe(2);
  });

  it('names the line, column and row of an error thrown by the function', async () => {
    const error = await failure(
      'const f = row => {\n  if (row.a === null) throw new RangeError("no a");\n  return row;\n};\nf',
      'rows',
    );
    expect(error.message).toBe(
      'JavaScript error at line 2, column 43: RangeError: no a (row 1 of the batch)',
    );
  });

  it('refuses code whose last expression is not a function', async () => {
    const error = await failure('const x = 1;', 'rows');
    expect(error.message).toMatch(/last expression is undefined, expected a function/);
  });

  it('stops an endless loop at the time limit, in words', async () => {
    const error = await failure('row => { for (;;) {} }', 'rows', {
      timeoutMs: 300,
      maxMemoryMiB: 64,
    });
    expect(error.message).toBe('JavaScript step exceeded its time limit of 300 ms');
  });

  it('stops a memory hog at the memory cap, in words', async () => {
    const error = await failure(
      'row => { const a = []; for (;;) a.push(new Float64Array(65536)); }',
      'rows',
      {
        timeoutMs: 60000,
        maxMemoryMiB: 16,
      },
    );
    expect(error.message).toBe('JavaScript step exceeded its memory limit of 16 MiB');
  });

  it('says which column mixes types', async () => {
    const error = await failure('(row, i) => ({ v: i === 0 ? 1 : "one" })', 'rows');
    expect(error.message).toMatch(/column "v", row 1: a string among earlier numbers/);
  });

  it('reaches nothing of the host: no fetch, no require, no process, no document', async () => {
    const out = await run(
      '() => ({ names: [typeof fetch, typeof require, typeof process, typeof document, typeof globalThis.std].join() })',
      'rows',
    );
    expect(out.getChild('names')?.get(0)).toBe('undefined,undefined,undefined,undefined,undefined');
  });
});
