/** `json`: column names and types come from the file, so known only after a preview or run. */
import { knownAfterReading, type SchemaRule } from './rule';

export const jsonRule: SchemaRule = knownAfterReading('JSON');
