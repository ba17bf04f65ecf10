import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from './node-host';
import { REPO_ROOT } from './node-host';
import { PROBE_BYTES, probeSchema } from './probe';
import { runPipeline } from './run';
import { edge, pipeline, step } from './testkit';
import { testHost } from './testkit';

let host: NodeHost;
beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

const DATA = join(REPO_ROOT, 'node_modules/vega-datasets/data');

/**
 * A host whose sources are in-memory Blobs (as in the browser; a file-backed Blob cannot be
 * posted to a worker), so the probe reads only their head.
 */
function blobHost(): NodeHost {
  return {
    ...host,
    resolveSource: async (uri) => {
      const name = uri.slice('sample:'.length);
      return { name, blob: new Blob([readFileSync(join(DATA, name))]) };
    },
  };
}

/** source → csv (→ filter) over a sample. */
function csvDoc(file: string, params: Record<string, unknown> = {}) {
  return pipeline(
    [step('source', 'source', { uri: `sample:${file}` }), step('csv', 'csv', params)],
    [edge('source', 'csv', 'bytes', 'csv')],
  );
}

describe('probeSchema', () => {
  // Files larger than the probe (so it reads their head only) and smaller ones.
  it.each([
    ['seattle-weather.csv', {}],
    ['zipcodes.csv', {}],
    ['github.csv', {}],
    ['unemployment.tsv', { delimiter: '\t' }],
    ['airports.csv', {}],
  ])('infers the schema a full run infers: %s', async (file, params) => {
    const doc = csvDoc(file, params);
    const probed = await probeSchema(doc, 'csv', 'out', blobHost());
    const full = await runPipeline(doc, blobHost());
    expect(full.ok).toBe(true);
    expect(probed).not.toBeNull();
    expect(probed).toEqual(full.steps.csv?.preview?.out?.schema);
  });

  it('reads a Parquet file without decoding it all', async () => {
    const doc = pipeline(
      [
        step(
          'source',
          'source',
          { uri: 'sample:flights-3m.parquet' },
          { timeoutMs: 120000, maxMemoryMiB: 2048 },
        ),
      ],
      [],
    );
    const probed = await probeSchema(doc, 'source', 'out', host);
    expect(probed?.fields.map((f) => f.name)).toEqual([
      'date',
      'delay',
      'distance',
      'origin',
      'destination',
    ]);
  });

  it('returns null when the step cannot run', async () => {
    expect(await probeSchema(csvDoc('nope.csv'), 'csv', 'out', host)).toBeNull();
    expect(PROBE_BYTES).toBe(65536);
  });
});
