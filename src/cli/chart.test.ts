/**
 * A chart step from the CLI: seattle-weather.csv → csv → chart (bar, count by weather) run by
 * `quiver run --output chart.svg`. The SVG, rendered by Vega in Node, has one bar per weather
 * value DuckDB finds in the CSV, and the bar heights are proportional to DuckDB's counts.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { svgBars } from '../runtime/chart/svg-marks.testkit';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-chart-'));
const weatherCsv = resolve('node_modules/vega-datasets/data/seattle-weather.csv');

/** The seattle-weather example's source and csv steps, then a chart step with `params`. */
function pipelineFile(params: Record<string, unknown>): string {
  const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8'));
  doc.steps = doc.steps.filter((s: { id: string }) => ['source', 'csv'].includes(s.id));
  doc.steps.push({
    id: 'chart',
    moduleId: 'chart',
    params,
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits: { timeoutMs: 60000, maxMemoryMiB: 512 },
    position: { x: 500, y: 0 },
  });
  doc.edges = doc.edges.filter((e: { to: { step: string } }) => e.to.step === 'csv');
  doc.edges.push({
    id: 'csv-chart',
    from: { step: 'csv', port: 'out' },
    to: { step: 'chart', port: 'in' },
  });
  const file = join(dir, 'chart.quiver.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

async function duckCounts(): Promise<Map<string, number>> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(
    `SELECT weather, count(*) FROM read_csv('${weatherCsv}') GROUP BY weather`,
  );
  return new Map(reader.getRows().map((r) => [String(r[0]), Number(r[1])]));
}

describe('quiver run --output chart.svg', () => {
  it('draws one bar per weather value, heights proportional to DuckDB counts', async () => {
    const out = join(dir, 'chart.svg');
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const code = await main(
      ['run', pipelineFile({ mark: 'bar', x: 'weather' }), '--output', out],
      io,
    );
    expect(code, lines.join('\n')).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const bars = svgBars(svg);
    const counts = await duckCounts();
    expect(counts.size).toBe(5);
    expect(bars.map((b) => b.label).sort()).toEqual([...counts.keys()].sort());
    const scale = bars[0]!.height / counts.get(bars[0]!.label)!;
    for (const bar of bars) expect(bar.height).toBeCloseTo(counts.get(bar.label)! * scale, 6);
    expect(scale).toBeGreaterThan(0);
  }, 120_000);

  it('refuses .svg when the result is not a chart step', async () => {
    const doc = JSON.parse(readFileSync(pipelineFile({ mark: 'bar', x: 'weather' }), 'utf8'));
    doc.steps = doc.steps.filter((s: { id: string }) => s.id !== 'chart');
    doc.edges = doc.edges.filter((e: { id: string }) => e.id !== 'csv-chart');
    const file = join(dir, 'table.quiver.json');
    writeFileSync(file, JSON.stringify(doc));
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    expect(await main(['run', file, '--output', join(dir, 'no.svg')], io)).toBe(2);
    expect(lines.join('\n')).toContain('needs a chart step');
  }, 120_000);

  it("refuses a spec that breaks Vega-Lite's schema before running, naming the path", async () => {
    const spec = JSON.stringify({
      mark: 'bar',
      encoding: { x: { field: 'x', type: 'nominl' }, y: { field: 'value', type: 'quantitative' } },
    });
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const file = pipelineFile({ mark: 'bar', x: 'weather', spec });
    expect(await main(['run', file, '--output', join(dir, 'bad.svg')], io)).toBe(2);
    expect(lines.join('\n')).toContain(
      'encoding.x.type: must be one of "quantitative", "ordinal", "temporal", "nominal"',
    );
    expect(lines.join('\n')).not.toContain('failed');
  }, 120_000);
});
