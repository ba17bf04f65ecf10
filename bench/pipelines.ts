/** Pipelines the benches share beside the examples. */
import type { PipelineDocument } from '../src/pipeline/types';
import { chainDoc } from './lib';

/**
 * Six steps on a tiny table (seattle-weather.csv, 48 KB, 1,461 rows): source → csv → filter →
 * derive → select → limit. Its run time is almost all per-step overhead.
 */
export function overheadDoc(): PipelineDocument {
  return chainDoc(
    'overhead',
    [
      { id: 'source', moduleId: 'source', params: { uri: 'sample:seattle-weather.csv' } },
      { id: 'csv', moduleId: 'csv', params: {} },
      { id: 'filter', moduleId: 'filter', params: { expression: 'temp_max > 15' } },
      {
        id: 'derive',
        moduleId: 'derive',
        params: { column: 'temp_range', expression: 'temp_max - temp_min' },
      },
      {
        id: 'select',
        moduleId: 'select',
        params: { columns: [{ name: 'date' }, { name: 'weather' }, { name: 'temp_range' }] },
      },
      { id: 'limit', moduleId: 'limit', params: { count: 10 } },
    ],
    256,
  );
}

/**
 * flights-3m.parquet through five streamable steps (filter, derive, filter, derive, derive),
 * whose batches could run on several cores.
 */
export function streamableDoc(): PipelineDocument {
  return chainDoc('streamable', [
    { id: 'source', moduleId: 'source', params: { uri: 'sample:flights-3m.parquet' } },
    { id: 'filter1', moduleId: 'filter', params: { expression: 'distance > 100' } },
    {
      id: 'derive1',
      moduleId: 'derive',
      params: { column: 'hours', expression: 'distance / 500' },
    },
    { id: 'filter2', moduleId: 'filter', params: { expression: 'delay > -60' } },
    { id: 'derive2', moduleId: 'derive', params: { column: 'late', expression: 'delay * 2' } },
    { id: 'derive3', moduleId: 'derive', params: { column: 'score', expression: 'late + hours' } },
  ]);
}
