/**
 * The host `source` step (src/runtime/sources/source.json): an Arrow or Parquet file's schema
 * on `out` is known only after reading it; `bytes` carries a CSV/TSV file's raw bytes, which
 * have no schema (the csv step downstream gives them one).
 */
import { unknownSchema } from '../table-schema';
import { knownAfterReading, type SchemaRule } from './rule';

const readTable = knownAfterReading('Source file', 'out');

export const sourceRule: SchemaRule = (ctx) => ({
  outputs: {
    ...readTable(ctx).outputs,
    bytes: unknownSchema('raw file bytes, not a table: connect them to a csv or json step'),
  },
  issues: [],
});
