import { describe, expect, it } from 'vitest';
import { PipelineFormatError, parsePipeline, serializePipeline } from './serialize';
import { chain, edge, step } from './test-catalog';
import type { PipelineDocument } from './types';

const doc: PipelineDocument = {
  ...chain(
    step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
    step('filter-1', 'filter', { expression: 'temp_max > 15' }),
    step('sort-1', 'sort', { keys: [{ column: 'date', descending: true }] }),
  ),
  description: 'round trip',
};
doc.steps[1] = {
  ...doc.steps[1]!,
  label: 'Warm days',
  permissions: { storage: 'read', clock: 'deterministic', random: 'real' },
  position: { x: 120.5, y: -40 },
};

function formatError(text: string, source?: string): PipelineFormatError {
  try {
    parsePipeline(text, source ? { source } : {});
  } catch (e) {
    if (e instanceof PipelineFormatError) return e;
    throw e;
  }
  throw new Error('expected a PipelineFormatError');
}

describe('serializePipeline / parsePipeline', () => {
  it('round-trips a document exactly', () => {
    const text = serializePipeline(doc);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parsePipeline(text)).toEqual(doc);
    expect(serializePipeline(parsePipeline(text))).toBe(text);
  });

  it('reports invalid JSON with line and column', () => {
    const text = serializePipeline(doc).replace('"name": "test",', '"name": "test"');
    const e = formatError(text, 'weather.quiver.json');
    expect(e.message).toBe(
      'weather.quiver.json: not a Quiver pipeline: invalid JSON at line 6 column 3 (expected "," or "}")',
    );
    // Line 5 lost its comma; the error is where the next property starts.
    expect(text.split('\n')[5]).toMatch(/^ {2}"steps"/);
    expect([e.line, e.column]).toEqual([6, 3]);
  });

  it('refuses JSON that is not a pipeline', () => {
    expect(formatError('[1, 2]').message).toBe('not a Quiver pipeline: expected a JSON object');
    expect(formatError('{"type": "FeatureCollection"}').message).toBe(
      'not a Quiver pipeline: "format" must be "quiver-pipeline" (found nothing)',
    );
  });

  it('names an unknown version', () => {
    const e = formatError(JSON.stringify({ ...doc, version: 9 }));
    expect(e.message).toBe(
      'unsupported pipeline: format version 9 is newer than this app reads (up to 4); update Quiver to open it',
    );
    expect(e.pointer).toBe('/version');
    expect(formatError(JSON.stringify({ ...doc, version: 0 })).message).toBe(
      'unsupported pipeline: unknown format version 0: this app reads versions 1 to 4',
    );
  });

  it('names the path of each bad field', () => {
    const bad = structuredClone(doc) as unknown as {
      steps: Record<string, unknown>[];
      edges: Record<string, unknown>[];
    };
    (bad.steps[1]!.position as Record<string, unknown>).x = '120';
    (bad.steps[2]!.limits as Record<string, unknown>).timeoutMs = 0;
    delete bad.steps[0]!.permissions;
    bad.edges[0]!.color = 'red';
    const e = formatError(JSON.stringify(bad));
    expect(e.message.split('\n')).toEqual([
      'invalid pipeline: steps[0].permissions: missing required field',
      'invalid pipeline: steps[1].position.x: must be number',
      'invalid pipeline: steps[2].limits.timeoutMs: must be >= 1',
      'invalid pipeline: edges[0].color: unknown field',
    ]);
    expect(e.pointer).toBe('/steps/0/permissions');
  });

  it('refuses repeated ids and edges to missing steps', () => {
    const twice = { ...doc, steps: [...doc.steps, doc.steps[0]] };
    expect(formatError(JSON.stringify(twice)).message).toBe(
      'invalid pipeline: steps[3].id: step id "source-1" is used twice',
    );
    const dangling = { ...doc, edges: [...doc.edges, edge('sort-1', 'chart-1')] };
    expect(formatError(JSON.stringify(dangling)).message).toBe(
      'invalid pipeline: edges[2].to.step: no step "chart-1"',
    );
  });
});

describe('the README example', () => {
  it('is a valid pipeline file', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Pipeline files'));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(json).toBeDefined();
    const parsed = parsePipeline(json as string, { source: 'README.md' });
    expect(parsed.steps.map((s) => s.id)).toEqual(['source-1', 'filter-1']);
  });
});
