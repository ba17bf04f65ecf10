import { describe, expect, it } from 'vitest';
import type { RunEvent, RunOptions, RunResult } from '../runtime';
import type { PipelineDocument } from '../pipeline/types';
import { pipeline, step } from '../runtime/testkit';
import { createCatalog } from '../modules/catalog';
import { Runner, type RunnerHost } from './runner';
import { RunStore, type StepRunStatus } from './runState';
import { activeStatusText } from './runStatusText';

const doc = pipeline([step('sql', 'sql', { query: 'SELECT 1' })], []);

/** The node's words after each event of `events`, as a run of them shows them. */
async function wordsAfter(events: RunEvent[]): Promise<string[]> {
  const store = new RunStore();
  const words: string[] = [];
  const runPipeline = (_doc: PipelineDocument, opts: RunOptions): Promise<RunResult> => {
    for (const e of events) {
      opts.onEvent?.(e);
      const status = store.getView().steps.sql as StepRunStatus;
      words.push(
        status.state === 'waiting' || status.state === 'running'
          ? activeStatusText(status)
          : status.state,
      );
    }
    return Promise.resolve({
      runId: 'r',
      ok: true,
      cancelled: false,
      ms: 1,
      steps: {},
      collected: {},
      stored: Promise.resolve(),
    });
  };
  await new Runner(store, createCatalog([]), {
    runPipeline,
    options: {} as RunnerHost['options'],
  }).run(doc);
  return words;
}

describe('Runner: a step phase on the node', () => {
  it('shows an engine loading until the phase ends, then what the step waits for', async () => {
    const phase = { kind: 'loading-engine', engine: 'SQL' } as const;
    expect(
      await wordsAfter([
        { type: 'run-started', runId: 'r', stepIds: ['sql'] },
        { type: 'step-started', stepId: 'sql' },
        { type: 'step-phase', stepId: 'sql', phase },
        { type: 'step-progress', stepId: 'sql', rows: 0, bytes: 0 },
        { type: 'step-phase', stepId: 'sql', phase: null },
        { type: 'step-progress', stepId: 'sql', rows: 3, bytes: 64 },
      ]),
    ).toEqual([
      'waiting',
      'waiting for input…',
      'loading SQL engine…',
      'loading SQL engine…',
      'waiting for input…',
      'running · 3 rows',
    ]);
  });
});
