import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';

/** The seattle-weather example with a JavaScript step after its csv step, as a file. */
function pipelineFile(code: string): string {
  const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8')) as {
    steps: Record<string, unknown>[];
    edges: Record<string, unknown>[];
  };
  const csv = doc.steps.find((s) => s.id === 'csv') as Record<string, unknown>;
  doc.steps = [
    ...doc.steps.filter((s) => ['source', 'csv'].includes(String(s.id))),
    { ...csv, id: 'js', moduleId: 'javascript', params: { code } },
  ];
  doc.edges = [
    ...doc.edges.filter((e) => (e.to as { step: string }).step === 'csv'),
    { id: 'csv-js', from: { step: 'csv', port: 'out' }, to: { step: 'js', port: 'in' } },
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'quiver-js-cli-')), 'js.quiver.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('quiver run with a JavaScript step (Node worker)', () => {
  it('prints the rows the function returns', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const file = pipelineFile(
      'row => (row.weather === "snow" ? { date: row.date, snow: true } : null)',
    );
    expect(await main(['run', file], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^js\s+javascript\s+finished\s+26\s+\d+$/m);
  }, 120_000);

  it('fails with the error, its line and column', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const file = pipelineFile('row => {\n  return row.nope.deeper;\n}');
    expect(await main(['run', file], io)).not.toBe(0);
    expect(out.join('\n')).toContain(
      'step "js" failed: ' +
        "JavaScript error at line 2, column 18: TypeError: cannot read property 'deeper' of undefined (row 0 of the batch)",
    );
  }, 120_000);
});
