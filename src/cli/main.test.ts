import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { main } from './main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-'));

describe('quiver CLI', () => {
  it('explains itself with --help', async () => {
    const { io, out } = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^Usage: quiver run <pipeline\.quiver\.json>/);
  });

  it('refuses a bad command line with status 2', async () => {
    const { io, err } = capture();
    expect(await main(['run'], io)).toBe(2);
    expect(err.join('\n')).toContain('missing <pipeline.quiver.json>');
  });

  it('takes --parallelism, refusing a value below 1', async () => {
    const refused = capture();
    const example = 'examples/seattle-weather.quiver.json';
    expect(await main(['run', example, '--parallelism', '0'], refused.io)).toBe(2);
    expect(refused.err.join('\n')).toContain('--parallelism: expected an integer from 1 to 256');
    const { io, out } = capture();
    expect(await main(['run', example, '--parallelism', '1'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^sun\s+466\s/m);
  });

  it('runs an example, prints the result and the steps, and writes --output as CSV', async () => {
    const { io, out } = capture();
    const csv = join(dir, 'weather.csv');
    expect(await main(['run', 'examples/seattle-weather.quiver.json', '--output', csv], io)).toBe(
      0,
    );
    const text = out.join('\n');
    expect(text).toContain('Result of step "sort" (4 of 4 rows):');
    expect(text).toMatch(/^weather\s+days\s+avg_temp_range\s+total_precipitation$/m);
    expect(text).toMatch(/^csv\s+csv\s+finished\s+1461\s+\d+$/m);
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('weather,days,avg_temp_range,total_precipitation');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^sun,466,/);
  });

  it('prints the failed step and exits 1', async () => {
    const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8'));
    doc.steps.find((s: { id: string }) => s.id === 'filter').params.expression =
      'no_such_column > 1';
    const file = join(dir, 'broken.quiver.json');
    writeFileSync(file, JSON.stringify(doc));
    const { io, out, err } = capture();
    expect(await main(['run', file], io)).toBe(1);
    expect(err.join('\n')).toMatch(/step "filter" failed: params\.expression: .*no_such_column/);
    expect(out.join('\n')).toMatch(/^sort\s+sort\s+skipped/m);
  });

  it('reads another file with --input <step>=<file>', async () => {
    const delay = Int16Array.from([5, -3, 12, 40, 0, 7]);
    const distance = Int16Array.from([100, 200, 260, 900, 50, 990]);
    const file = join(dir, 'small.arrows');
    writeFileSync(file, tableToIPC(tableFromArrays({ delay, distance }), 'stream'));
    const out = join(dir, 'bands.csv');
    const { io } = capture();
    const args = [
      'run',
      'examples/flights-delay-by-distance.quiver.json',
      '--input',
      `source=${file}`,
    ];
    expect(await main([...args, '--output', out], io)).toBe(0);
    // Oracle in plain JS: delay > 0, band = floor(distance / 250) * 250, by band.
    const bands = new Map<number, number[]>();
    delay.forEach((d, i) => {
      if (d <= 0) return;
      const band = Math.floor((distance[i] ?? 0) / 250) * 250;
      bands.set(band, [...(bands.get(band) ?? []), d]);
    });
    const expected = [...bands.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(
        ([band, ds]) =>
          `${band},${ds.length},${ds.reduce((a, b) => a + b, 0) / ds.length},${Math.max(...ds)}`,
      );
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines).toEqual(['band,flights,avg_delay,max_delay', ...expected]);
  });

  it('with --cache-dir, re-executes only the changed step and its downstream on a second run', async () => {
    const cacheDir = join(dir, 'cache');
    const first = capture();
    const example = 'examples/seattle-weather.quiver.json';
    expect(await main(['run', example, '--cache-dir', cacheDir], first.io)).toBe(0);
    expect(first.out.join('\n')).toContain('From the cache (' + cacheDir + '): none');
    // The sort reversed: every step but the sort comes from the cache.
    const doc = JSON.parse(readFileSync(example, 'utf8')) as {
      steps: { id: string; params: Record<string, unknown> }[];
    };
    doc.steps.find((s) => s.id === 'sort')!.params = { keys: [{ column: 'days' }] };
    const changed = join(dir, 'weather-ascending.quiver.json');
    writeFileSync(changed, JSON.stringify(doc));
    const second = capture();
    expect(await main(['run', changed, '--cache-dir', cacheDir], second.io)).toBe(0);
    const text = second.out.join('\n');
    expect(text).toContain(`From the cache (${cacheDir}): source, csv, filter, derive, aggregate`);
    expect(text).toMatch(/^sort\s+sort\s+finished\s+4\s+\d+\s*$/m);
    expect(text).toMatch(/^aggregate\s+aggregate\s+cached\s+4\s+\d+\s*$/m);
    // The result is the ascending one.
    const days = text
      .split('\n')
      .filter((l) => /^(sun|rain|fog|drizzle|snow)\s/.test(l))
      .map((l) => Number(l.split(/\s+/)[1]));
    expect(days).toHaveLength(4);
    expect(days).toEqual([...days].sort((a, b) => a - b));
  });
});
