import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

let host: NodeHost;
beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** The events of step `id` in order, a phase as `phase:<kind>` (its end `phase:over`), without
 * progress and previews. */
function eventsOf(events: RunEvent[], id: string): string[] {
  return events
    .filter((e) => 'stepId' in e && e.stepId === id)
    .map((e) => (e.type === 'step-phase' ? `phase:${e.phase?.kind ?? 'over'}` : e.type))
    .filter((t) => t !== 'step-progress' && t !== 'preview');
}

const weather = [
  step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
  step('csv', 'csv'),
];

describe('step phases', () => {
  it('say a module step loads its module before it starts, and a source reads its file', async () => {
    const doc = pipeline(weather, [edge('source', 'csv', 'bytes', 'csv')]);
    const events: RunEvent[] = [];
    const result = await runPipeline(doc, { ...host, onEvent: (e) => events.push(e) });
    expect(result.ok).toBe(true);
    const of = (id: string) => eventsOf(events, id);
    expect(of('csv').slice(0, 2)).toEqual(['phase:loading-module', 'step-started']);
    expect(of('source').slice(0, 2)).toEqual(['step-started', 'phase:reading']);
    const reading = events.find((e) => e.type === 'step-phase' && e.stepId === 'source');
    expect(reading).toMatchObject({ phase: { kind: 'reading', file: 'seattle-weather.csv' } });
    // Every phase comes before its step's end.
    for (const id of ['source', 'csv']) expect(of(id).at(-1)).toBe('step-finished');
    // The last progress, just before the end, holds the step's whole output.
    const finished = events.findIndex((e) => e.type === 'step-finished' && e.stepId === 'csv');
    expect(events[finished - 1]).toEqual({
      type: 'step-progress',
      stepId: 'csv',
      rows: 1461,
      bytes: result.steps.csv?.bytesByPort?.out,
    });
  });

  it('say a SQL and a JavaScript step load their engine in their worker, then end', async () => {
    const doc = pipeline(
      [
        ...weather,
        step('sql', 'sql', { query: 'SELECT count(*) AS n FROM input' }),
        step('js', 'javascript', { mode: 'rows', code: 'row => row' }),
      ],
      [
        edge('source', 'csv', 'bytes', 'csv'),
        edge('csv', 'sql', 'out', 'input'),
        edge('csv', 'js'),
      ],
    );
    const events: RunEvent[] = [];
    const result = await runPipeline(doc, { ...host, onEvent: (e) => events.push(e) });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    for (const [id, engine] of [
      ['sql', 'SQL'],
      ['js', 'JavaScript'],
    ] as const) {
      expect(eventsOf(events, id)).toEqual([
        'step-started',
        'phase:loading-engine',
        'phase:over',
        'step-finished',
      ]);
      const loading = events.find((e) => e.type === 'step-phase' && e.stepId === id);
      expect(loading).toMatchObject({ phase: { kind: 'loading-engine', engine } });
    }
  });
});
