/** File formats the host `source` step reads, by file extension. */
export type SourceFormat = 'csv' | 'json' | 'arrow' | 'parquet';

/** The format of `name` from its extension, or null when unknown. TSV is read as `csv`; JSON
 * and NDJSON as `json` (bytes for a json step). */
export function formatOfName(name: string): SourceFormat | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (['csv', 'tsv', 'txt', 'tab'].includes(ext)) return 'csv';
  if (['json', 'ndjson', 'jsonl'].includes(ext)) return 'json';
  if (['arrow', 'arrows', 'ipc', 'feather'].includes(ext)) return 'arrow';
  if (['parquet', 'pq'].includes(ext)) return 'parquet';
  return null;
}
