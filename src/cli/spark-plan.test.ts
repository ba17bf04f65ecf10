import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import type { SparkPlan } from './spark-plan';

const dir = mkdtempSync(join(tmpdir(), 'quiver-spark-plan-'));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/** Writes the plan of `example` (a name in examples/, or a path without its
 * `.quiver.json`) with `--engine spark --plan` and reads it back. */
async function planOf(example: string): Promise<SparkPlan> {
  const file = join(dir, `${example.replaceAll('/', '_')}.plan.json`);
  const { io, err } = capture();
  const status = await main(
    [
      'run',
      `${example.includes('/') ? example : `examples/${example}`}.quiver.json`,
      '--engine',
      'spark',
      '--plan',
      file,
    ],
    io,
  );
  expect(status, err.join('\n')).toBe(0);
  return JSON.parse(readFileSync(file, 'utf8')) as SparkPlan;
}

/** Column name:type of a plan schema (a base64 IPC Schema message). */
function columns(b64: string | undefined): string[] {
  const schema = tableFromIPC(Buffer.from(b64 ?? '', 'base64')).schema;
  return schema.fields.map((f) => `${f.name}:${String(f.type)}`);
}

describe('the Spark plan (quiver run --engine spark --plan)', () => {
  it('compiles the expressions and gives every port its schema', async () => {
    const plan = await planOf('flights-delay-by-distance');
    expect(plan.steps.map((s) => s.id)).toEqual([
      'source',
      'filter',
      'derive',
      'aggregate',
      'sort',
    ]);
    const derive = plan.steps.find((s) => s.id === 'derive')!;
    expect(derive.params['compiled']).toMatchObject({
      version: 1,
      source: derive.params['expression'],
    });
    expect(columns(derive.schemas['out'])).toContain('band:Float64');
    expect(columns(plan.steps.at(-1)?.schemas['out'])).toEqual([
      'band:Float64',
      'flights:Int64',
      'avg_delay:Float64',
      'max_delay:Int16',
    ]);
    expect(plan.results).toEqual([{ step: 'sort', port: 'out' }]);
    expect(plan.steps[0]?.source?.format).toBe('arrow');
  });

  it("takes a CSV's types from the csv module reading the file's first rows", async () => {
    const plan = await planOf('seattle-weather');
    const csv = plan.steps.find((s) => s.id === 'csv')!;
    expect(columns(csv.schemas['out'])).toEqual([
      'date:Date32<DAY>',
      'precipitation:Float64',
      'temp_max:Float64',
      'temp_min:Float64',
      'wind:Float64',
      'weather:Utf8',
    ]);
    expect(plan.steps[0]?.schemas).toEqual({});
  });

  it('leaves bypassed steps out: passed through, or skipped with their downstream', async () => {
    const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8')) as {
      version: number;
      steps: { id: string; bypass?: boolean }[];
    };
    doc.version = 3;
    const bypass = (ids: string[]) => ({
      ...doc,
      steps: doc.steps.map((s) => ({ ...s, bypass: ids.includes(s.id) })),
    });
    writeFileSync(join(dir, 'bypass-filter.quiver.json'), JSON.stringify(bypass(['filter'])));
    const passed = await planOf(join(dir, 'bypass-filter'));
    expect(passed.steps.map((s) => s.id)).toEqual(['source', 'csv', 'derive', 'aggregate', 'sort']);
    expect(passed.steps[2]?.inputs).toEqual({ in: { step: 'csv', port: 'out' } });
    expect(passed.skipped).toEqual([
      { step: 'filter', reason: 'bypassed (passes its input through)' },
    ]);
    // The csv step reads bytes and writes a table: it cannot pass its input through.
    writeFileSync(join(dir, 'bypass-csv.quiver.json'), JSON.stringify(bypass(['csv'])));
    const off = await planOf(join(dir, 'bypass-csv'));
    expect(off.steps.map((s) => s.id)).toEqual(['source']);
    expect(off.skipped.map((s) => s.step)).toEqual([
      'csv',
      'filter',
      'derive',
      'aggregate',
      'sort',
    ]);
    expect(off.skipped[1]?.reason).toBe('needs "csv", which cannot run');
    expect(off.results).toEqual([]);
  });

  it('refuses --master without --engine spark', async () => {
    const { io, err } = capture();
    expect(await main(['run', 'x.quiver.json', '--master', 'local[2]'], io)).toBe(2);
    expect(err.join('\n')).toContain('--master and --plan need --engine spark');
  });
});
