/** The host `source` step: an Arrow or Parquet file's schema is known only after reading it. */
import { knownAfterReading, type SchemaRule } from './rule';

export const sourceRule: SchemaRule = knownAfterReading('Source file');
